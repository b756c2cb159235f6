"""What the testimonies app adds to pages and services that other apps own (see `core.plugins`)."""

from django.utils.translation import gettext_lazy as _

from solidarity.core import plugins


def register() -> None:
    plugins.chores.register("testimonies.purge", plugins.Chore("purge_testimonies"), order=20)
    plugins.help_cards.register(
        "testimonies",
        plugins.HelpCard(
            title=_("Tell what happened to you"),
            text=_(
                "Testimonies for an international case, sealed the moment they arrive: nobody who "
                "runs or seizes this server can read them."
            ),
            url_name="testimonies",
        ),
        order=60,
    )
    # The legal team handles testimonies unopened: when, how large, what consent; it exports the
    # sealed bundles, confirms their receipt and sends questions. Nothing here can be read.
    plugins.role_permissions.register(
        "testimonies.legal",
        plugins.RolePermissions(
            plugins.TESTIMONY_REVIEWER,
            {"testimonies.testimony": ("view", "export"), "testimonies.custodyevent": ("view",)},
        ),
    )
