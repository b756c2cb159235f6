import datetime
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from solidarity.registry import timeline
from solidarity.registry.models import Event, EventKind, Person, Status
from solidarity.registry.services import refresh_all_derived_fields, refresh_derived_fields

from .factories import EventFactory, FacilityFactory, PersonFactory

D = datetime.date


def events(*pairs, facility=None):
    return [Event(kind=kind, date=date, facility=facility) for kind, date in pairs]


def test_a_recognised_detained_person_is_a_political_prisoner_from_recognition_on():
    timeline_ = events((EventKind.DETAINED, D(2021, 1, 10)), (EventKind.RECOGNIZED, D(2021, 2, 1)))
    assert not timeline.is_political_prisoner_on(timeline_, D(2021, 1, 31))
    assert timeline.is_political_prisoner_on(timeline_, D(2021, 2, 1))
    assert timeline.is_political_prisoner_on(timeline_, D(2025, 1, 1))


def test_release_pardon_and_death_end_it_on_their_day():
    for ending in (EventKind.RELEASED, EventKind.PARDONED, EventKind.DIED):
        timeline_ = events(
            (EventKind.DETAINED, D(2021, 1, 10)),
            (EventKind.RECOGNIZED, D(2021, 2, 1)),
            (ending, D(2023, 5, 1)),
        )
        assert timeline.is_political_prisoner_on(timeline_, D(2023, 4, 30))
        assert not timeline.is_political_prisoner_on(timeline_, D(2023, 5, 1))


def test_a_new_detention_after_release_counts_again_without_a_new_recognition():
    timeline_ = events(
        (EventKind.DETAINED, D(2021, 1, 10)),
        (EventKind.RECOGNIZED, D(2021, 2, 1)),
        (EventKind.RELEASED, D(2022, 1, 10)),
        (EventKind.DETAINED, D(2023, 3, 3)),
    )
    assert not timeline.is_political_prisoner_on(timeline_, D(2023, 3, 2))
    assert timeline.is_political_prisoner_on(timeline_, D(2023, 3, 3))


def test_rearrest_at_the_prison_gate_on_the_day_of_release_keeps_the_person_in_custody():
    timeline_ = events(
        (EventKind.DETAINED, D(2021, 1, 10)),
        (EventKind.RECOGNIZED, D(2021, 2, 1)),
        (EventKind.RELEASED, D(2022, 1, 10)),
        (EventKind.DETAINED, D(2022, 1, 10)),
    )
    assert timeline.is_political_prisoner_on(timeline_, D(2022, 1, 10))


def test_derive_gives_status_facility_and_start_of_detention():
    timeline_ = [
        Event(kind=EventKind.DETAINED, date=D(2021, 1, 10), facility_id=1),
        Event(kind=EventKind.TRANSFERRED, date=D(2021, 6, 1), facility_id=2),
        Event(kind=EventKind.RECOGNIZED, date=D(2021, 2, 1)),
    ]
    assert timeline.derive(timeline_, D(2021, 1, 20)) == timeline.Derived(
        Status.PERSECUTED, 1, D(2021, 1, 10)
    )
    assert timeline.derive(timeline_, D(2022, 1, 1)) == timeline.Derived(
        Status.POLITICAL_PRISONER, 2, D(2021, 1, 10)
    )
    assert timeline.derive(timeline_, D(2020, 1, 1)).status == Status.AT_LARGE
    released = [*timeline_, Event(kind=EventKind.RELEASED, date=D(2023, 1, 1))]
    assert timeline.derive(released, D(2023, 1, 1)) == timeline.Derived(Status.RELEASED, None, None)
    died = [*timeline_, Event(kind=EventKind.DIED, date=D(2023, 1, 1))]
    assert timeline.derive(died, D(2024, 1, 1)).status == Status.DIED


@pytest.mark.django_db
def test_the_query_returns_the_people_imprisoned_on_a_date():
    held = PersonFactory()
    EventFactory(person=held, kind=EventKind.DETAINED, date=D(2021, 1, 1))
    EventFactory(person=held, kind=EventKind.RECOGNIZED, date=D(2021, 2, 1))
    released = PersonFactory()
    EventFactory(person=released, kind=EventKind.DETAINED, date=D(2021, 1, 1))
    EventFactory(person=released, kind=EventKind.RECOGNIZED, date=D(2021, 2, 1))
    EventFactory(person=released, kind=EventKind.RELEASED, date=D(2022, 1, 1))
    unrecognised = PersonFactory()
    EventFactory(person=unrecognised, kind=EventKind.DETAINED, date=D(2021, 1, 1))

    assert set(Person.objects.political_prisoners_on(D(2021, 1, 15))) == set()
    assert set(Person.objects.political_prisoners_on(D(2021, 6, 1))) == {held, released}
    assert set(Person.objects.political_prisoners_on(D(2022, 1, 1))) == {held}


@pytest.mark.django_db
def test_refreshing_stores_what_the_timeline_says_today():
    facility = FacilityFactory()
    person = PersonFactory()
    EventFactory(person=person, kind=EventKind.DETAINED, date=D(2021, 1, 1), facility=facility)
    EventFactory(person=person, kind=EventKind.RECOGNIZED, date=D(2021, 2, 1))
    assert person.status == Status.AT_LARGE

    assert refresh_derived_fields(person) is True
    person.refresh_from_db()
    assert (person.status, person.current_facility, person.imprisoned_since) == (
        Status.POLITICAL_PRISONER,
        facility,
        D(2021, 1, 1),
    )
    assert refresh_derived_fields(person) is False

    EventFactory(person=person, kind=EventKind.PARDONED, date=D(2024, 9, 1))
    assert refresh_all_derived_fields() == 1
    person.refresh_from_db()
    assert (person.status, person.current_facility) == (Status.RELEASED, None)


DAYS = st.dates(min_value=D(2020, 1, 1), max_value=D(2026, 12, 31))
TIMELINES = st.lists(
    st.lists(st.tuples(st.sampled_from(list(EventKind)), DAYS), max_size=7),
    min_size=1,
    max_size=6,
)


class TestQueryAgreesWithTheRule(TestCase):
    """The SQL query and the Python rule give the same people on any date, for any timelines."""

    @settings(max_examples=40, deadline=None)
    @given(timelines=TIMELINES, days=st.lists(DAYS, min_size=1, max_size=4))
    def test_sql_and_python_agree(self, timelines, days):
        people = {}
        for pairs in timelines:
            person = PersonFactory()
            Event.objects.bulk_create(
                Event(person=person, kind=kind, date=date, source_citation="test") for kind, date in pairs
            )
            people[person.pk] = events(*pairs)
        for day in days:
            expected = {
                pk for pk, timeline_ in people.items() if timeline.is_political_prisoner_on(timeline_, day)
            }
            actual = set(Person.objects.political_prisoners_on(day).values_list("pk", flat=True))
            assert actual == expected, day


def test_random_timelines_agree_with_a_brute_force_count():
    """The same rule, checked from the other side: day by day, by walking each timeline."""
    rng = random.Random(7)
    for _ in range(300):
        start = D(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 800))
        recognized = start + datetime.timedelta(days=rng.randint(0, 100))
        end = start + datetime.timedelta(days=rng.randint(1, 900))
        timeline_ = events(
            (EventKind.DETAINED, start), (EventKind.RECOGNIZED, recognized), (EventKind.RELEASED, end)
        )
        day = D(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 1500))
        assert timeline.is_political_prisoner_on(timeline_, day) == (recognized <= day < end and start <= day)


def test_intervals_agree_with_the_rule_on_every_day_of_random_timelines():
    rng = random.Random(11)
    kinds = list(EventKind)
    for _ in range(400):
        timeline_ = [
            Event(kind=rng.choice(kinds), date=D(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 60)))
            for _ in range(rng.randint(0, 8))
        ]
        intervals = timeline.prisoner_intervals(timeline_)
        for offset in range(0, 70):
            day = D(2020, 1, 1) + datetime.timedelta(days=offset)
            inside = any(start <= day and (end is None or day < end) for start, end in intervals)
            assert inside == timeline.is_political_prisoner_on(timeline_, day), (timeline_, day)


def test_the_next_birthday_and_the_leap_day_in_common_years():
    person = Person(birth_date=D(2000, 2, 29))
    assert person.next_birthday(D(2026, 2, 1)) == D(2026, 2, 28)
    assert person.next_birthday(D(2027, 3, 1)) == D(2028, 2, 29)
    assert Person(birth_date=D(1990, 11, 21)).next_birthday(D(2026, 11, 21)) == D(2026, 11, 21)
    assert Person().next_birthday(D(2026, 1, 1)) is None
