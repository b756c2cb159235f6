"""The friend's calendar feed: birthdays and a monthly reminder to write, for each person they
support. It says nothing about the subscriber: no name, no codename, no dates of their marks."""

import datetime

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from solidarity.core import plugins
from solidarity.registry.models import IN_CUSTODY

from .models import Friendship


def birthday_events(friendship: Friendship, today: datetime.date) -> list[Event]:
    person = friendship.person
    if not person.birth_date or person.status not in IN_CUSTODY:
        return []
    birthday = Event()
    birthday.add("uid", f"birthday-{person.pk}@solidarity")
    birthday.add("summary", _("Birthday of %(name)s") % {"name": person.full_name})
    birthday.add("dtstart", person.birth_date)
    if (person.birth_date.month, person.birth_date.day) == (2, 29):
        # The last day of February: the 29th in leap years, the 28th in others (as the friend's page says).
        birthday.add("rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1})
    else:
        birthday.add("rrule", {"freq": "yearly"})
    return [birthday]


def letter_reminders(friendship: Friendship, today: datetime.date) -> list[Event]:
    person = friendship.person
    if person.status not in IN_CUSTODY:  # released, or died: the reminders stop
        return []
    reminder = Event()
    reminder.add("uid", f"letter-{person.pk}@solidarity")
    reminder.add("summary", _("Write to %(name)s") % {"name": person.full_name})
    reminder.add("dtstart", today.replace(day=1))
    reminder.add("rrule", {"freq": "monthly"})
    return [reminder]


def build(friendships: list[Friendship], today: datetime.date, site_name: str) -> bytes:
    """The feed of every registered kind of event (`core.plugins.calendar_events`) for each person."""
    calendar = Calendar()
    calendar.add("prodid", "-//solidarity//friends//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", str(site_name))
    # Stamped with the day, not the moment: the feed says nothing about when it was fetched.
    stamp = datetime.datetime.combine(today, datetime.time.min, tzinfo=datetime.UTC)
    for friendship in friendships:
        for provider in plugins.calendar_events:
            for event in provider(friendship, today):
                event.add("dtstamp", stamp)
                calendar.add_component(event)
    return calendar.to_ical()
