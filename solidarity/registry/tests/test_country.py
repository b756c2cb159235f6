import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

from solidarity.imports.mapping import parse_facility
from solidarity.registry.country import canonical_list, load_country
from solidarity.registry.models import Facility


def test_the_canonical_lists_name_is_shown_in_the_readers_language():
    name = canonical_list().name
    with translation.override("be"):
        assert str(name) == "Праваабарончы цэнтр «Вясна»"
    with translation.override("en"):
        assert str(name) == "Human Rights Centre “Viasna”"


def test_settings_can_read_the_country_file_before_the_apps_are_loaded():
    script = (
        "from solidarity.registry.country import canonical_list, read_country;"
        "print(read_country('by')['country']['time_zone'], canonical_list('by').url)"
    )
    without_settings = {name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[3],
        env=without_settings,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["Europe/Minsk", "https://prisoners.spring96.org/"]


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Pre-trial detention center No. 1", "pretrial"),
        ("Open correctional facility No. 17", "open"),
        ("Educational colony No. 2", "juvenile"),  # the longer word wins over "colony"
        ("Colony-settlement No. 21", "settlement"),
        ("Penal colony No. 15", "colony"),
        ("Republican psychiatric hospital", "medical"),
        ("Somewhere unknown", ""),
    ],
)
def test_the_list_names_a_facilitys_kind_in_words_the_country_file_gives(title, kind):
    assert parse_facility(title, "220030, Minsk, vulica Valadarskaha 2").kind == kind


@pytest.mark.django_db
def test_the_country_files_facilities_get_envelope_addresses_in_both_scripts():
    load_country()
    facility = Facility.objects.get(slug="sizo-1-minsk")
    assert facility.postal_address_cyrillic.splitlines() == ["СИЗО-1", "ул. Володарского, 2", "220030, Минск"]
    assert facility.postal_address_latin.splitlines() == [
        "SIZO-1",
        "vulica Valadarskaha 2",
        "220030 Minsk",
        "BELARUS",
    ]
    load_country()  # again: updated in place
    assert Facility.objects.filter(slug="sizo-1-minsk").count() == 1
