"""The item checker: a parcel's list of items against the facility's rules and the post's and
customs' rules, as the letter checker does for a letter. Each finding says why and what to do,
and where the rule comes from. The word lists and limits are the country's data
(`data/parcels/<country>.json`, "checks" and "items")."""

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .models import ParcelRule
from .services import DATA


@dataclass(frozen=True)
class Line:
    name: str
    kg: Decimal | None
    eur: Decimal | None = None
    count: int = 1


@dataclass(frozen=True)
class Finding:
    code: str
    line: int | None  # which line (from 0), or None for the parcel as a whole
    reason: str
    advice: str
    source: str = ""
    source_url: str = ""


@cache
def country_data(country: str) -> dict:
    path = DATA.joinpath(f"{country.lower()}.json")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def catalogue(country: str | None = None) -> list[dict]:
    """Common items with typical weights and values, named in the interface language."""
    language = get_language() or "en"
    return [
        {**item, "label": item["name"].get(language) or item["name"]["en"]}
        for item in country_data(country or settings.COUNTRY).get("items", [])
    ]


def abroad_rules(country: str | None = None) -> dict:
    """What customs let into the country free of duty, a parcel at a time, and its source."""
    return country_data(country or settings.COUNTRY).get("checks", {}).get("abroad", {})


def country_data_items(country: str | None = None) -> list[dict]:
    return country_data(country or settings.COUNTRY).get("items", [])


# Words that say how much, not what: "clothes, 3 items" is as vague as "clothes".
QUANTITY_WORDS = {
    "item",
    "items",
    "piece",
    "pieces",
    "pair",
    "pairs",
    "pack",
    "packs",
    "kg",
    "g",
    "box",
    "boxes",
    "штук",
    "штука",
    "штуки",
    "шт",
    "пара",
    "пары",
    "пар",
    "упаковка",
    "упаковки",
    "кг",
    "г",
    "набор",
    "штукі",
    "пачак",
    "пачка",
}


def _words(text: str) -> str:
    return " ".join(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", text.casefold()))


def _mentions(words: str, word: str) -> bool:
    """A whole word of the list, or, for a stem written with a final "*" ("водк*"), any of its forms."""
    if word.endswith("*"):
        return re.search(rf"(?<!\w){re.escape(_words(word[:-1]))}\w*", words) is not None
    return re.search(rf"(?<!\w){re.escape(_words(word))}(?!\w)", words) is not None


def _translated(values: dict) -> str:
    return values.get(get_language() or "en") or values.get("en", "")


def total_kg(lines: list[Line]) -> Decimal:
    return sum(((line.kg or Decimal(0)) * line.count for line in lines), Decimal(0))


def total_eur(lines: list[Line]) -> Decimal:
    return sum(((line.eur or Decimal(0)) * line.count for line in lines), Decimal(0))


def declaration_form(lines: list[Line], country: str | None = None) -> str:
    """CN22 for a small value, CN23 above it (UPU)."""
    abroad = country_data(country or settings.COUNTRY).get("checks", {}).get("abroad", {})
    return "CN23" if total_eur(lines) >= Decimal(abroad.get("cn23_from_eur", 300)) else "CN22"


def check(
    lines: list[Line],
    *,
    rules: list[ParcelRule],
    from_abroad: bool,
    kg_left: Decimal | None = None,
    country: str | None = None,
) -> list[Finding]:
    checks = country_data(country or settings.COUNTRY).get("checks", {})
    findings: list[Finding] = []
    vague = checks.get("vague", {})
    vague_words = {part for word in vague.get("words", []) for part in _words(word).split()}
    for number, line in enumerate(lines):
        words = _words(line.name)
        if words and set(words.split()) - QUANTITY_WORDS <= vague_words:
            findings.append(
                Finding(
                    "vague",
                    number,
                    _("“%(name)s” is too vague: the facility and customs refuse what they cannot check.")
                    % {"name": line.name},
                    _("Say what it is and how much, as on the shop's label: “black tea, 250 g”."),
                    vague.get("source_citation", ""),
                    vague.get("source_url", ""),
                )
            )
        for rule in checks.get("forbidden", []):
            if rule.get("abroad_only") and not from_abroad:
                continue
            if any(_mentions(words, word) for word in rule["words"]):
                findings.append(
                    Finding(
                        f"forbidden:{rule['key']}",
                        number,
                        _translated(rule["reason"]),
                        _("Take it out of the parcel."),
                        rule.get("source_citation", ""),
                        rule.get("source_url", ""),
                    )
                )
        if line.kg is None:
            findings.append(
                Finding(
                    "weight-missing",
                    number,
                    _("“%(name)s” has no weight.") % {"name": line.name},
                    _("Weigh it: the facility weighs the parcel, and the form needs each weight."),
                )
            )
    weight = total_kg(lines)
    for rule in rules:
        if rule.kg_each is not None and weight > rule.kg_each:
            findings.append(
                Finding(
                    "too-heavy",
                    None,
                    _("%(kg)s kg is more than the %(limit)s kg one parcel may weigh.")
                    % {"kg": weight, "limit": rule.kg_each},
                    _("Split it into two parcels, or leave something out."),
                    rule.source_citation,
                    rule.source_url,
                )
            )
    if kg_left is not None and weight > kg_left:
        findings.append(
            Finding(
                "over-month",
                None,
                _("%(kg)s kg is more than the %(left)s kg left this month.")
                % {"kg": weight, "left": kg_left},
                _("Send the rest next month."),
            )
        )
    abroad = checks.get("abroad", {})
    if from_abroad and abroad:
        value, limit_eur, limit_kg = (
            total_eur(lines),
            Decimal(abroad["eur_per_parcel"]),
            Decimal(abroad["kg_per_parcel"]),
        )
        if value > limit_eur or weight > limit_kg:
            findings.append(
                Finding(
                    "duty",
                    None,
                    _("From abroad, a parcel over %(eur)s EUR or %(kg)s kg pays customs duty on arrival.")
                    % {"eur": limit_eur, "kg": limit_kg},
                    _("Send smaller parcels, each under both limits."),
                    abroad.get("source_citation", ""),
                    abroad.get("source_url", ""),
                )
            )
    return findings
