import datetime

from django.core.management.base import BaseCommand

from ...models import STALLED_AFTER
from ...services import resume_stalled
from ...tasks import plan_batch_task


class Command(BaseCommand):
    help = (
        "Resumes the imports whose background work stalled (no progress for a while: their worker was "
        "stopped): reading is queued again, an interrupted applying goes back to review. Run it when a "
        "worker starts; with one worker only, `--older-than 0` resumes everything that was under way."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=STALLED_AFTER.total_seconds(),
            metavar="SECONDS",
            help="Resume work that showed no progress for this long (default: %(default)s).",
        )

    def handle(self, *args, older_than, **options):
        resumed = resume_stalled(
            read_later=plan_batch_task.enqueue,
            older_than=datetime.timedelta(seconds=max(older_than, 0)),
            actor_label="resume_imports",
        )
        for batch, state in resumed:
            self.stdout.write(f"{batch}: {state}")
        self.stdout.write(f"Resumed {len(resumed)} stalled imports.")
