"""What is due for each person a friend supports. Each kind of due is a function of (friendship,
marks, today) registered in `core.plugins.dues`: this app registers the letter of the month and
the birthday (`friends.plugins`); others add theirs (the parcel window, an open campaign)."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from solidarity.core import plugins
from solidarity.registry.models import IN_CUSTODY

from .models import Friendship, Mark

BIRTHDAY_NOTICE_DAYS = 30


@dataclass(frozen=True)
class Due:
    kind: str
    text: str
    urgent: bool = False
    url: str = ""  # where to do it, when another page does it


def letter_due(friendship: Friendship, marks: list[Mark], today: datetime.date) -> Due | None:
    if friendship.person.status not in IN_CUSTODY:  # released, or died: nobody to write to in prison
        return None
    wrote = [
        m
        for m in marks
        if m.kind == Mark.Kind.LETTER and (m.date.year, m.date.month) == (today.year, today.month)
    ]
    if wrote:
        return None
    return Due("letter", _("A letter this month"), urgent=today.day >= 20)


def birthday_due(friendship: Friendship, marks: list[Mark], today: datetime.date) -> Due | None:
    if friendship.person.status not in IN_CUSTODY:
        return None
    birthday = friendship.person.next_birthday(today)
    if birthday is None:
        return None
    days = (birthday - today).days
    if days > BIRTHDAY_NOTICE_DAYS:
        return None
    if days == 0:
        return Due("birthday", _("Birthday today"), urgent=True)
    text = ngettext("Birthday in %(days)d day", "Birthday in %(days)d days", days) % {"days": days}
    return Due("birthday", text, urgent=days <= 14)


def dues_for(friendship: Friendship, marks: list[Mark], today: datetime.date) -> list[Due]:
    return [due for provider in plugins.dues if (due := provider(friendship, marks, today))]
