"""What petitions add to pages and services that other apps own (see `core.plugins`)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from solidarity.core import plugins
from solidarity.registry.models import Person

from . import services
from .api import router


def profile_section(person: Person, today: datetime.date) -> dict | None:
    """The open petitions that name this person."""
    petitions = [
        services.shown_figures(petition) for petition in services.open_petitions().filter(people=person)
    ]
    return {"petitions": petitions} if petitions else None


def register() -> None:
    # Expiry, deadlines and the day's ledger, and at a start whatever a stopped worker missed.
    plugins.chores.register("petitions.daily", plugins.Chore("petitions_daily", at_start=True), order=20)
    plugins.page_versions.register("petitions", services.HourlyVersion())
    plugins.api_routers.register("petitions", plugins.ApiRouter("petitions", router), order=80)
    plugins.help_cards.register(
        "petitions",
        plugins.HelpCard(
            _("Sign a petition"),
            _("Confirmed by e-mail, counted once, and nobody can see who signed unless you choose it."),
            "petitions",
        ),
        order=70,
    )
    plugins.warm_ups.register("petitions", plugins.WarmUp(pages=lambda: [reverse("petitions")]))
    plugins.profile_sections.register(
        "petitions", plugins.ProfileSection("petitions/_profile_section.html", profile_section), order=70
    )
    # Editors write petitions, moderate signatures and export the delivery; nobody edits a
    # signature by hand (the count follows services only).
    plugins.role_permissions.register(
        "petitions.editor",
        plugins.RolePermissions(
            plugins.EDITOR,
            {
                "petitions.petition": ("view", "add", "change", "moderate"),
                "petitions.milestone": plugins.EDIT,
                "petitions.signature": ("view",),
                "petitions.invalidation": ("view",),
                "petitions.ledgerentry": ("view",),
            },
        ),
    )
