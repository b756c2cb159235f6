"""The editors' review of an uploaded file: plan it into rows, record decisions, apply the accepted.

Each operation of an editor runs in one transaction and leaves an entry in the batch's history
(`imports.batch.uploaded`, `imports.row.decided`, `imports.batch.applied`); the changes to people
are audited one by one by `applying`, with the import as their author.
"""

from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarity.audit import services as audit
from solidarity.audit.actions import named
from solidarity.audit.models import AuditEntry

from .applying import apply_plan, import_label
from .models import ImportBatch, ImportRow
from .planning import Change, plan_file
from .readers import FileError

UPLOADED = named("imports.batch.uploaded", gettext_lazy("uploaded"))
DECIDED = named("imports.row.decided", gettext_lazy("decided"))
APPLIED = named("imports.batch.applied", gettext_lazy("applied"))

# Files with more records than this are read by the background worker, with progress shown.
BACKGROUND_ABOVE_BYTES = 256 * 1024
# The kinds of row an editor decides on; "accept all" accepts the new and the changed.
DECIDED_KINDS = frozenset({"new", "changed", "missing"})
ACCEPTED_BY_ALL = frozenset({"new", "changed"})


class BatchError(ValueError):
    """An operation that does not apply to the batch as it is; its message is for the editor."""


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


@transaction.atomic
def upload(*, file_name: str, data: bytes, fmt: str, by, read_later: Callable[[int], object]) -> ImportBatch:
    """A file to review. A small one is read at once; a large one by `read_later(batch id)` (the
    background task's `enqueue`), once the upload is committed."""
    batch = ImportBatch.objects.create(file_name=file_name, data=data, format=fmt, created_by=by)
    audit.log_action(
        action=UPLOADED, obj=batch, actor=by, data={"file": file_name, "format": fmt, "bytes": len(data)}
    )
    if len(data) > BACKGROUND_ABOVE_BYTES:
        transaction.on_commit(lambda: read_later(batch.pk))
    else:
        plan_batch(batch_id=batch.pk)
    return batch


def plan_batch(*, batch_id: int) -> None:
    """Reads the batch's file into the rows an editor reviews. The reading shows its progress as it
    goes, so it is not one transaction; what it finds is written in one."""
    ImportBatch.objects.filter(pk=batch_id).update(state=ImportBatch.State.PLANNING)
    batch = ImportBatch.objects.get(pk=batch_id)

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


def _ready(batch_id: int) -> ImportBatch:
    """The batch, locked until the end of the transaction, if it still waits for review."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.state != ImportBatch.State.READY:
        raise BatchError(_("This import is no longer waiting for review: nothing was changed."))
    return batch


@transaction.atomic
def decide(*, batch: ImportBatch, decisions: dict[int, tuple[str, str]], by) -> int:
    """Records the editor's decision and note for each row id (a row of a kind nobody decides on
    keeps its decision); returns how many rows changed, each in the history."""
    batch = _ready(batch.pk)
    changed = []
    for row in batch.rows.filter(pk__in=decisions):
        decision, note = decisions[row.pk]
        decision = decision if row.kind in DECIDED_KINDS else row.decision
        if (decision, note) != (row.decision, row.note):
            row.decision, row.note = decision, note
            changed.append(row)
    ImportRow.objects.bulk_update(changed, ["decision", "note"], batch_size=1000)
    AuditEntry.objects.bulk_create(
        [
            audit.action_entry(
                action=DECIDED,
                obj=row,
                record=batch,
                actor=by,
                data={"decision": row.decision, "note": row.note},
            )
            for row in changed
        ],
        batch_size=1000,
    )
    return len(changed)


def accept_all(*, batch: ImportBatch, by) -> int:
    """Accepts every new and changed row (missing people stay as decided: never released unseen)."""
    rows = batch.rows.filter(kind__in=ACCEPTED_BY_ALL).values_list("pk", "note")
    return decide(
        batch=batch, decisions={pk: (ImportRow.Decision.ACCEPTED, note) for pk, note in rows}, by=by
    )


def apply_batch(*, batch: ImportBatch, by) -> dict:
    """Applies the accepted rows, re-planned against the registry as it is now; a batch is applied once."""
    plan = plan_file(bytes(batch.data), batch.format, today=timezone.localdate())
    with transaction.atomic():
        batch = _ready(batch.pk)
        accepted = set(
            batch.rows.filter(decision=ImportRow.Decision.ACCEPTED).values_list("number", flat=True)
        )
        result = apply_plan(plan, actor_label=import_label(batch.file_name), actor=by, numbers=accepted)
        batch.state, batch.applied_at = ImportBatch.State.APPLIED, timezone.now()
        batch.save(update_fields=["state", "applied_at"])
        audit.log_action(
            action=APPLIED,
            obj=batch,
            actor=by,
            data={"applied": result["applied"], "facilities_created": result["facilities_created"]},
        )
    return result
