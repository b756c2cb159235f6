from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "solidarity.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from solidarity.core import plugins

        from . import computations, services
        from .api import router
        from .models import PublishedFigure

        plugins.page_versions.register("stats.figures", services.FIGURES_VERSION)
        bump = services.FIGURES_VERSION.bump
        post_save.connect(bump, sender=PublishedFigure, dispatch_uid="figures-save")
        post_delete.connect(bump, sender=PublishedFigure, dispatch_uid="figures-delete")

        plugins.api_routers.register("stats", plugins.ApiRouter("stats", router), order=20)
        plugins.warm_ups.register(
            "stats", plugins.WarmUp(derived=(computations.FACTS,), pages=lambda: [reverse("statistics")])
        )
        plugins.country_loaders.register(
            "stats.figures", lambda code: f"{services.load_published_figures(code)} published figures"
        )
