"""What the friendship app adds to pages and services (see `core.plugins`), its own dues and
calendar events included: they are registered like anyone else's."""

import datetime

from django.utils.translation import gettext_lazy as _

from solidarity.core import plugins
from solidarity.registry.models import Person

from . import calendar, dues, services


def profile_section(person: Person, today: datetime.date) -> dict | None:
    """The befriend button and the count, for those who may be befriended (recognised political
    prisoners held now)."""
    return {} if services.may_befriend(person) else None


def register() -> None:
    plugins.profile_sections.register(
        "friends", plugins.ProfileSection("friends/_profile_section.html", profile_section), order=10
    )
    plugins.dues.register("friends.letter", dues.letter_due, order=10)
    plugins.dues.register("friends.birthday", dues.birthday_due, order=20)
    plugins.calendar_events.register("friends.birthday", calendar.birthday_events, order=10)
    plugins.calendar_events.register("friends.letter", calendar.letter_reminders, order=20)
    plugins.help_cards.register(
        "friends",
        plugins.HelpCard(
            title=_("Become a friend"),
            text=_(
                "Choose one person and support them regularly, anonymously. "
                "Those with the fewest friends need it most."
            ),
            url_name="friends_home",
        ),
        order=30,
    )
