"""The countries a signer may say they live in, named in the interface language (CLDR's names,
through Babel)."""

import functools

from babel import Locale
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

# Two-letter regions of CLDR that are not countries one lives in.
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}


@functools.cache
def _names(language: str) -> dict[str, str]:
    territories = Locale.parse(language).territories
    english = Locale("en").territories
    return {
        code: territories.get(code) or english[code]
        for code in english
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    }


def name(code: str, language: str | None = None) -> str:
    return _names(language or get_language() or "en").get(code, code)


def choices(language: str | None = None) -> list[tuple[str, str]]:
    names = _names(language or get_language() or "en")
    return sorted(names.items(), key=lambda item: item[1].casefold())


def with_none_in(language: str) -> list[tuple[str, str]]:
    return [("", "—"), *choices(language)]


def with_none() -> list[tuple[str, str]]:
    """The choices of a form's country field (called when it validates, in its language)."""
    return with_none_in(get_language() or "en")


@functools.lru_cache(maxsize=64)
def _options(language: str, chosen: str) -> str:
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (code, mark_safe(" selected") if code == chosen else "", label)
            for code, label in [("", "—"), *choices(language)]
        ),
    )


class CountrySelect(forms.Select):
    """The countries as a select whose 250 options are drawn once per language (and choice), not
    by Django's template per option on every page."""

    def render(self, name, value, attrs=None, renderer=None) -> str:
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        options = _options(get_language() or "en", str(value or ""))
        return format_html("<select{}>{}</select>", attributes, options)
