"""What the donations app adds to pages and services that other apps own (see `core.plugins`)."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from solidarity.core import plugins
from solidarity.friends.dues import Due
from solidarity.registry.models import Person

from . import money, services
from .api import router
from .models import Campaign


def open_campaigns(person: Person, today: datetime.date) -> list[Campaign]:
    ids = services.family_campaigns(today).get(person.pk)
    return list(Campaign.objects.filter(pk__in=ids).order_by("-created_on", "-pk")) if ids else []


def profile_section(person: Person, today: datetime.date) -> dict | None:
    """The family's open campaigns, with their progress as the public sees it."""
    campaigns = open_campaigns(person, today)
    if not campaigns:
        return None
    return {
        "campaigns": [
            {
                "campaign": c,
                "raised": money.shown(services.shown_progress(c), c.currency),
                "goal": money.shown(c.goal, c.currency),
                "percent": min(100, c.shown_raised * 100 // c.goal),
            }
            for c in campaigns
        ]
    }


def campaign_due(friendship, marks, today: datetime.date) -> Due | None:
    """A friend is told of their person's family's campaign while it takes gifts."""
    campaigns = open_campaigns(friendship.person, today)
    if not campaigns:
        return None
    campaign = campaigns[0]
    percent = min(100, services.shown_progress(campaign) * 100 // campaign.goal)
    text = _("The family's campaign: %(percent)s%% of %(goal)s") % {
        "percent": percent,
        "goal": money.shown(campaign.goal, campaign.currency),
    }
    return Due("campaign", text, url=reverse("campaign", args=[campaign.pk]))


def register() -> None:
    plugins.chores.register("donations.purge", plugins.Chore("purge_donations"), order=20)
    plugins.page_versions.register("donations", services.PUBLIC_VERSION)
    plugins.profile_sections.register(
        "donations", plugins.ProfileSection("donations/_profile_section.html", profile_section), order=40
    )
    plugins.dues.register("donations.campaign", campaign_due, order=40)
    plugins.help_cards.register(
        "donations",
        plugins.HelpCard(
            title=gettext_lazy("Support a family"),
            text=gettext_lazy(
                "Families pay for lawyers and parcels. Give to one family's campaign or to the fund, "
                "safely: we keep no record of who gave."
            ),
            url_name="campaigns",
        ),
        order=40,
    )
    plugins.api_routers.register("donations", plugins.ApiRouter("campaigns", router), order=60)
    # The treasurer sees and enters gifts and payouts and replays failed events; editors write
    # the campaigns. Nobody edits what a provider reported: corrections come from the provider.
    plugins.role_permissions.register(
        "donations.finance",
        plugins.RolePermissions(
            plugins.FINANCE,
            {
                "donations.campaign": ("view", "change"),
                "donations.gift": ("view", "add", "change"),
                "donations.payout": plugins.EDIT,
                "donations.monthlygift": ("view",),
                "donations.providerevent": ("view", "change"),
            },
        ),
    )
    plugins.role_permissions.register(
        "donations.editor", plugins.RolePermissions(plugins.EDITOR, {"donations.campaign": plugins.EDIT})
    )
