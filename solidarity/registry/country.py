"""A country's reference data (regions, kinds of facility, facilities, legal articles) from its
data file, `data/countries/<code>.json`. Loading is an idempotent upsert keyed on slugs."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Article, Facility, FacilityKind, Region

DATA_DIR = Path(__file__).parent / "data"


def country_file(code: str | None = None) -> Path:
    return DATA_DIR / "countries" / f"{(code or settings.COUNTRY).lower()}.json"


def read_country(code: str | None = None) -> dict:
    return json.loads(country_file(code).read_text(encoding="utf-8"))


def _translated(field: str, values: dict[str, str]) -> dict[str, str]:
    """{"be": "...", "ru": "..."} -> {"name_be": "...", "name_ru": "..."} for the configured languages."""
    return {f"{field}_{code}": values.get(code, "") for code, _name in settings.LANGUAGES}


def postal_address(facility: dict, script: str) -> str:
    """The lines of a facility's address as the post wants them on an envelope (without the
    recipient): the institution, the street, the postal code with the locality; in Latin script
    also the country, for letters from abroad."""
    code = facility.get("code", {})
    if script == "cyrillic":
        lines = [
            code.get("cyrillic") or facility["name"]["ru"],
            facility["street"]["cyrillic"],
            f"{facility['postal_code']}, {facility['city']['ru']}",
        ]
    else:
        lines = [
            code.get("latin") or facility["name"]["en"],
            facility["street"]["latin"],
            f"{facility['postal_code']} {facility['city']['en']}",
            facility.get("country_latin", "BELARUS"),
        ]
    return "\n".join(lines)


@dataclass
class LoadResult:
    regions: int
    kinds: int
    facilities: int
    articles: int


@transaction.atomic
def load_country(code: str | None = None) -> LoadResult:
    data = read_country(code)
    regions = {}
    for item in data["regions"]:
        regions[item["slug"]], _ = Region.objects.update_or_create(
            slug=item["slug"], defaults=_translated("name", item["name"])
        )
    kinds = {}
    for item in data["facility_kinds"]:
        kinds[item["slug"]], _ = FacilityKind.objects.update_or_create(
            slug=item["slug"], defaults=_translated("name", item["name"])
        )
    for item in data["facilities"]:
        Facility.objects.update_or_create(
            slug=item["slug"],
            defaults={
                "kind": kinds[item["kind"]],
                "region": regions.get(item.get("region")),
                "code_cyrillic": item.get("code", {}).get("cyrillic", ""),
                "code_latin": item.get("code", {}).get("latin", ""),
                "postal_code": item.get("postal_code", ""),
                "street_cyrillic": item["street"]["cyrillic"],
                "street_latin": item["street"]["latin"],
                "postal_address_cyrillic": postal_address(item, "cyrillic"),
                "postal_address_latin": postal_address(item, "latin"),
                "holds_women": item.get("women", False),
                **_translated("name", item["name"]),
                **_translated("city", item["city"]),
            },
        )
    for item in data["articles"]:
        Article.objects.update_or_create(
            code=item.get("code", Article.Code.CRIMINAL),
            number=item["number"],
            part=item.get("part", ""),
            defaults=_translated("title", item["title"]),
        )
    return LoadResult(
        len(data["regions"]), len(data["facility_kinds"]), len(data["facilities"]), len(data["articles"])
    )
