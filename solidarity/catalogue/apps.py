from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "solidarity.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from solidarity.core import plugins

        from . import search
        from .api import router

        plugins.api_routers.register("catalogue", plugins.ApiRouter("", router), order=10)
        plugins.warm_ups.register(
            "catalogue",
            plugins.WarmUp(derived=(search.INDEX,), url_names=("home", "people_list", "birthdays")),
        )
