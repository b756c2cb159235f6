from django.conf import settings
from django.db import transaction

from solidarity.core.versions import CacheVersion
from solidarity.registry.country import read_country

from .models import PublishedFigure

# Others' published figures, shown on the statistics page: a change shows there at once.
FIGURES_VERSION = CacheVersion("stats:figures")


@transaction.atomic
def load_published_figures(code: str | None = None) -> int:
    """The figures of the country's data file, replacing those loaded from it before (matched by
    their English label and date)."""
    figures = read_country(code).get("published_figures", [])
    for order, item in enumerate(figures):
        PublishedFigure.objects.update_or_create(
            label_en=item["label"]["en"],
            date=item["date"],
            defaults={
                "value": item["value"],
                "value_max": item.get("value_max"),
                "source_name": item["source_name"],
                "source_url": item.get("source_url", ""),
                "order": order,
                **{f"label_{code}": item["label"].get(code, "") for code, _n in settings.LANGUAGES},
                **{
                    f"definition_{code}": item.get("definition", {}).get(code, "")
                    for code, _n in settings.LANGUAGES
                },
            },
        )
    return len(figures)
