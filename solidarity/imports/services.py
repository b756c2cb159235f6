"""The editors' review of an uploaded file: plan it into rows, record decisions, apply the accepted."""

from django.db import transaction
from django.utils import timezone

from .applying import apply_plan, import_label
from .models import ImportBatch, ImportRow
from .planning import Change, plan_file
from .readers import FileError

# Files with more records than this are read by the background worker, with progress shown.
BACKGROUND_ABOVE_BYTES = 256 * 1024


def _group(change: Change) -> str:
    """The review screen's groups: what kind of difference an editor is looking at."""
    if change.kind != "changed":
        return change.kind
    kinds = {event.kind for event in change.new_events}
    if kinds & {"released", "pardoned", "died"}:
        return "status"
    if "transferred" in kinds:
        return "facility"
    if change.new_sentences or change.changed_sentences or "sentenced" in kinds:
        return "sentence"
    return "changed"


def upload(*, file_name: str, data: bytes, fmt: str, user) -> ImportBatch:
    from .tasks import plan_batch_task

    batch = ImportBatch.objects.create(file_name=file_name, data=data, format=fmt, created_by=user)
    if len(data) > BACKGROUND_ABOVE_BYTES:
        transaction.on_commit(lambda: plan_batch_task.enqueue(batch.pk))
    else:
        plan_batch(batch.pk)
    return batch


def plan_batch(batch_id: int) -> None:
    batch = ImportBatch.objects.get(pk=batch_id)
    batch.state = ImportBatch.State.PLANNING
    batch.save(update_fields=["state"])

    def progress(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(progress=round(100 * done / max(total, 1)))

    try:
        plan = plan_file(bytes(batch.data), batch.format, today=timezone.localdate(), progress=progress)
    except FileError as error:
        batch.state, batch.error = ImportBatch.State.FAILED, str(error)
        batch.save(update_fields=["state", "error"])
        return
    with transaction.atomic():
        batch.rows.all().delete()
        ImportRow.objects.bulk_create(
            [
                ImportRow(
                    batch=batch,
                    number=change.number,
                    kind=change.kind,
                    group=_group(change),
                    name=change.name[:300],
                    person_id=change.person_id,
                    details=change.describe() if change.kind != "rejected" else [change.reason],
                    flags=change.flags,
                )
                for change in plan.changes
                if change.kind != "unchanged"
            ],
            batch_size=1000,
        )
        batch.summary, batch.state, batch.progress = plan.summary(), ImportBatch.State.READY, 100
        batch.save(update_fields=["summary", "state", "progress"])


@transaction.atomic
def decide(*, batch: ImportBatch, decisions: dict[int, tuple[str, str]]) -> None:
    """Records the editor's decision and note for each row id."""
    rows = batch.rows.filter(pk__in=decisions)
    for row in rows:
        row.decision, row.note = decisions[row.pk]
    ImportRow.objects.bulk_update(rows, ["decision", "note"])


def apply_batch(*, batch: ImportBatch, user) -> dict:
    """Applies the accepted rows, re-planned against the registry as it is now."""
    accepted = set(batch.rows.filter(decision=ImportRow.Decision.ACCEPTED).values_list("number", flat=True))
    plan = plan_file(bytes(batch.data), batch.format, today=timezone.localdate())
    with transaction.atomic():
        result = apply_plan(plan, actor_label=import_label(batch.file_name), actor=user, numbers=accepted)
        batch.state, batch.applied_at = ImportBatch.State.APPLIED, timezone.now()
        batch.save(update_fields=["state", "applied_at"])
    return result
