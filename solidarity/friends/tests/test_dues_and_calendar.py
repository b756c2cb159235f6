"""What is due and what the calendar holds, read by an independent client (recurring-ical-events):
a leap-day birthday every year, and nothing asked for someone released or dead."""

import datetime

import icalendar
import pytest
import recurring_ical_events
import time_machine

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.friends import calendar, services
from solidarity.friends.dues import dues_for
from solidarity.friends.models import Friendship
from solidarity.registry.models import EventKind
from solidarity.registry.services import refresh_all_derived_fields
from solidarity.registry.tests.factories import EventFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 21)


def _friendship(person) -> Friendship:
    friend, _codename = services.create_friend()
    services.befriend(friend=friend, person=person)
    return Friendship.objects.select_related("person").get(friend=friend)


def _occurrences(friendship, start, end) -> list[tuple[str, datetime.date]]:
    feed = icalendar.Calendar.from_ical(calendar.build([friendship], TODAY, "Site"))
    return sorted(
        (str(event["SUMMARY"]), event["DTSTART"].dt)
        for event in recurring_ical_events.of(feed).between(start, end)
    )


@time_machine.travel(TODAY)
def test_a_leap_day_birthday_comes_on_the_28th_in_common_years_and_the_29th_in_leap_years():
    person = prisoner(first_name_en="Ihar", last_name_en="Losik", birth_date=datetime.date(1992, 2, 29))
    birthdays = [
        day
        for summary, day in _occurrences(
            _friendship(person), datetime.date(2027, 1, 1), datetime.date(2029, 1, 1)
        )
        if summary.startswith("Birthday")
    ]
    assert birthdays == [datetime.date(2027, 2, 28), datetime.date(2028, 2, 29)]


@time_machine.travel(TODAY)
def test_an_ordinary_birthday_recurs_on_its_day():
    person = prisoner(birth_date=datetime.date(1990, 12, 5))
    birthdays = [
        day
        for summary, day in _occurrences(
            _friendship(person), datetime.date(2027, 1, 1), datetime.date(2029, 1, 1)
        )
        if summary.startswith("Birthday")
    ]
    assert birthdays == [datetime.date(2027, 12, 5), datetime.date(2028, 12, 5)]


@pytest.mark.parametrize("ending", [EventKind.RELEASED, EventKind.DIED])
@time_machine.travel(TODAY)
def test_nothing_is_due_or_in_the_calendar_for_someone_released_or_dead(ending):
    person = prisoner(birth_date=datetime.date(1990, 12, 1))
    friendship = _friendship(person)
    assert [due.kind for due in dues_for(friendship, [], TODAY)] == ["letter", "birthday"]
    assert _occurrences(friendship, TODAY, TODAY + datetime.timedelta(days=40))

    EventFactory(person=person, kind=ending, date=TODAY - datetime.timedelta(days=3))
    refresh_all_derived_fields()
    friendship = Friendship.objects.select_related("person").get(pk=friendship.pk)
    assert dues_for(friendship, [], TODAY) == []
    assert _occurrences(friendship, TODAY, TODAY + datetime.timedelta(days=400)) == []
