"""Statistics derived from the timelines, never typed in.

Everything starts from each person's intervals as a political prisoner (`timeline.prisoner_intervals`,
the registry's rule), read in three flat queries. The results are cached under the registry's
version, so they are computed once per change of the registry, in any process.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from solidarity.core import derived
from solidarity.core.derived import Derived
from solidarity.registry import timeline, versioning
from solidarity.registry.models import ENDING_KINDS, Event, EventKind, Person, Sentence

SERIES_START = datetime.date(2020, 8, 1)
CACHE_SECONDS = 24 * 60 * 60

# Groups as [low, high) and a key; `GROUP_LABELS` says them in the reader's language.
AGE_GROUPS = [
    (0, 18, "minors"),
    (18, 30, "18-29"),
    (30, 45, "30-44"),
    (45, 60, "45-59"),
    (60, 70, "60-69"),
    (70, 200, "70+"),
]
TERM_GROUPS = [
    (0, 12, "<1y"),
    (12, 24, "1-2y"),
    (24, 36, "2-3y"),
    (36, 60, "3-5y"),
    (60, 120, "5-10y"),
    (120, 10_000, "10y+"),
]  # months
SERVED_GROUPS = [
    (0, 6, "<6m"),
    (6, 12, "6-12m"),
    (12, 24, "1-2y"),
    (24, 36, "2-3y"),
    (36, 60, "3-5y"),
    (60, 10_000, "5y+"),
]  # months
GROUP_LABELS = {
    "minors": _("under 18 (minors)"),
    "18-29": "18–29",
    "30-44": "30–44",
    "45-59": "45–59",
    "60-69": "60–69",
    "70+": _("70 and older"),
    "<1y": _("under 1 year"),
    "1-2y": _("1–2 years"),
    "2-3y": _("2–3 years"),
    "3-5y": _("3–5 years"),
    "5-10y": _("5–10 years"),
    "10y+": _("10 years and more"),
    "<6m": _("under 6 months"),
    "6-12m": _("6–12 months"),
    "5y+": _("5 years and more"),
    "unknown": _("not known"),
    "female": _("women"),
    "male": _("men"),
}


@dataclass(slots=True)  # no dict per person: a third less memory at tens of thousands
class Facts:
    """What statistics need to know of one person."""

    gender: str
    birth_date: datetime.date | None
    region_id: int | None
    # (kind, ISO date, facility id), plain tuples: a named tuple is pickled with a tuple of its
    # arguments, which a process reading the facts' file holds until the whole file is read.
    events: list = field(default_factory=list)
    intervals: list = field(default_factory=list)
    sentences: list = field(default_factory=list)  # (verdict_date, term_months, article ids)

    def __reduce__(self):
        # Pickled as its fields, not as a dict of them per person (the same reason).
        fields = (self.gender, self.birth_date, self.region_id, self.events, self.intervals, self.sentences)
        return (Facts, fields)


def _rows(queryset):
    """The rows of a values_list query, without Django's per-value converters: at tens of
    thousands of rows they cost more than the query (dates are parsed once, below)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        yield from cursor.fetchall()


def _as_date(value) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def load_facts() -> dict[int, Facts]:
    """Every published person's facts, read in three queries. Each value that repeats (a kind, a
    date, a facility, a set of articles) is one object however many people share it: at tens of
    thousands of people that halves what the facts weigh."""
    shared: dict = {}

    def one(value):
        return shared.setdefault(value, value)

    people = Person.objects.published()
    facts = {
        pk: Facts(one(gender), birth_date, region)
        for pk, gender, birth_date, region in people.values_list("pk", "gender", "birth_date", "region_id")
    }
    # Dates come as ISO text (Cast) for the C parser below: SQLite's date converter, in Python,
    # costs more than the query itself.
    events = Event.objects.order_by().annotate(day=Cast("date", CharField()))  # any order: intervals sort
    for person_id, kind, date, facility_id in _rows(
        events.values_list("person_id", "kind", "day", "facility_id")
    ):
        if person_id in facts:
            # ISO dates order like dates: kept as text until a computation needs real dates.
            facts[person_id].events.append(
                timeline.TimelineEvent(one(kind), one(str(date)), one(facility_id))
            )
    articles: dict[int, set[int]] = defaultdict(set)
    for sentence_id, article in Sentence.articles.through.objects.values_list("sentence_id", "article_id"):
        articles[sentence_id].add(article)
    for pk, person_id, verdict, term in Sentence.objects.values_list(
        "pk", "person_id", "verdict_date", "term_months"
    ):
        if person_id in facts:
            facts[person_id].sentences.append((one(verdict), term, one(frozenset(articles.get(pk, ())))))
    for person in facts.values():
        person.intervals = [
            (one(_as_date(start)), one(_as_date(end)) if end else None)
            for start, end in timeline.prisoner_intervals(person.events)
        ]
        person.events = [tuple(event) for event in person.events]
    return facts


# Made by one process per change of the registry and shared with the others (`core.derived`).
FACTS = Derived("stats-facts", build=load_facts, version=versioning.current_version)


def current_facts(
    *, gender: str = "", region_id: int | None = None, article_id: int | None = None
) -> list[Facts]:
    """The facts of the registry as it is now (for a moment after a change, as it was), filtered."""
    people = FACTS.current().values()
    return [
        person
        for person in people
        if (not gender or person.gender == gender)
        and (not region_id or person.region_id == region_id)
        and (not article_id or any(article_id in articles for _v, _t, articles in person.sentences))
    ]


def _cached(key: str, compute):
    full_key = f"stats:{versioning.current_version()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        if not derived.served_stale():  # made from the facts of an older version: not kept as this one's
            cache.set(full_key, value, CACHE_SECONDS)
    return value


def daily_series(
    start: datetime.date,
    end: datetime.date,
    *,
    gender: str = "",
    region_id: int | None = None,
    article_id: int | None = None,
) -> list[tuple[datetime.date, int]]:
    """The number of political prisoners on every day from start to end, both included."""

    def compute():
        days = (end - start).days + 1
        delta = [0] * (days + 1)
        for person in current_facts(gender=gender, region_id=region_id, article_id=article_id):
            for begins, ends in person.intervals:
                if ends is not None and ends <= start or begins > end:
                    continue
                delta[max(0, (begins - start).days)] += 1
                if ends is not None and ends <= end:
                    delta[(ends - start).days] -= 1
        series, running = [], 0
        for offset in range(days):
            running += delta[offset]
            series.append((start + datetime.timedelta(days=offset), running))
        return series

    return _cached(f"daily:{start}:{end}:{gender}:{region_id}:{article_id}", compute)


def monthly_flows(start: datetime.date, end: datetime.date) -> list[dict]:
    """Per month: people who became political prisoners, who were released (or pardoned), who died."""

    def compute():
        months: dict[tuple[int, int], Counter] = defaultdict(Counter)
        for person in current_facts():
            ending_kind = {date: kind for kind, date, _facility in person.events if kind in ENDING_KINDS}
            for begins, ends in person.intervals:
                if start <= begins <= end:
                    months[begins.year, begins.month]["arrivals"] += 1
                if ends is not None and start <= ends <= end:
                    kind = "deaths" if ending_kind.get(ends.isoformat()) == EventKind.DIED else "releases"
                    months[ends.year, ends.month][kind] += 1
        result = []
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            counts = months[year, month]
            result.append(
                {
                    "month": f"{year}-{month:02d}",
                    "arrivals": counts["arrivals"],
                    "releases": counts["releases"],
                    "deaths": counts["deaths"],
                }
            )
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    return _cached(f"monthly:{start}:{end}", compute)


def _group(value: int | None, groups) -> str:
    if value is None:
        return "unknown"
    return next((key for low, high, key in groups if low <= value < high), "unknown")


def breakdowns(day: datetime.date) -> dict:
    """Who the political prisoners were on `day`: by gender, age group, article, region, facility,
    sentence length and time served; with the total."""

    def compute():
        counts = {
            name: Counter() for name in ("gender", "age", "article", "region", "facility", "term", "served")
        }
        total = 0
        for person in current_facts():
            interval = next(
                ((b, e) for b, e in person.intervals if b <= day and (e is None or day < e)), None
            )
            if interval is None:
                continue
            total += 1
            counts["gender"][person.gender or "unknown"] += 1
            age = None
            if person.birth_date:
                age = (
                    day.year
                    - person.birth_date.year
                    - ((day.month, day.day) < (person.birth_date.month, person.birth_date.day))
                )
            counts["age"][_group(age, AGE_GROUPS)] += 1
            counts["region"][person.region_id] += 1
            events = [timeline.TimelineEvent(kind, _as_date(on), place) for kind, on, place in person.events]
            counts["facility"][timeline.derive(events, day).facility_id] += 1
            passed = [s for s in person.sentences if s[0] is None or s[0] <= day]
            latest = max(passed, key=lambda s: s[0] or datetime.date.min, default=None)
            counts["term"][_group(latest[1] if latest else None, TERM_GROUPS)] += 1
            for article in set().union(*(s[2] for s in passed)) if passed else ():
                counts["article"][article] += 1
            detention = timeline.latest_detention(events, day)
            served = (day.year - detention.year) * 12 + day.month - detention.month if detention else None
            counts["served"][_group(served, SERVED_GROUPS)] += 1
        return {"total": total, **{name: dict(counter) for name, counter in counts.items()}}

    return _cached(f"breakdowns:{day}", compute)
