"""The rules of refreshing the derived fields that mutation testing found untested: any one of
status, facility and start of detention changing alone, either way, is stored, and nothing else is
reported as a change; a refresh writes only the derived
fields; refreshing some people leaves the others alone; refreshing many reads the events once."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from solidarity.registry.models import Event, EventKind, Person, Status
from solidarity.registry.services import refresh_all_derived_fields, refresh_derived_fields

from .factories import EventFactory, FacilityFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 21)
DETAINED_ON = datetime.date(2021, 1, 10)


def detained_person(facility=None, recognized=True) -> Person:
    """A person detained in a facility (recognised by default), derived fields refreshed."""
    person = PersonFactory()
    EventFactory(
        person=person, kind=EventKind.DETAINED, date=DETAINED_ON, facility=facility or FacilityFactory()
    )
    if recognized:
        EventFactory(person=person, kind=EventKind.RECOGNIZED, date=datetime.date(2021, 2, 1))
    refresh_derived_fields(person, today=TODAY)
    return person


def derived(person) -> tuple:
    person = Person.objects.get(pk=person.pk)
    return person.status, person.current_facility_id, person.imprisoned_since


def test_a_transfer_alone_moves_the_current_facility():
    person = detained_person()
    colony = FacilityFactory()
    EventFactory(person=person, kind=EventKind.TRANSFERRED, date=datetime.date(2022, 3, 1), facility=colony)
    assert refresh_derived_fields(person, today=TODAY) is True
    assert derived(person) == (Status.POLITICAL_PRISONER, colony.pk, DETAINED_ON)


def test_a_corrected_date_of_detention_alone_moves_the_start_of_custody():
    person = detained_person()
    facility_id = person.current_facility_id
    Event.objects.filter(person=person, kind=EventKind.DETAINED).update(date=datetime.date(2021, 1, 5))
    assert refresh_derived_fields(person, today=TODAY) is True
    assert derived(person) == (Status.POLITICAL_PRISONER, facility_id, datetime.date(2021, 1, 5))


def test_a_date_of_detention_corrected_to_later_alone_moves_the_start_of_custody():
    person = detained_person()
    facility_id = person.current_facility_id
    Event.objects.filter(person=person, kind=EventKind.DETAINED).update(date=datetime.date(2021, 1, 20))
    assert refresh_derived_fields(person, today=TODAY) is True
    assert derived(person) == (Status.POLITICAL_PRISONER, facility_id, datetime.date(2021, 1, 20))


def test_a_recognition_alone_makes_a_persecuted_person_a_political_prisoner():
    person = detained_person(recognized=False)
    before = derived(person)
    assert before[0] == Status.PERSECUTED
    EventFactory(person=person, kind=EventKind.RECOGNIZED, date=datetime.date(2021, 3, 1))
    assert refresh_derived_fields(person, today=TODAY) is True
    assert derived(person) == (Status.POLITICAL_PRISONER, before[1], before[2])


def test_a_transfer_back_to_an_older_facility_alone_moves_the_current_facility():
    older, newer = FacilityFactory(), FacilityFactory()
    person = detained_person(facility=newer)
    EventFactory(person=person, kind=EventKind.TRANSFERRED, date=datetime.date(2022, 3, 1), facility=older)
    assert refresh_derived_fields(person, today=TODAY) is True
    assert derived(person) == (Status.POLITICAL_PRISONER, older.pk, DETAINED_ON)


def test_a_withdrawn_recognition_alone_makes_a_political_prisoner_persecuted_again():
    person = detained_person()
    before = derived(person)
    Event.objects.filter(person=person, kind=EventKind.RECOGNIZED).delete()  # entered in error
    assert refresh_derived_fields(person, today=TODAY) is True
    assert derived(person) == (Status.PERSECUTED, before[1], before[2])


def test_a_second_refresh_reports_no_change_whatever_the_size_of_the_ids():
    person = detained_person(facility=FacilityFactory(pk=100_000))
    assert derived(person)[1] == 100_000
    assert refresh_derived_fields(Person.objects.get(pk=person.pk), today=TODAY) is False


def test_a_refresh_writes_only_the_derived_fields_and_keeps_a_friend_count_moved_meanwhile():
    person = detained_person()
    Person.objects.filter(pk=person.pk).update(friend_count=5)  # a friend arrived since it was read
    EventFactory(person=person, kind=EventKind.RELEASED, date=datetime.date(2024, 9, 1))
    assert refresh_derived_fields(person, today=TODAY) is True
    person = Person.objects.get(pk=person.pk)
    assert (person.status, person.friend_count) == (Status.RELEASED, 5)


def test_refreshing_everyone_stores_and_counts_only_the_people_whose_fields_changed():
    unchanged, withdrawn = detained_person(), detained_person()
    Event.objects.filter(person=withdrawn, kind=EventKind.RECOGNIZED).delete()  # entered in error
    assert refresh_all_derived_fields(today=TODAY) == 1
    assert derived(withdrawn)[0] == Status.PERSECUTED
    assert derived(unchanged)[0] == Status.POLITICAL_PRISONER
    assert refresh_all_derived_fields(today=TODAY) == 0


def test_refreshing_some_people_leaves_the_others_as_they_were():
    chosen, other = PersonFactory(), PersonFactory()
    for person in (chosen, other):
        EventFactory(person=person, kind=EventKind.DETAINED, date=DETAINED_ON, facility=FacilityFactory())
        EventFactory(person=person, kind=EventKind.RECOGNIZED, date=datetime.date(2021, 2, 1))
    assert refresh_all_derived_fields(people=iter([chosen.pk]), today=TODAY) == 1
    assert derived(chosen)[0] == Status.POLITICAL_PRISONER
    assert derived(other) == (Status.AT_LARGE, None, None)


def test_refreshing_everyone_takes_the_same_number_of_queries_for_one_person_or_three():
    def stale_prisoner():
        person = PersonFactory()
        EventFactory(person=person, kind=EventKind.DETAINED, date=DETAINED_ON, facility=FacilityFactory())
        EventFactory(person=person, kind=EventKind.RECOGNIZED, date=datetime.date(2021, 2, 1))
        return person

    def queries_to_refresh() -> int:
        Person.objects.update(status=Status.AT_LARGE, current_facility=None, imprisoned_since=None)
        with CaptureQueriesContext(connection) as captured:
            changed = refresh_all_derived_fields(today=TODAY)
        assert changed == Person.objects.filter(status=Status.POLITICAL_PRISONER).count()
        return len(captured)

    stale_prisoner()
    one = queries_to_refresh()
    stale_prisoner()
    stale_prisoner()
    three = queries_to_refresh()
    print(f"\nrefresh_all_derived_fields: {one} queries for 1 person, {three} for 3")
    assert Person.objects.filter(status=Status.POLITICAL_PRISONER).count() == 3
    assert three == one
