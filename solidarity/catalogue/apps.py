from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def warm_pages() -> list[str]:
    """The pages a worker renders before its first visitor: the home page, the list, birthdays,
    and one profile (each profile uses the same templates)."""
    from solidarity.registry.models import Person

    first = Person.objects.published().order_by("pk").values_list("pk", flat=True).first()
    profile = [reverse("person_detail", args=[first])] if first else []
    return [reverse("home"), reverse("people_list"), reverse("birthdays"), *profile]


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
            plugins.WarmUp(derived=(search.INDEX,), pages=warm_pages),
        )
