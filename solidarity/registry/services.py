"""Keeping the derived fields (status, facility, start of detention) true to the timelines. Changes
to the public record go through the audited admin or an import, each leaving an audit entry."""

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.utils import timezone

from . import timeline, versioning
from .models import Event, Person


def refresh_derived_fields(person: Person, *, today: datetime.date | None = None) -> bool:
    """Recomputes the person's status, facility and detention start from the timeline.

    Returns whether anything changed. Derived fields are caches, so this is not audited: the
    events that caused the change are.
    """
    derived = timeline.derive(person.events.all(), today or timezone.localdate())
    changed = (
        person.status != derived.status
        or person.current_facility_id != derived.facility_id
        or person.imprisoned_since != derived.imprisoned_since
    )
    if changed:
        person.status = derived.status
        person.current_facility_id = derived.facility_id
        person.imprisoned_since = derived.imprisoned_since
        person.save(update_fields=["status", "current_facility", "imprisoned_since"])
    return changed


def refresh_all_derived_fields(
    *, people: Iterable[int] | None = None, today: datetime.date | None = None
) -> int:
    """The same for many people at once (after an import, a batch edit, or at midnight); returns
    how many changed. Reads every event once instead of once per person."""
    today = today or timezone.localdate()
    events = Event.objects.order_by("person_id", "date", "id").values_list(
        "person_id", "kind", "date", "facility_id"
    )
    persons = Person.objects.only("id", "status", "current_facility_id", "imprisoned_since")
    if people is not None:
        ids = list(people)
        events = events.filter(person_id__in=ids)
        persons = persons.filter(pk__in=ids)
    by_person: dict[int, list[timeline.TimelineEvent]] = defaultdict(list)
    for person_id, kind, date, facility_id in events.iterator(chunk_size=5000):
        by_person[person_id].append(timeline.TimelineEvent(kind, date, facility_id))
    changed = []
    for person in persons.iterator(chunk_size=5000):
        derived = timeline.derive(by_person.get(person.pk, []), today)
        if (person.status, person.current_facility_id, person.imprisoned_since) != (
            derived.status,
            derived.facility_id,
            derived.imprisoned_since,
        ):
            person.status = derived.status
            person.current_facility_id = derived.facility_id
            person.imprisoned_since = derived.imprisoned_since
            changed.append(person)
    # One prepared UPDATE run for every changed row: Django's bulk_update builds CASE expressions
    # that cost seconds for thousands of rows; this costs milliseconds, on SQLite and PostgreSQL.
    table = Person._meta.db_table
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET status = %s, current_facility_id = %s, imprisoned_since = %s WHERE id = %s",  # noqa: S608
            [(p.status, p.current_facility_id, p.imprisoned_since, p.pk) for p in changed],
        )
    versioning.bump()  # bulk writes send no signals
    return len(changed)
