"""Core's background work: the daily chores (`chores`), each day's run queuing the next one's."""

import datetime

from django.utils import timezone
from django_tasks import task

from . import chores


@task()
def daily_chores_task(day: str) -> dict[str, bool] | None:
    done = chores.run_day(datetime.date.fromisoformat(day))
    if done is not None:  # this run did the day: it queues the next (a duplicate's would be a third)
        queue_next_day()
    return done


def queue_next_day(now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Queues the next run of the chores (`chores.next_run`) and says for when; None when the
    backend cannot wait and the run is not due yet (the tests' immediate backend)."""
    now = now or timezone.now()
    day, at = chores.next_run(now)
    queued = daily_chores_task
    if at > now:
        if not queued.get_backend().supports_defer:
            return None
        queued = queued.using(run_after=at)
    queued.enqueue(day.isoformat())
    return at
