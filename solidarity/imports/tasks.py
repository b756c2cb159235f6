"""The background work of imports, run by `manage.py worker`: reading a large file, applying it.
Each task only calls its service; the services are handed these tasks' `enqueue` by their callers."""

from django_tasks import task

from solidarity.core.warmup import make_derived

from . import services


@task()
def plan_batch_task(batch_id: int) -> None:
    services.plan_batch(batch_id=batch_id)


@task()
def apply_batch_task(batch_id: int, attempt: int, by_id: int | None) -> None:
    services.apply_in_background(batch_id=batch_id, attempt=attempt, by_id=by_id)
    make_derived()  # the new search index and statistics, made here rather than by a visitor
