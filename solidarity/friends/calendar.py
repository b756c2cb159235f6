"""The friend's calendar feed: birthdays and a monthly reminder to write, for each person they
support. It says nothing about the subscriber: no name, no codename, no dates of their marks."""

import datetime

from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Friendship


def build(friendships: list[Friendship], today: datetime.date, site_name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//solidarity//friends//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", str(site_name))
    stamp = datetime.datetime.combine(today, datetime.time.min, tzinfo=datetime.UTC)
    for friendship in friendships:
        person = friendship.person
        if person.birth_date:
            birthday = Event()
            birthday.add("uid", f"birthday-{person.pk}@solidarity")
            birthday.add("dtstamp", stamp)
            birthday.add("summary", _("Birthday of %(name)s") % {"name": person.full_name})
            birthday.add("dtstart", person.birth_date)
            birthday.add("rrule", {"freq": "yearly"})
            calendar.add_component(birthday)
        reminder = Event()
        reminder.add("uid", f"letter-{person.pk}@solidarity")
        reminder.add("dtstamp", stamp)
        reminder.add("summary", _("Write to %(name)s") % {"name": person.full_name})
        reminder.add("dtstart", today.replace(day=1))
        reminder.add("rrule", {"freq": "monthly"})
        calendar.add_component(reminder)
    return calendar.to_ical()
