"""The magazine's background work, run by `manage.py worker`: publishing on schedule."""

import datetime

from django.db import transaction
from django_tasks import task

from . import services


@task()
def publish_due_task() -> int:
    return len(services.publish_due())


def publish_later(at: datetime.datetime) -> None:
    """Queues the publication for `at`, once the schedule is committed. A backend that cannot
    wait (the tests' immediate one) runs it at once, which publishes nothing early; the
    `publish_scheduled` command, run by the worker's start, catches anything a lost queue missed."""
    queued = publish_due_task
    if queued.get_backend().supports_defer:
        queued = queued.using(run_after=at)
    transaction.on_commit(queued.enqueue)
