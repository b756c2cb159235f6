"""Recording changes to the public record, and the named operations of the back office.

Callers take a `snapshot` of an object before and after a change and pass both to `log_change`;
the entry stores only the fields that differ. Fields named in a model's `audit_exclude` (derived
caches, bookkeeping) and anything that looks like a secret are never recorded.

A named operation (approving a letter, applying an import) writes `log_action` with its name
(`actions.named`) and the details that matter, in the operation's own transaction; an operation on
many objects writes one entry per object at once (`log_actions`). What an entry must never hold is
the caller's to leave out: the details are stored as given.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile

from .models import AuditEntry

NEVER_RECORDED = frozenset({"password", "key", "secret", "token"})

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(obj: models.Model) -> Snapshot:
    """The recordable state of an object: concrete fields and many-to-many relations."""
    excluded = getattr(obj, "audit_exclude", frozenset())
    names = {field.name for field in obj._meta.concrete_fields}
    # A translated field's per-language columns are recorded; the language-neutral original
    # (modeltranslation keeps it, mirroring the default language) would only repeat one of them.
    translated = {name for name in names if f"{name}_{settings.LANGUAGE_CODE}" in names}
    state: Snapshot = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in NEVER_RECORDED | excluded | translated:
            continue
        if field.is_relation:
            state[field.name] = str(getattr(obj, field.name) or "") if getattr(obj, field.attname) else None
        else:
            state[field.name] = _plain(getattr(obj, field.attname))
    if obj.pk:
        for field in obj._meta.many_to_many:
            if field.name not in excluded:
                state[field.name] = sorted(str(item) for item in getattr(obj, field.name).all())
    return state


def _empty_as_none(value: Any) -> Any:
    # Translated text columns hold NULL or "" for "nothing" depending on how they were written.
    return None if value == "" else value


def diff(before: Snapshot, after: Snapshot) -> dict[str, list]:
    changes = {}
    for name in sorted(before.keys() | after.keys()):
        old, new = _empty_as_none(before.get(name)), _empty_as_none(after.get(name))
        if old != new:
            changes[name] = [old, new]
    return changes


def log_change(
    *,
    actor_label: str,
    obj: models.Model,
    action: str,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    record: models.Model | None = None,
    actor: Any = None,
) -> AuditEntry | None:
    """Writes one audit entry; returns None when an update changed nothing recordable."""
    changes = diff(before or {}, after or {})
    if action == AuditEntry.Action.UPDATE and not changes:
        return None
    entry = new_entry(
        actor_label=actor_label, obj=obj, action=action, changes=changes, record=record, actor=actor
    )
    entry.save()
    return entry


def new_entry(
    *,
    actor_label: str,
    obj: models.Model,
    action: str,
    changes: dict,
    record: models.Model | None = None,
    actor=None,
) -> AuditEntry:
    """An unsaved entry, for callers that write many at once (`bulk_create`)."""
    return _entry(
        actor=actor,
        actor_label=actor_label,
        obj=obj,
        action=action,
        record=record,
        changes={name: [_plain(old), _plain(new)] for name, (old, new) in changes.items()},
    )


def action_entry(
    *,
    action: str,
    obj: models.Model,
    actor=None,
    actor_label: str = "",
    data: dict | None = None,
    record: models.Model | None = None,
) -> AuditEntry:
    """An unsaved entry of a named action, by a staff member (`actor`) or a process (`actor_label`)."""
    return _entry(
        actor=actor,
        actor_label=actor_label or actor.get_username(),
        obj=obj,
        action=action,
        record=record,
        data={key: _plain(value) for key, value in (data or {}).items() if key not in NEVER_RECORDED},
    )


def log_action(
    *,
    action: str,
    obj: models.Model,
    actor=None,
    actor_label: str = "",
    data: dict | None = None,
    record: models.Model | None = None,
) -> AuditEntry:
    entry = action_entry(
        action=action, obj=obj, actor=actor, actor_label=actor_label, data=data, record=record
    )
    entry.save()
    return entry


def log_actions(
    *, action: str, objs, actor=None, actor_label: str = "", data: dict | None = None
) -> list[AuditEntry]:
    """One entry per object, each its own record, with the same details; written at once."""
    return AuditEntry.objects.bulk_create(
        [
            action_entry(action=action, obj=obj, actor=actor, actor_label=actor_label, data=data)
            for obj in objs
        ],
        batch_size=1000,
    )


def _entry(*, actor, actor_label: str, obj: models.Model, action: str, record, **content) -> AuditEntry:
    record = record or obj
    return AuditEntry(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:300],
        record_type=ContentType.objects.get_for_model(record),
        record_id=str(record.pk),
        **content,
    )


def history_of(record: models.Model):
    """Every entry about a public record, newest first."""
    return AuditEntry.objects.filter(
        record_type=ContentType.objects.get_for_model(record), record_id=str(record.pk)
    ).select_related("content_type")
