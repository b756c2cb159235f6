"""What the letters app adds to pages and services that other apps own (see `core.plugins`)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from solidarity.core import plugins
from solidarity.registry.models import IN_CUSTODY, Person

from . import services
from .api import router
from .models import Reachability


def profile_section(person: Person, today: datetime.date) -> dict | None:
    """Where to write, whether letters arrive, and how many went through us."""
    if person.status not in IN_CUSTODY or person.current_facility_id is None:
        return None
    return {
        "known": services.reachability_of(person),
        "statuses": Reachability.Status,
        "mailed": services.letters_mailed_to(person),
    }


def write_to(person: Person) -> str | None:
    """The letter page, for someone held at a known address."""
    if person.status not in IN_CUSTODY or person.current_facility_id is None:
        return None
    return reverse("compose_letter", args=[person.pk])


def register() -> None:
    plugins.chores.register("letters.purge", plugins.Chore("purge_letters"), order=20)
    plugins.page_versions.register("letters", services.PUBLIC_VERSION)
    plugins.profile_sections.register(
        "letters", plugins.ProfileSection("letters/_profile_section.html", profile_section), order=20
    )
    plugins.friend_actions.register("letters", plugins.PersonAction(_("Write a letter"), write_to), order=10)
    plugins.help_cards.register(
        "letters.letter",
        plugins.HelpCard(
            title=_("Write a letter"),
            text=_(
                "A letter tells a person in prison that they are not forgotten. "
                "We help you write one that the censor lets through."
            ),
            url_name="people_list",
        ),
        order=10,
    )
    plugins.help_cards.register(
        "letters.postcard",
        plugins.HelpCard(
            title=_("Send a postcard"),
            text=_("A birthday is the commonest reason to write: a few warm words are enough."),
            url_name="birthdays",
        ),
        order=20,
    )
    plugins.api_routers.register("letters", plugins.ApiRouter("letters", router), order=50)
    # Volunteers print and mail letters: a letter is never added or edited by them, only moved
    # along the queue ("change") and given replies. Whether letters arrive is editors' and theirs.
    plugins.role_permissions.register(
        "letters.volunteer",
        plugins.RolePermissions(
            plugins.LETTERS_VOLUNTEER,
            {
                "letters.letter": ("view", "change"),
                "letters.reply": ("view", "add", "delete"),
                "letters.reachability": plugins.EDIT,
                "letters.ruleset": ("view", "change"),
                "letters.rule": plugins.EDIT,
            },
        ),
    )
    plugins.role_permissions.register(
        "letters.editor", plugins.RolePermissions(plugins.EDITOR, {"letters.reachability": plugins.EDIT})
    )
