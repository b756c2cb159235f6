"""The editors' review of an uploaded file: plan it into rows, record decisions, apply the accepted.

Each operation of an editor runs in one transaction and leaves an entry in the batch's history
(`imports.batch.uploaded`, `imports.row.decided`, `imports.batch.accepted_all`,
`imports.batch.applied`, `imports.batch.resumed`, `imports.batch.deleted`); the changes to people
are audited one by one by `applying`, with the import as their author.

Large files are read and applied by background tasks. Their callers hand the task's `enqueue` in
(the services never import the tasks). Work in the background keeps a heartbeat
(`ImportBatch.progress_at`, moved with its progress) and runs as one numbered attempt
(`ImportBatch.attempt`): a batch whose heartbeat stopped is *stalled* and can be resumed, which
starts a new attempt; an older attempt that wakes up after all writes nothing.
"""

import logging
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarity.audit import services as audit
from solidarity.audit.actions import named
from solidarity.audit.models import AuditEntry

from .applying import apply_plan, import_label
from .models import STALLED_AFTER, ImportBatch, ImportRow
from .planning import Change, Plan, plan_file
from .readers import FileError

logger = logging.getLogger(__name__)

UPLOADED = named("imports.batch.uploaded", gettext_lazy("uploaded"))
DECIDED = named("imports.row.decided", gettext_lazy("decided"))
ACCEPTED_ALL = named("imports.batch.accepted_all", gettext_lazy("accepted every new and changed record"))
APPLIED = named("imports.batch.applied", gettext_lazy("applied"))
RESUMED = named("imports.batch.resumed", gettext_lazy("resumed after it stalled"))
DELETED = named("imports.batch.deleted", gettext_lazy("deleted"))

# Files larger than this are read, and applied, by the background worker, with progress shown.
BACKGROUND_ABOVE_BYTES = 256 * 1024
# The kinds of row an editor decides on; "accept all" accepts the new and the changed.
DECIDED_KINDS = frozenset({"new", "changed", "missing"})
ACCEPTED_BY_ALL = frozenset({"new", "changed"})
# The review screen's groups, in the order it shows them.
GROUP_ORDER = ["new", "facility", "sentence", "status", "changed", "missing", "rejected"]
# Applying re-reads the file first: that part of the work is this share of its progress.
APPLY_READING_SHARE = 0.9

State = ImportBatch.State


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


def in_background(batch: ImportBatch) -> bool:
    """Whether the batch's file is large enough to be read and applied by the background worker
    (asked of the database: the file itself may be tens of megabytes)."""
    size = (
        ImportBatch.objects.filter(pk=batch.pk).annotate(size=Length("data")).values_list("size", flat=True)
    )
    return (size.first() or 0) > BACKGROUND_ABOVE_BYTES


@transaction.atomic
def upload(*, file_name: str, data: bytes, fmt: str, by, read_later: Callable[[int], object]) -> ImportBatch:
    """A file to review. A small one is read at once; a large one by `read_later(batch id)` (the
    background task's `enqueue`), once the upload is committed."""
    batch = ImportBatch.objects.create(
        file_name=file_name, data=data, format=fmt, created_by=by, progress_at=timezone.now()
    )
    audit.log_action(
        action=UPLOADED, obj=batch, actor=by, data={"file": file_name, "format": fmt, "bytes": len(data)}
    )
    if len(data) > BACKGROUND_ABOVE_BYTES:
        transaction.on_commit(lambda: read_later(batch.pk))
    else:
        plan_batch(batch_id=batch.pk)
    return batch


# --- attempts and their heartbeat -----------------------------------------------------------------


def _claim(batch_id: int) -> int | None:
    """Starts reading a queued batch: a new attempt, whose number is returned; None when the batch
    is not waiting to be read (another attempt took it, it was read, or it was deleted)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id, state=State.QUEUED).first()
        if batch is None:
            return None
        batch.state, batch.attempt = State.PLANNING, batch.attempt + 1
        batch.progress, batch.progress_at = 0, timezone.now()
        batch.save(update_fields=["state", "attempt", "progress", "progress_at"])
        return batch.attempt


def _current(batch_id: int, state: str, attempt: int) -> ImportBatch | None:
    """The batch, locked until the end of the transaction, if this attempt is still its current one."""
    batches = ImportBatch.objects.select_for_update().defer("data")
    return batches.filter(pk=batch_id, state=state, attempt=attempt).first()


def _heartbeat(batch_id: int, attempt: int, share: float = 1.0) -> Callable[[int, int], None]:
    """The `progress(done, total)` of one attempt: moves the progress and the heartbeat."""

    def progress(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch_id, attempt=attempt).update(
            progress=round(100 * share * done / max(total, 1)), progress_at=timezone.now()
        )

    return progress


# --- reading ----------------------------------------------------------------------------------


def plan_batch(*, batch_id: int) -> None:
    """Reads a queued batch's file into the rows an editor reviews. The reading shows its progress
    as it goes, so it is not one transaction; what it finds is written in one, by the attempt that
    is still current. A file that cannot be read fails the batch, with the reason."""
    attempt = _claim(batch_id)
    if attempt is None:
        return
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        return
    try:
        plan = plan_file(
            bytes(batch.data),
            batch.format,
            today=timezone.localdate(),
            progress=_heartbeat(batch_id, attempt),
        )
    except FileError as error:
        _fail(batch_id, attempt, str(error))
        return
    except Exception:
        logger.exception("Reading import %s stopped on an unexpected error", batch_id)
        _fail(batch_id, attempt, _("Reading stopped on an unexpected error (logged for the developers)."))
        return
    with transaction.atomic():
        batch = _current(batch_id, State.PLANNING, attempt)
        if batch is None:
            return
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
                    source_ref=(change.incoming.source_ref if change.incoming else "")[:100],
                    details=change.details() if change.kind != "rejected" else [change.reason],
                    flags=change.flags,
                )
                for change in plan.changes
                if change.kind != "unchanged"
            ],
            batch_size=1000,
        )
        batch.summary, batch.state, batch.progress = plan.summary(), State.READY, 100
        batch.progress_at = timezone.now()
        batch.save(update_fields=["summary", "state", "progress", "progress_at"])


def _fail(batch_id: int, attempt: int, error: str) -> None:
    ImportBatch.objects.filter(pk=batch_id, state=State.PLANNING, attempt=attempt).update(
        state=State.FAILED, error=error, progress_at=timezone.now()
    )


# --- reviewing --------------------------------------------------------------------------------


def rows_for_review(batch: ImportBatch, group: str = "") -> QuerySet[ImportRow]:
    """The batch's rows in the review screen's order (by group, then record), or one group's."""
    rows = batch.rows.select_related("person").annotate(
        group_order=Case(
            *(When(group=key, then=Value(i)) for i, key in enumerate(GROUP_ORDER)),
            default=Value(len(GROUP_ORDER)),
            output_field=IntegerField(),
        )
    )
    if group:
        rows = rows.filter(group=group)
    return rows.order_by("group_order", "number", "id")


def group_counts(batch: ImportBatch) -> dict[str, int]:
    """How many rows each group of the review screen holds."""
    return dict(batch.rows.order_by().values_list("group").annotate(count=Count("id")))


def _ready(batch_id: int) -> ImportBatch:
    """The batch, locked until the end of the transaction, if it still waits for review."""
    batch = ImportBatch.objects.select_for_update().defer("data").get(pk=batch_id)
    if batch.state != State.READY:
        raise BatchError(_("This import is no longer waiting for review: nothing was changed."))
    return batch


@transaction.atomic
def decide(*, batch: ImportBatch, decisions: dict[int, tuple[str, str]], by) -> int:
    """Records the editor's decision and note for each row id (a row of a kind nobody decides on
    keeps its decision); returns how many rows changed, each in the history. The review screen
    sends one page of rows at a time."""
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


@transaction.atomic
def accept_all(*, batch: ImportBatch, by) -> int:
    """Accepts every new and changed row, in one UPDATE and one entry in the history (missing people
    stay as decided: never released unseen); returns how many rows it accepted."""
    batch = _ready(batch.pk)
    accepted = (
        batch.rows.filter(kind__in=ACCEPTED_BY_ALL)
        .exclude(decision=ImportRow.Decision.ACCEPTED)
        .update(decision=ImportRow.Decision.ACCEPTED)
    )
    audit.log_action(action=ACCEPTED_ALL, obj=batch, actor=by, data={"rows": accepted})
    return accepted


# --- applying ---------------------------------------------------------------------------------


def _write(batch: ImportBatch, plan: Plan, by) -> dict:
    """Applies the batch's accepted rows of `plan`, in the caller's transaction, and marks it applied."""
    accepted = set(batch.rows.filter(decision=ImportRow.Decision.ACCEPTED).values_list("number", flat=True))
    result = apply_plan(plan, actor_label=import_label(batch.file_name), actor=by, numbers=accepted)
    batch.state, batch.applied_at, batch.progress, batch.error = State.APPLIED, timezone.now(), 100, ""
    batch.progress_at = batch.applied_at
    batch.save(update_fields=["state", "applied_at", "progress", "progress_at", "error"])
    audit.log_action(
        action=APPLIED,
        obj=batch,
        actor=by,
        data={"applied": result["applied"], "facilities_created": result["facilities_created"]},
    )
    return result


def apply_batch(*, batch: ImportBatch, by) -> dict:
    """Applies the accepted rows now, re-planned against the registry as it is now; a batch is
    applied once."""
    plan = plan_file(bytes(batch.data), batch.format, today=timezone.localdate())
    with transaction.atomic():
        return _write(_ready(batch.pk), plan, by)


def apply(*, batch: ImportBatch, by, apply_later: Callable[[int, int, int | None], object]) -> dict | None:
    """Applies the accepted rows: a small file's at once (returns the result), a large file's by
    `apply_later(batch id, attempt, editor id)` (the background task's `enqueue`), once this is
    committed (returns None; the batch is being applied meanwhile)."""
    if not in_background(batch):
        return apply_batch(batch=batch, by=by)
    with transaction.atomic():
        batch = _ready(batch.pk)
        batch.state, batch.attempt, batch.progress, batch.progress_at = (
            State.APPLYING,
            batch.attempt + 1,
            0,
            timezone.now(),
        )
        batch.error = ""
        batch.save(update_fields=["state", "attempt", "progress", "progress_at", "error"])
        batch_id, attempt, by_id = batch.pk, batch.attempt, getattr(by, "pk", None)
        transaction.on_commit(lambda: apply_later(batch_id, attempt, by_id))
    return None


def apply_in_background(*, batch_id: int, attempt: int, by_id: int | None) -> None:
    """The background half of `apply`: re-reads the file with progress, then writes every accepted
    change in one transaction, if this attempt is still the batch's current one. Applying writes
    all or nothing: when it stops on an error the batch is back in review, with the reason."""
    batch = ImportBatch.objects.filter(pk=batch_id, state=State.APPLYING, attempt=attempt).first()
    if batch is None:
        return
    by = get_user_model().objects.filter(pk=by_id).first() if by_id else None
    progress = _heartbeat(batch_id, attempt, share=APPLY_READING_SHARE)
    progress(0, 1)
    try:
        plan = plan_file(bytes(batch.data), batch.format, today=timezone.localdate(), progress=progress)
        with transaction.atomic():
            batch = _current(batch_id, State.APPLYING, attempt)
            if batch is not None:
                _write(batch, plan, by)
    except Exception:
        logger.exception("Applying import %s stopped on an unexpected error", batch_id)
        ImportBatch.objects.filter(pk=batch_id, state=State.APPLYING, attempt=attempt).update(
            state=State.READY,
            progress_at=timezone.now(),
            error=_(
                "Applying stopped on an unexpected error (logged for the developers); nothing was changed."
            ),
        )


# --- stalled work -----------------------------------------------------------------------------


def deletable(batch: ImportBatch) -> bool:
    """An import can be deleted unless it was applied (its changes name it as their author) or a
    worker is on it now."""
    return batch.state != State.APPLIED and (not batch.working or batch.stalled)


@transaction.atomic
def resume(
    *,
    batch: ImportBatch,
    read_later: Callable[[int], object],
    by=None,
    actor_label: str = "",
    older_than=STALLED_AFTER,
) -> str:
    """Starts a stalled batch's work again, as a new attempt; returns the batch's new state.

    Reading writes nothing until it ends, so a stalled reading is queued again (`read_later`).
    Applying writes all or nothing, so a stalled applying wrote nothing: the batch goes back to
    review, its decisions kept, for an editor to apply against the registry as it is then."""
    batch = ImportBatch.objects.select_for_update().defer("data").get(pk=batch.pk)
    if not ImportBatch.objects.filter(pk=batch.pk).stalled(older_than=older_than).exists():
        raise BatchError(_("This import is not stalled: nothing was changed."))
    was = batch.state
    batch.state = State.READY if was == State.APPLYING else State.QUEUED
    batch.attempt, batch.progress, batch.progress_at = batch.attempt + 1, 0, timezone.now()
    batch.save(update_fields=["state", "attempt", "progress", "progress_at"])
    audit.log_action(
        action=RESUMED, obj=batch, actor=by, actor_label=actor_label, data={"was": was, "now": batch.state}
    )
    if batch.state == State.QUEUED:
        batch_id = batch.pk
        transaction.on_commit(lambda: read_later(batch_id))
    return batch.state


def resume_stalled(
    *, read_later: Callable[[int], object], older_than=STALLED_AFTER, actor_label: str
) -> list[tuple[ImportBatch, str]]:
    """Resumes every batch stalled for `older_than` (`manage.py resume_imports`, when a worker
    starts); returns each batch with its new state."""
    resumed = []
    for batch in ImportBatch.objects.stalled(older_than=older_than).defer("data"):
        try:
            state = resume(batch=batch, read_later=read_later, actor_label=actor_label, older_than=older_than)
        except BatchError:
            continue  # resumed meanwhile, or it moved again
        resumed.append((batch, state))
    return resumed


@transaction.atomic
def delete_batch(*, batch: ImportBatch, by) -> None:
    """Deletes an import that was not applied and that no worker is on, with its rows."""
    batch = ImportBatch.objects.select_for_update().defer("data").get(pk=batch.pk)
    if not deletable(batch):
        raise BatchError(_("An applied import, or one being read or applied, cannot be deleted."))
    audit.log_action(
        action=DELETED, obj=batch, actor=by, data={"file": batch.file_name, "state": batch.state}
    )
    batch.delete()
