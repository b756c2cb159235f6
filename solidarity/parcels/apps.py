from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ParcelsConfig(AppConfig):
    name = "solidarity.parcels"
    label = "parcels"
    verbose_name = _("Parcels")

    def ready(self) -> None:
        from . import plugins, services
        from .models import ParcelRule

        plugins.register()
        post_save.connect(services.PUBLIC_VERSION.bump, sender=ParcelRule, dispatch_uid="parcels-rule")
        post_delete.connect(services.PUBLIC_VERSION.bump, sender=ParcelRule, dispatch_uid="parcels-rule-del")
