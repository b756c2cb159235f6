"""The timeline rule in plain Python: what a person's dated events say about any day.

`PersonQuerySet.political_prisoners_on` is the same rule in SQL; tests hold the two equal.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from .models import ENDING_KINDS, EventKind, Status


class EventLike(Protocol):
    kind: str
    date: datetime.date
    facility_id: int | None


class TimelineEvent(NamedTuple):
    """An event as the rule reads it, for code that reads thousands without building models."""

    kind: str
    date: datetime.date
    facility_id: int | None


def latest_detention(events: Iterable[EventLike], day: datetime.date) -> datetime.date | None:
    dates = [e.date for e in events if e.kind == EventKind.DETAINED and e.date <= day]
    return max(dates, default=None)


def in_custody_on(events: Iterable[EventLike], day: datetime.date) -> bool:
    events = list(events)
    detained = latest_detention(events, day)
    if detained is None:
        return False
    return not any(e.kind in ENDING_KINDS and detained < e.date <= day for e in events)


def is_recognized_on(events: Iterable[EventLike], day: datetime.date) -> bool:
    return any(e.kind == EventKind.RECOGNIZED and e.date <= day for e in events)


def is_political_prisoner_on(events: Iterable[EventLike], day: datetime.date) -> bool:
    events = list(events)
    return is_recognized_on(events, day) and in_custody_on(events, day)


@dataclass(frozen=True)
class Derived:
    status: str
    facility_id: int | None
    imprisoned_since: datetime.date | None


def derive(events: Iterable[EventLike], day: datetime.date) -> Derived:
    """Status, facility and start of the current detention on `day`."""
    events = sorted(events, key=lambda e: e.date)
    if any(e.kind == EventKind.DIED and e.date <= day for e in events):
        return Derived(Status.DIED, None, None)
    detained = latest_detention(events, day)
    if detained is None:
        return Derived(Status.AT_LARGE, None, None)
    if not in_custody_on(events, day):
        return Derived(Status.RELEASED, None, None)
    facility_id = None
    for event in events:
        if detained <= event.date <= day and event.facility_id:
            facility_id = event.facility_id
    status = Status.POLITICAL_PRISONER if is_recognized_on(events, day) else Status.PERSECUTED
    return Derived(status, facility_id, detained)


def prisoner_intervals(events: Iterable[EventLike]) -> list[tuple[datetime.date, datetime.date | None]]:
    """The spans [start, end) in which the rule makes the person a political prisoner (end None:
    still one). One pass over the events in date order, so that statistics over thousands of
    timelines stay fast; tests hold it equal to `is_political_prisoner_on` on every date."""
    by_date: dict[datetime.date, set[str]] = {}
    for event in events:
        by_date.setdefault(event.date, set()).add(event.kind)
    intervals: list[tuple[datetime.date, datetime.date | None]] = []
    recognized, detained, ended, start = False, None, False, None
    for day in sorted(by_date):
        kinds = by_date[day]
        recognized = recognized or EventKind.RECOGNIZED in kinds
        if EventKind.DETAINED in kinds:
            detained, ended = day, False  # an ending on the day of a new detention does not end it
        elif kinds & ENDING_KINDS and detained is not None:
            ended = True
        held = recognized and detained is not None and not ended
        if held and start is None:
            start = day
        elif not held and start is not None:
            intervals.append((start, day))
            start = None
    if start is not None:
        intervals.append((start, None))
    return intervals
