from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "solidarity.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from solidarity.core import plugins

        from . import computations, services
        from .api import router

        plugins.api_routers.register("stats", plugins.ApiRouter("stats", router), order=20)
        plugins.warm_ups.register(
            "stats", plugins.WarmUp(derived=(computations.FACTS,), pages=lambda: [reverse("statistics")])
        )
        plugins.country_loaders.register(
            "stats.figures", lambda code: f"{services.load_published_figures(code)} published figures"
        )
