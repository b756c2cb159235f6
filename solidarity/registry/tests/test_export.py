import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command

from solidarity.registry.models import EventKind, Sentence
from solidarity.registry.services import refresh_all_derived_fields

from .factories import ArticleFactory, EventFactory, FacilityFactory, PersonFactory

SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "docs" / "snapshot.schema.json").read_text())


@pytest.fixture
def small_registry():
    facility = FacilityFactory(slug="sizo-1-minsk")
    person = PersonFactory(
        first_name_be="Марыя",
        first_name_ru="Мария",
        first_name_en="Maryia",
        last_name_be="Калеснікава",
        last_name_ru="Колесникова",
        last_name_en="Kalesnikava",
        source_ref="viasna:42",
        gender="female",
        birth_date=datetime.date(1982, 4, 24),
    )
    EventFactory(person=person, kind=EventKind.DETAINED, date=datetime.date(2020, 9, 7), facility=facility)
    EventFactory(
        person=person,
        kind=EventKind.RECOGNIZED,
        date=datetime.date(2020, 9, 10),
        source_url="",
        source_citation="Viasna statement, 10 September 2020",
    )
    sentence = Sentence.objects.create(
        person=person,
        verdict_date=datetime.date(2021, 9, 6),
        term_months=132,
        regime=Sentence.Regime.GENERAL,
        court="Minsk Regional Court",
        source_url="https://example.org/verdict",
    )
    sentence.articles.add(ArticleFactory(number="357", part="1"), ArticleFactory(number="361", part="3"))
    PersonFactory()  # someone with no timeline yet
    refresh_all_derived_fields()
    return person


@pytest.mark.django_db
def test_export_writes_a_snapshot_that_matches_the_documented_schema(tmp_path, small_registry):
    path = tmp_path / "registry.json"
    call_command("export_registry", str(path))
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(snapshot, SCHEMA)

    assert (snapshot["format"], snapshot["version"]) == ("solidarity-registry-snapshot", 1)
    assert snapshot["languages"] == ["be", "ru", "en"]
    assert len(snapshot["people"]) == 2
    maryia = next(p for p in snapshot["people"] if p["source_ref"] == "viasna:42")
    assert maryia["names"]["be"] == {"first": "Марыя", "patronymic": "Дзмітрыевіч", "last": "Калеснікава"}
    assert maryia["names"]["latin"]["last"] == "Kalesnikava"
    assert maryia["birth_date"] == "1982-04-24"
    assert maryia["events"] == [
        {
            "date": "2020-09-07",
            "kind": "detained",
            "facility": "sizo-1-minsk",
            "source": {"url": "https://example.org/news/1", "citation": ""},
            "note_code": "",
            "note": "",
        },
        {
            "date": "2020-09-10",
            "kind": "recognized",
            "facility": None,
            "source": {"url": "", "citation": "Viasna statement, 10 September 2020"},
            "note_code": "",
            "note": "",
        },
    ]
    assert maryia["sentences"][0]["articles"] == ["criminal:357:1", "criminal:361:3"]
    assert maryia["sentences"][0]["term_months"] == 132
    assert maryia["derived"] == {
        "status": "political_prisoner",
        "current_facility": "sizo-1-minsk",
        "imprisoned_since": "2020-09-07",
    }
    assert {a["id"] for a in snapshot["articles"]} == {"criminal:357:1", "criminal:361:3"}
    assert snapshot["facilities"][0]["postal_address"]["cyrillic"].startswith("СИЗО")


@pytest.mark.django_db
def test_a_snapshot_missing_a_source_would_not_pass_the_schema(tmp_path, small_registry):
    """The schema itself has teeth: an event without any source is invalid."""
    path = tmp_path / "registry.json"
    call_command("export_registry", str(path))
    snapshot = json.loads(path.read_text(encoding="utf-8"))
    snapshot["people"][0]["events"][0]["source"] = {"url": "", "citation": ""}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(snapshot, SCHEMA)


@pytest.mark.django_db
def test_the_export_of_a_demo_registry_reads_in_a_bounded_number_of_queries(django_assert_max_num_queries):
    call_command("demo_data", "--people", "80", "--seed", "3")
    from solidarity.registry.snapshot import build_snapshot

    with django_assert_max_num_queries(20):
        snapshot = build_snapshot()
    assert len(snapshot["people"]) == 80
    jsonschema.validate(snapshot, SCHEMA)
