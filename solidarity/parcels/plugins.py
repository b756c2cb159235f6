"""What the parcels app adds to pages and services that other apps own (see `core.plugins`)."""

import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from icalendar import Event

from solidarity.core import plugins
from solidarity.friends.dues import Due
from solidarity.registry.models import Facility, Person

from . import services


def profile_section(person: Person, today: datetime.date) -> dict | None:
    """What applies to this person where they are held, or plainly that the regime is not known."""
    if not services.in_custody(person):
        return None
    situation = services.situation_of(person)
    return {
        "situation": situation,
        "rules": services.rules_for(situation.facility, regime=situation.regime),
        "regime_unknown": situation.after_verdict and not situation.regime,
    }


def facility_section(facility: Facility, today: datetime.date) -> dict | None:
    return {"rules": services.rules_of_facility(facility)}


def plan_for(person: Person) -> str | None:
    return reverse("parcel_plan", args=[person.pk]) if services.in_custody(person) else None


def load(country: str | None) -> str:
    from django.conf import settings

    changed = services.load_rules(country=country or settings.COUNTRY, actor_label="load_country")
    return f"parcel rules: {changed} added or changed"


def _window(friendship, marks, today: datetime.date):
    """The parcel window of a friend's person, from the friend's "I sent a parcel" marks."""
    person = friendship.person
    if not services.in_custody(person):
        return None
    situation = services.situation_of(person)
    rules = [
        rule
        for rule in services.rules_for(situation.facility, regime=situation.regime)
        if rule.counts == services.Counts.PARCELS and rule.per_year is not None
    ]
    if not rules:
        return None
    sent = [services.Sent(mark.date, services.Counts.PARCELS) for mark in marks if mark.kind == "parcel"]
    (window,) = services.plan(
        # A friend is not taken for a relative: where only relatives may send, no window is promised.
        rules[:1],
        relative=False,
        after_verdict=situation.after_verdict,
        sent=sent,
        today=today,
    )
    return window


def parcel_due(friendship, marks, today: datetime.date) -> Due | None:
    window = _window(friendship, marks, today)
    if window is None:
        return None
    if window.may_send:
        text = ngettext(
            "A parcel may go now (%(count)s left this year)",
            "A parcel may go now (%(count)s left this year)",
            window.left_this_year,
        ) % {"count": window.left_this_year}
        return Due("parcel", text, url=reverse("parcel_plan", args=[friendship.person.pk]))
    if window.next_on:
        return Due(
            "parcel",
            gettext("Parcel window opens on %(day)s") % {"day": date_format(window.next_on, "j E Y")},
        )
    return None


def parcel_events(friendship, today: datetime.date) -> list:
    """ "Parcel window opens" in the friend's calendar, while the next one may not go yet."""
    window = _window(friendship, list(friendship.marks.all()), today)
    if window is None or window.may_send or not window.next_on:
        return []
    event = Event()
    event.add("uid", f"parcel-{friendship.person.pk}-{window.next_on.isoformat()}@solidarity")
    event.add("summary", gettext("Parcel window opens for %(name)s") % {"name": friendship.person.full_name})
    event.add("dtstart", window.next_on)
    return [event]


def register() -> None:
    plugins.dues.register("parcels.window", parcel_due, order=30)
    plugins.calendar_events.register("parcels.window", parcel_events, order=30)
    plugins.page_versions.register("parcels", services.PUBLIC_VERSION)
    plugins.profile_sections.register(
        "parcels", plugins.ProfileSection("parcels/_profile_section.html", profile_section), order=30
    )
    plugins.facility_sections.register(
        "parcels", plugins.FacilitySection("parcels/_facility_section.html", facility_section), order=10
    )
    plugins.friend_actions.register("parcels", plugins.PersonAction(_("Plan a parcel"), plan_for), order=20)
    plugins.country_loaders.register("parcels", load, order=50)
    plugins.role_permissions.register(
        "parcels.editor",
        plugins.RolePermissions(
            plugins.EDITOR,
            {"parcels.parcelrule": plugins.EDIT, "parcels.deviationreport": ("view", "change", "delete")},
        ),
    )
