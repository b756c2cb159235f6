"""A country's reference data (regions, kinds of facility, facilities, legal articles, the canonical
list the registry follows, the counts others published) from its data file,
`data/countries/<code>.json`. Loading is an idempotent upsert keyed on slugs.

Reading the file needs no models, so that settings.py can take its defaults from here before the
apps are loaded; the functions that write import the models when called.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.functional import lazy
from django.utils.translation import get_language

DATA_DIR = Path(__file__).parent / "data"


def country_file(code: str | None = None) -> Path:
    return DATA_DIR / "countries" / f"{(code or settings.COUNTRY).lower()}.json"


def read_country(code: str | None = None) -> dict:
    return json.loads(country_file(code).read_text(encoding="utf-8"))


@functools.cache
def _reference(code: str) -> dict:
    """The file as the registry's own helpers read it: once per process, never changed."""
    return read_country(code)


def _current(code: str | None) -> dict:
    return _reference((code or settings.COUNTRY).lower())


@dataclass(frozen=True)
class CanonicalList:
    """The list of political prisoners whose recognitions the registry follows."""

    names: dict[str, str]  # by language
    url: str
    citation: str  # the source of an imported fact the list gives no address for
    source_ref_prefix: str  # the list's people are "<prefix>:<their id in the list>" in the registry

    @property
    def name(self):
        """The name in the active language; lazy, so that a setting can hold it."""
        return lazy(self._name_now, str)()

    def _name_now(self) -> str:
        return self.names.get(get_language()) or self.names.get(settings.LATIN_LANGUAGE, "")


def country_name(code: str | None = None, language: str | None = None) -> str:
    """The country's name in the interface language (or English, or its code)."""
    names = read_country(code)["country"].get("name", {})
    return (
        names.get(language or get_language() or "en") or names.get("en") or (code or settings.COUNTRY).upper()
    )


def postal_name(code: str | None = None) -> str:
    """The country's name as international post reads it ("BELARUS"): the last line of an address."""
    return _current(code)["country"]["postal_name"]


def court_in(name: str, language: str, code: str | None = None) -> str:
    """A court's name in `language`, if the country file's glossary knows it in any language;
    otherwise as given (a court the glossary lacks keeps the list's own words)."""
    names = _court_names((code or settings.COUNTRY).lower()).get(" ".join(name.lower().split()))
    return names.get(language, name) if names else name


@functools.cache
def _court_names(code: str) -> dict[str, dict[str, str]]:
    return {
        " ".join(spelled.lower().split()): names
        for names in _reference(code).get("courts", [])
        for spelled in names.values()
    }


def post_days(code: str | None = None) -> int:
    """About how many days a letter from abroad takes to reach a prisoner, censorship included:
    how far ahead a birthday must be for a card to arrive in time."""
    return _current(code)["country"]["post_days"]


def canonical_list(code: str | None = None) -> CanonicalList:
    item = _current(code)["canonical_list"]
    return CanonicalList(item["name"], item["url"], item["citation"], item["source_ref_prefix"])


def facility_kind_words(code: str | None = None) -> list[tuple[str, str]]:
    """(word, kind slug) pairs by which the list's facility titles say their kind, longest first."""
    kinds = _current(code)["facility_kinds"]
    pairs = [(word, kind["slug"]) for kind in kinds for word in kind.get("list_words", [])]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def list_place_statuses(code: str | None = None) -> list[tuple[str, str]]:
    """(word, meaning) pairs by which the canonical list's "place of detention" states a status
    instead of naming a place, longest first: "released" (no longer held, as in "Released awaiting
    the commencement of the sentence") or "not_a_place" (house arrest, restricted freedom, an
    unknown place): such a title is never a facility."""
    statuses = _current(code)["canonical_list"].get("place_statuses", [])
    pairs = [(word.lower(), item["meaning"]) for item in statuses for word in item["words"]]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _translated(field: str, values: dict[str, str]) -> dict[str, str]:
    """{"be": "...", "ru": "..."} -> {"name_be": "...", "name_ru": "..."} for the configured languages."""
    return {f"{field}_{code}": values.get(code, "") for code, _name in settings.LANGUAGES}


def postal_address(facility: dict, script: str, country_name: str) -> str:
    """The lines of a facility's address as the post wants them on an envelope (without the
    recipient): the institution, the street, the postal code with the locality; in Latin script
    also the country, for letters from abroad. Without a Cyrillic street there is no Cyrillic
    address: an editor adds it."""
    code = facility.get("code", {})
    street = facility.get("street", {})
    if script == "cyrillic":
        if not street.get("cyrillic"):
            return ""
        lines = [
            code.get("cyrillic") or facility["name"]["ru"],
            street["cyrillic"],
            f"{facility['postal_code']}, {facility['city']['ru']}",
        ]
    else:
        latin = settings.LATIN_LANGUAGE
        lines = [
            code.get("latin") or facility["name"][latin],
            street.get("latin", ""),
            f"{facility.get('postal_code', '')} {facility.get('city', {}).get(latin, '')}".strip(),
            country_name,
        ]
    return "\n".join(line for line in lines if line)


def save_facility(item: dict, *, kind, region=None, code: str | None = None):
    """Creates or updates the facility `item["slug"]` from its description in the country file's
    shape; the one way facilities are written, by the country's file, snapshots and the daily import.
    Addresses are composed from the parts unless `item["postal_address"]` gives them."""
    from .models import Facility

    addresses = item.get("postal_address") or {
        script: postal_address(item, script, _current(code)["country"]["postal_name"])
        for script in ("cyrillic", "latin")
    }
    facility_code, street = item.get("code", {}), item.get("street", {})
    facility, _created = Facility.objects.update_or_create(
        slug=item["slug"],
        defaults={
            "kind": kind,
            "region": region,
            "code_cyrillic": facility_code.get("cyrillic", ""),
            "code_latin": facility_code.get("latin", ""),
            "postal_code": item.get("postal_code", ""),
            "street_cyrillic": street.get("cyrillic", ""),
            "street_latin": street.get("latin", ""),
            "postal_address_cyrillic": addresses.get("cyrillic", ""),
            "postal_address_latin": addresses.get("latin", ""),
            "holds_women": item.get("women", False),
            **_translated("name", item["name"]),
            **_translated("city", item.get("city", {})),
        },
    )
    return facility


@dataclass
class LoadResult:
    regions: int
    kinds: int
    facilities: int
    articles: int


@transaction.atomic
def load_country(code: str | None = None) -> LoadResult:
    from .models import Article, FacilityKind, Region

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
        save_facility(item, kind=kinds[item["kind"]], region=regions.get(item.get("region")), code=code)
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
