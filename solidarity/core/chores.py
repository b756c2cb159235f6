"""The platform's scheduled work as periodic tasks of the background worker, not cron lines: the
commands the apps register (`plugins.chores`) run once a day at `CHORES_AT` in the country's time
zone, and some each time the worker starts. The same on every backend: `manage.py db_worker`'s
database queue on the embedded default, RQ on Redis at scale (`manage.py worker` starts either).

Each day's run is a task queued for its hour that, when it has done the day, queues the next day's.
A worker starting queues the next run too, so a lost queue loses no day; if the hour has passed
and the day was not done (the worker was down), it runs at once. However many runs of one day
are queued, the first to claim the day (`ChoreDay`, unique) does the chores; the others do nothing."""

import datetime
import logging
from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import plugins
from .models import ChoreDay

log = logging.getLogger(__name__)


def hour_of(day: datetime.date) -> datetime.datetime:
    """When `day`'s chores are due, in the country's time zone."""
    at = datetime.time.fromisoformat(settings.CHORES_AT)
    return timezone.make_aware(datetime.datetime.combine(day, at))


def next_run(now: datetime.datetime | None = None) -> tuple[datetime.date, datetime.datetime]:
    """The next day whose chores are not done, and when to run them: today's at once when their
    hour has passed (a worker that was down catches up as it starts), else at their hour."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if ChoreDay.objects.filter(day=today).exists():
        return today + datetime.timedelta(days=1), hour_of(today + datetime.timedelta(days=1))
    return today, max(now, hour_of(today))


def claim(day: datetime.date) -> bool:
    try:
        with transaction.atomic():
            ChoreDay.objects.create(day=day)
    except IntegrityError:
        return False
    return True


def run(chore: plugins.Chore) -> bool:
    """One chore; its failure is logged and stops nothing else."""
    output = StringIO()
    try:
        call_command(chore.command, *chore.args, stdout=output, stderr=output)
    except Exception:
        log.exception("chore %s failed", chore.command)
        return False
    log.info("chore %s: %s", chore.command, output.getvalue().strip()[-500:])
    return True


def run_day(day: datetime.date) -> dict[str, bool] | None:
    """The day's chores in order, each with whether it succeeded; None when another run has
    claimed the day already."""
    if not claim(day):
        return None
    return {chore.command: run(chore) for chore in plugins.chores if chore.daily}


def run_at_start() -> dict[str, bool]:
    return {chore.command: run(chore) for chore in plugins.chores if chore.at_start}
