from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "solidarity.donations"
    label = "donations"
    verbose_name = _("Donations")

    def ready(self) -> None:
        from . import plugins, services
        from .models import Campaign, Payout

        plugins.register()
        # What public pages show of a campaign (its page, the profile's section) follows its row
        # and its payouts. A gift changes nothing at once: the figures it moves are read again at
        # most hourly (`services.shown_progress`), so no page changes when one arrives.
        for model in (Campaign, Payout):
            post_save.connect(
                services.PUBLIC_VERSION.bump, sender=model, dispatch_uid=f"donations-{model.__name__}"
            )
            post_delete.connect(
                services.PUBLIC_VERSION.bump, sender=model, dispatch_uid=f"donations-del-{model.__name__}"
            )
