from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from solidarity.core import chores, tasks

RQ_BACKEND = "django_tasks_rq.RQBackend"


class Command(BaseCommand):
    help = (
        "The background worker: the chores of a start, the next daily chores queued, then the task "
        "queue's own worker: the database's (db_worker) on the embedded default, RQ's with its "
        "scheduler on Redis."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--burst", action="store_true", help="Run what is queued and due now, then stop (for tests)."
        )

    def handle(self, *args, burst=False, **options):
        for command, succeeded in chores.run_at_start().items():
            self.stdout.write(f"{command}: {'done' if succeeded else 'failed, see the log'}")
        at = tasks.queue_next_day()
        self.stdout.write(f"daily chores queued for {at:%Y-%m-%d %H:%M %Z}" if at else "no daily chores")
        if settings.TASKS["default"]["BACKEND"] == RQ_BACKEND:
            # Django's tasks run by RQ's job class; the scheduler moves deferred ones in when due.
            queues = settings.TASKS["default"].get("QUEUES", ["default"])
            call_command(
                "rqworker", *queues, job_class="django_tasks_rq.Job", with_scheduler=True, burst=burst
            )
        else:
            call_command("db_worker", batch=burst, reload=False)
