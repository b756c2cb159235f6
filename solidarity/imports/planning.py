"""From records to a plan: for each record, is it a new person, a change, or nothing new?

Planning only reads the database; `applying.apply_plan` writes. A dry run is a plan that is never
applied; the editors' review is a plan shown row by row.
"""

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext

from solidarity.catalogue.search import words
from solidarity.registry import timeline
from solidarity.registry.country import canonical_list
from solidarity.registry.models import (
    ENDING_KINDS,
    Article,
    Event,
    EventKind,
    Facility,
    Person,
    Sentence,
    Status,
)

from . import mapping, readers
from .mapping import FacilityRef, Incoming, IncomingEvent, IncomingSentence, Rejected
from .models import FacilityAlias
from .wording import detail_lines

PERSON_FIELDS = ["gender", "birth_date", "photo", "photo_source_url", "source_url", "is_published"]


def compared_columns() -> list[str]:
    """The person's columns an import can set: every name and text per language, and the rest."""
    from django.conf import settings

    translated = ("first_name", "patronymic", "last_name", "description", "story")
    return [f"{part}_{code}" for part in translated for code, _l in settings.LANGUAGES] + PERSON_FIELDS


@dataclass
class Change:
    number: int
    kind: str  # new, changed, unchanged, rejected, missing
    name: str = ""
    person_id: int | None = None
    incoming: Incoming | None = None
    fields: dict = field(default_factory=dict)  # field -> [old, new]
    new_events: list[IncomingEvent] = field(default_factory=list)
    new_sentences: list[IncomingSentence] = field(default_factory=list)
    changed_sentences: list[tuple[int, IncomingSentence, dict]] = field(default_factory=list)
    interests: list[str] | None = None
    reason: str = ""

    @property
    def flags(self) -> list[str]:
        return self.incoming.flags if self.incoming else ([self.reason] if self.kind == "missing" else [])

    def details(self) -> list[dict]:
        """What the change does, as data the review words in the editor's language (`wording`)."""
        details: list[dict] = [
            {"kind": "field", "field": name, "old": _plain(old), "new": _plain(new)}
            for name, (old, new) in self.fields.items()
        ]
        details += [
            {
                "kind": "event",
                "event": e.kind,
                "date": str(e.date),
                "facility": e.facility.title if e.facility else "",
            }
            for e in self.new_events
        ]
        details += [
            {
                "kind": "sentence",
                "date": str(s.verdict_date or ""),
                "months": s.term_months,
                "regime": s.regime,
            }
            for s in self.new_sentences
        ]
        details += [
            {
                "kind": "sentence_changed",
                "date": str(s.verdict_date or ""),
                "changes": {name: [_plain(old), _plain(new)] for name, (old, new) in diff.items()},
            }
            for _pk, s, diff in self.changed_sentences
        ]
        if self.interests is not None:
            details.append({"kind": "interests", "interests": list(self.interests)})
        return details

    def describe(self) -> list[str]:
        """What the change does, line by line, in the active language (the command's summary)."""
        return detail_lines(self.details())


def _plain(value):
    """A value as JSON keeps it: dates as ISO text."""
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


@dataclass
class Plan:
    format: str
    changes: list[Change]
    reference: dict | None = None

    def count(self, kind: str) -> int:
        return sum(change.kind == kind for change in self.changes)

    @property
    def flagged(self) -> list[Change]:
        """What editors must look at: the doubts of new and changed records, and the missing."""
        return [
            change for change in self.changes if change.flags and change.kind in {"new", "changed", "missing"}
        ]

    def summary(self) -> dict[str, int]:
        return {kind: self.count(kind) for kind in ("new", "changed", "unchanged", "rejected", "missing")} | {
            "flagged": len(self.flagged)
        }


def _same(old, new) -> bool:
    return (old or None) == (new or None)


class Registry:
    """What planning needs to know of the registry, read once."""

    def __init__(self):
        people = list(Person.objects.values("pk", "source_ref", "birth_date", *_name_columns()))
        self.pks = {row["pk"] for row in people}
        self.by_ref = {row["source_ref"]: row["pk"] for row in people if row["source_ref"]}
        self.refs = {row["pk"]: row["source_ref"] for row in people}
        self.by_name: dict[tuple, set[int]] = defaultdict(set)
        self.name_keys: dict[int, set[frozenset]] = defaultdict(set)
        for row in people:
            for key in _row_name_keys(row):
                self.by_name[key, row["birth_date"]].add(row["pk"])
                self.name_keys[row["pk"]].add(key)
        self.facilities = {f.slug: f for f in Facility.objects.select_related("kind")}
        self.facilities_by_pk = {f.pk: f for f in self.facilities.values()}
        self.aliases = dict(FacilityAlias.objects.values_list("key", "facility__slug"))
        self.articles = {
            f"{a.code}:{a.number}:{a.part}": a.pk for a in Article.objects.only("code", "number", "part")
        }

    def match(self, incoming: Incoming) -> int | None:
        if incoming.source_ref and incoming.source_ref in self.by_ref:
            return self.by_ref[incoming.source_ref]
        keys = _incoming_name_keys(incoming)
        if incoming.snapshot_id in self.pks and keys & self.name_keys[incoming.snapshot_id]:
            return incoming.snapshot_id
        birth_date = incoming.fields.get("birth_date")
        if birth_date:
            found = (
                set().union(*(self.by_name.get((key, birth_date), set()) for key in keys)) if keys else set()
            )
            # Someone who is another record of the same list is not this record's person, whatever
            # the name: matching them would make the two records overwrite each other every time.
            found = {
                pk for pk in found if not _other_record_of_the_list(self.refs.get(pk), incoming.source_ref)
            }
            if len(found) == 1:
                return found.pop()
        return None

    def facility_slug(self, ref: FacilityRef | None) -> str | None:
        """Our facility for a reference: by slug, by a remembered alias, by postal code and number."""
        if ref is None:
            return None
        if ref.slug in self.facilities:
            return ref.slug
        if ref.key in self.aliases:
            return self.aliases[ref.key]
        numbers = set(re.findall(r"\d+", ref.title))
        if not numbers:
            return None
        numbered = [f for f in self.facilities.values() if numbers & _facility_numbers(f)]
        if ref.postal_code:
            at_address = [f for f in numbered if f.postal_code == ref.postal_code]
            return at_address[0].slug if at_address else None
        # No address: the kind and the number, when only one facility has both.
        same_kind = [f for f in numbered if ref.kind and f.kind.slug == ref.kind]
        return same_kind[0].slug if len(same_kind) == 1 else None


def _facility_numbers(facility: Facility) -> set[str]:
    """The numbers a facility is known by: of its code ("IK-15"), or, for one the list brought and
    that has no code yet, of its name ("Open correctional facility No. 49")."""
    from django.conf import settings

    numbers = set(re.findall(r"\d+", f"{facility.code_latin} {facility.code_cyrillic}"))
    return numbers or set(re.findall(r"\d+", getattr(facility, f"name_{settings.LATIN_LANGUAGE}") or ""))


def _other_record_of_the_list(person_ref: str | None, incoming_ref: str) -> bool:
    if not person_ref or not incoming_ref or person_ref == incoming_ref:
        return False
    return person_ref.split(":", 1)[0] == incoming_ref.split(":", 1)[0]


def _name_columns() -> list[str]:
    from django.conf import settings

    return [f"{part}_{code}" for part in ("first_name", "last_name") for code, _l in settings.LANGUAGES]


def _row_name_keys(row: dict) -> set[frozenset]:
    from django.conf import settings

    keys = set()
    for code, _language in settings.LANGUAGES:
        found = words(row.get(f"first_name_{code}") or "") + words(row.get(f"last_name_{code}") or "")
        if found:
            keys.add(frozenset(found))
    return keys


def _incoming_name_keys(incoming: Incoming) -> set[frozenset]:
    return _row_name_keys(incoming.fields)


def plan_file(data: bytes, fmt: str = "auto", *, today: datetime.date, progress=None) -> Plan:
    """The plan for a file. `progress(done, total)` is told every few hundred records."""
    parsed = readers.read(data, fmt)
    registry = Registry()
    changes: list[Change] = []
    seen_refs: set[str] = set()
    incomings: list[tuple[Incoming, int | None]] = []
    for done, (number, raw) in enumerate(parsed.records, start=1):
        if progress and done % 250 == 0:
            progress(done, len(parsed.records))
        try:
            incoming = (
                mapping.from_snapshot(number, raw)
                if parsed.format == "snapshot"
                else mapping.from_list_export(number, raw, today)
            )
        except Rejected as error:
            changes.append(Change(number, "rejected", name=_raw_name(raw), reason=str(error)))
            continue
        if incoming.source_ref and incoming.source_ref in seen_refs:
            changes.append(
                Change(
                    number,
                    "rejected",
                    name=incoming.display_name,
                    reason=f"{incoming.source_ref} appears twice in the file",
                )
            )
            continue
        seen_refs.add(incoming.source_ref)
        incomings.append((incoming, registry.match(incoming)))
    if parsed.format != "snapshot":
        _flag_doubles([incoming for incoming, _pk in incomings])
    matched = [pk for _incoming, pk in incomings if pk]
    current = _current_state(matched)
    for incoming, pk in incomings:
        if pk is None:
            changes.append(_new(incoming, registry))
        else:
            changes.append(_compare(incoming, pk, current, registry, parsed.format, today))
    if parsed.format != "snapshot":
        changes += _missing(seen_refs, prefix=f"{canonical_list().source_ref_prefix}:")
    changes.sort(key=lambda change: change.number)
    return Plan(parsed.format, changes, parsed.reference)


def _flag_doubles(incomings: list[Incoming]) -> None:
    """Records of one file with the same name and date of birth under different ids: perhaps one
    person listed twice. Each stays its own person (they never overwrite each other); editors look."""
    by_key: dict[tuple, list[Incoming]] = defaultdict(list)
    for incoming in incomings:
        birth_date = incoming.fields.get("birth_date")
        if birth_date:
            for key in _incoming_name_keys(incoming):
                by_key[key, birth_date].append(incoming)
    others: dict[int, set[int]] = defaultdict(set)
    for same in by_key.values():
        for incoming in same:
            others[id(incoming)] |= {other.number for other in same if other is not incoming}
    for incoming in incomings:
        if others.get(id(incoming)):
            incoming.flags.append(
                gettext("same name and date of birth as record %(numbers)s: perhaps one person twice")
                % {"numbers": ", ".join(map(str, sorted(others[id(incoming)])))}
            )


def _raw_name(raw) -> str:
    if isinstance(raw, dict):
        name = raw.get("name")
        if isinstance(name, str):
            return name
    return ""


def _new(incoming: Incoming, registry: Registry) -> Change:
    return Change(
        incoming.number,
        "new",
        name=incoming.display_name,
        incoming=incoming,
        fields={name: [None, value] for name, value in incoming.fields.items() if value not in ("", None)},
        new_events=incoming.events,
        new_sentences=incoming.sentences,
        interests=incoming.interests,
    )


@dataclass
class _State:
    person: dict
    events: list[timeline.TimelineEvent]
    sentences: dict  # verdict_date -> (pk, fields, article keys)
    interests: set[str]


def _current_state(pks: list[int]) -> dict[int, _State]:
    if not pks:
        return {}
    rows = Person.objects.filter(pk__in=pks).values("id", "source_ref", "region_id", *compared_columns())
    region_slugs = dict(Person.region.field.related_model.objects.values_list("pk", "slug"))
    events: dict[int, list[timeline.TimelineEvent]] = defaultdict(list)
    for person_id, kind, date, facility_id in (
        Event.objects.filter(person_id__in=pks)
        .order_by("date", "id")
        .values_list("person_id", "kind", "date", "facility_id")
    ):
        events[person_id].append(timeline.TimelineEvent(kind, date, facility_id))
    articles: dict[int, set[str]] = defaultdict(set)
    for sentence_id, code, number, part in Sentence.articles.through.objects.filter(
        sentence__person_id__in=pks
    ).values_list("sentence_id", "article__code", "article__number", "article__part"):
        articles[sentence_id].add(f"{code}:{number}:{part}")
    sentences: dict[int, dict] = defaultdict(dict)
    for sentence in Sentence.objects.filter(person_id__in=pks).values():
        sentences[sentence["person_id"]][sentence["verdict_date"]] = (
            sentence["id"],
            sentence,
            articles[sentence["id"]],
        )
    interests: dict[int, set[str]] = defaultdict(set)
    for person_id, slug in Person.interests.through.objects.filter(person_id__in=pks).values_list(
        "person_id", "interest__slug"
    ):
        interests[person_id].add(slug)
    state = {}
    for row in rows:
        row["region"] = region_slugs.get(row.pop("region_id"))
        state[row["id"]] = _State(row, events[row["id"]], sentences[row["id"]], interests[row["id"]])
    return state


def _compare(
    incoming: Incoming,
    pk: int,
    current: dict[int, _State],
    registry: Registry,
    fmt: str,
    today: datetime.date,
) -> Change:
    state = current[pk]
    change = Change(incoming.number, "changed", name=incoming.display_name, person_id=pk, incoming=incoming)
    for name, value in incoming.fields.items():
        if fmt != "snapshot" and value in ("", None):
            continue  # the list says nothing: keep what we have
        if not _same(state.person.get(name), value):
            change.fields[name] = [state.person.get(name), value]
    if incoming.source_ref and not state.person["source_ref"]:
        change.fields["source_ref"] = ["", incoming.source_ref]
    change.new_events = _events_to_add(incoming, state, registry, fmt, today)
    for sentence in incoming.sentences:
        existing = state.sentences.get(sentence.verdict_date)
        if existing is None:
            change.new_sentences.append(sentence)
            continue
        sentence_pk, row, article_keys = existing
        diff = {
            name: [row[name], getattr(sentence, name)]
            for name in ("term_months", "regime", "court", "judge", "appeal_date", "note")
            if not _same(row[name], getattr(sentence, name))
            and (fmt == "snapshot" or getattr(sentence, name))
        }
        incoming_keys = {a.key for a in sentence.articles}
        if incoming_keys != article_keys and (fmt == "snapshot" or incoming_keys):
            diff["articles"] = [sorted(article_keys), sorted(incoming_keys)]
        if diff:
            change.changed_sentences.append((sentence_pk, sentence, diff))
    if incoming.interests is not None and set(incoming.interests) != state.interests:
        change.interests = incoming.interests
    if not (
        change.fields
        or change.new_events
        or change.new_sentences
        or change.changed_sentences
        or change.interests is not None
    ):
        change.kind = "unchanged"
    return change


def _events_to_add(
    incoming: Incoming, state: _State, registry: Registry, fmt: str, today: datetime.date
) -> list[IncomingEvent]:
    existing = {(e.kind, e.date) for e in state.events}
    if fmt == "snapshot":
        with_facility = {
            (e.kind, e.date, registry.facilities_by_pk[e.facility_id].slug if e.facility_id else None)
            for e in state.events
        }
        return [
            e
            for e in incoming.events
            if (e.kind, e.date, registry.facility_slug(e.facility)) not in with_facility
        ]
    derived = timeline.derive(state.events, today)
    in_custody = derived.status in {Status.POLITICAL_PRISONER, Status.PERSECUTED}
    held_at = registry.facilities_by_pk.get(_latest_facility(state.events, today))
    to_add = []
    for event in incoming.events:
        if event.kind == EventKind.RECOGNIZED and any(kind == EventKind.RECOGNIZED for kind, _d in existing):
            continue
        if event.kind in ENDING_KINDS - {EventKind.DIED} and not in_custody:
            continue  # already released: an unknown-date release must not repeat every day
        if event.kind == EventKind.TRANSFERRED:
            facility_slug = registry.facility_slug(event.facility)
            if facility_slug and held_at and held_at.slug == facility_slug:
                continue
            if not in_custody and derived.status != Status.AT_LARGE:
                continue
            if state.events:  # a transfer the list shows today: it happened by today
                event = replace(event, date=today, note_code=Event.Note.SEEN_IN_LIST)
        if (event.kind, event.date) in existing:
            continue
        to_add.append(event)
    return to_add


def _latest_facility(events: list[timeline.TimelineEvent], today: datetime.date) -> int | None:
    """Where the timeline has the person now: the latest facility since their latest detention (as
    `timeline.derive` has it for someone held), or of the whole timeline for someone the registry
    holds no detention of (the list may know where they are and not since when)."""
    detained = timeline.latest_detention(events, today)
    facility_id = None
    for event in sorted(events, key=lambda e: e.date):
        if event.facility_id and event.date <= today and (detained is None or event.date >= detained):
            facility_id = event.facility_id
    return facility_id


def _missing(seen_refs: set[str], prefix: str) -> list[Change]:
    """People from this list who are held now but absent from the file: perhaps released."""
    absent = (
        Person.objects.filter(source_ref__startswith=prefix, status=Status.POLITICAL_PRISONER)
        .exclude(source_ref__in=seen_refs)
        .only("pk", "source_ref", "first_name", "last_name")
    )
    return [
        Change(
            0,
            "missing",
            name=person.full_name,
            person_id=person.pk,
            reason="check: possibly released (no longer on the list)",
        )
        for person in absent
    ]
