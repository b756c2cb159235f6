from django_tasks import task

from . import services


@task()
def plan_batch_task(batch_id: int) -> None:
    services.plan_batch(batch_id=batch_id)
