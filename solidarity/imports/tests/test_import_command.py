import datetime
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from solidarity.audit.models import AuditEntry
from solidarity.imports.models import FacilityAlias
from solidarity.registry.country import load_country
from solidarity.registry.models import Event, EventKind, Facility, Person, Sentence, Status

# The real sample of the canonical list, in ../shared beside the repository (as CI has it).
SHARED = Path(os.environ.get("SHARED_DIR", Path(__file__).resolve().parents[3].parent / "shared"))
SAMPLE = SHARED / "data" / "viasna-sample.json"
RECORDS = json.loads(SAMPLE.read_text(encoding="utf-8"))


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_registry", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def country(db):
    load_country()


@pytest.mark.django_db
def test_the_real_sample_imports_with_every_record_accounted_for(country):
    output = run(SAMPLE)
    assert "49 new, 0 changed, 0 unchanged, 0 rejected" in output
    assert Person.objects.count() == len(RECORDS) == 49
    assert Person.objects.filter(status=Status.POLITICAL_PRISONER).count() == 23  # "active"
    assert Person.objects.filter(status=Status.RELEASED).count() == 26  # "former"
    assert not Facility.objects.filter(slug__contains="colony").exists()  # every prison matched ours
    assert FacilityAlias.objects.count() == 11


@pytest.mark.django_db
def test_spot_checks_of_names_dates_terms_facilities_and_addresses(country):
    run(SAMPLE)
    chapiuk = Person.objects.get(source_ref="viasna:1")
    assert (chapiuk.first_name_en, chapiuk.last_name_en) == ("Andrei", "Chapiuk")
    assert chapiuk.birth_date == datetime.date(1996, 5, 17)
    assert chapiuk.photo_source_url == "https://spring96.org/files/images/andrei_chapyk.jpg"
    assert chapiuk.current_facility.slug == "sizo-1-minsk"
    assert "220030" in chapiuk.current_facility.postal_address_cyrillic
    detained = chapiuk.events.get(kind=EventKind.DETAINED)
    assert detained.date == datetime.date(2020, 10, 2)
    assert detained.source_url == "https://prisoners.spring96.org/en/person/andrej-capiuk"
    recognized = chapiuk.events.get(kind=EventKind.RECOGNIZED)
    assert recognized.source_url == "https://spring96.org/en/news/99936"
    sentence = chapiuk.sentences.get()
    assert (sentence.term_months, sentence.regime, sentence.judge) == (
        72,
        Sentence.Regime.ENHANCED,
        "Siarhei Khrypach",
    )
    assert sentence.verdict_date == datetime.date(2022, 9, 6)
    with translation.override("en"):
        labels = sorted(str(a.label) for a in sentence.articles.all())
    assert labels == ["Art. 130", "Art. 285 part 2", "Art. 293", "Art. 341"]

    palchys = Person.objects.get(source_ref="viasna:2")
    assert palchys.sentences.get().term_months == 13 * 12
    assert palchys.sentences.get().regime == Sentence.Regime.PRISON
    assert palchys.current_facility.slug == "prison-4-mogilev"

    half_years = [r for r in RECORDS if r["decision"] == "2 1/2 years"]
    person = Person.objects.get(source_ref=f"viasna:{half_years[0]['id']}")
    assert person.sentences.get().term_months == 30


@pytest.mark.django_db
def test_a_former_prisoner_without_a_release_date_is_released_and_flagged(country):
    output = run(SAMPLE)
    unknown = [r for r in RECORDS if r["status"] == "former" and r["release_date"] in ("", "FALSE")]
    assert unknown
    assert output.count("released on an unknown date") == len(unknown)
    person = Person.objects.get(source_ref=f"viasna:{unknown[0]['id']}")
    assert person.status == Status.RELEASED
    assert person.events.get(kind=EventKind.RELEASED).note == "Released on a date the list does not give."


@pytest.mark.django_db
def test_importing_twice_changes_nothing_the_second_time(country):
    run(SAMPLE)
    counts = (
        Person.objects.count(),
        Event.objects.count(),
        Sentence.objects.count(),
        AuditEntry.objects.count(),
    )
    output = run(SAMPLE)
    assert "0 new, 0 changed, 49 unchanged" in output
    assert (
        Person.objects.count(),
        Event.objects.count(),
        Sentence.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_every_change_is_in_the_audit_history_with_the_import_as_author(country):
    run(SAMPLE)
    entries = AuditEntry.objects.filter(action=AuditEntry.Action.CREATE, content_type__model="person")
    assert entries.count() == 49
    assert set(entries.values_list("actor_label", flat=True)) == {"import: viasna-sample.json"}


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(country):
    output = run(SAMPLE, "--dry-run")
    assert "49 new" in output and "Dry run: nothing was written." in output
    assert not Person.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_a_changed_facility_and_a_release_are_changes_of_existing_people(country, tmp_path):
    run(SAMPLE)
    records = json.loads(SAMPLE.read_text(encoding="utf-8"))
    chapiuk = next(r for r in records if r["id"] == 1)
    chapiuk["prison/title"], chapiuk["prison/address"] = (
        "Penal colony No. 2",
        "213800, Babrujsk, vulica Sikorskaha 1",
    )
    palchys = next(r for r in records if r["id"] == 2)
    palchys["status"], palchys["release_date"] = "former", "2024-09-16"
    changed = tmp_path / "next-day.json"
    changed.write_text(json.dumps(records), encoding="utf-8")

    output = run(changed)
    assert "0 new, 2 changed, 47 unchanged" in output
    person = Person.objects.get(source_ref="viasna:1")
    assert person.current_facility.slug == "ik-2-babruisk"
    assert Person.objects.get(source_ref="viasna:2").status == Status.RELEASED
    assert "0 new, 0 changed, 49 unchanged" in run(changed)


@pytest.mark.django_db
def test_people_missing_from_a_new_list_are_flagged_never_released(country, tmp_path):
    run(SAMPLE)
    records = [r for r in RECORDS if r["id"] != 1]
    shorter = tmp_path / "shorter.json"
    shorter.write_text(json.dumps(records), encoding="utf-8")
    output = run(shorter)
    assert "1 missing" in output
    assert "Andrei Chapiuk: check: possibly released" in output
    assert Person.objects.get(source_ref="viasna:1").status == Status.POLITICAL_PRISONER


@pytest.mark.django_db
def test_a_malformed_record_is_rejected_with_its_reason_and_the_others_still_come_in(country, tmp_path):
    records = json.loads(SAMPLE.read_text(encoding="utf-8"))[:5]
    records[1]["verdict_date"] = "2022-13-45"
    records[2]["name"] = 42
    records[3] = "not a record"
    records.append({"id": 999, "name": "Nobody", "status": "maybe"})
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(records), encoding="utf-8")
    output = run(broken)
    assert "2 new, 0 changed, 0 unchanged, 4 rejected" in output
    assert "rejected record 2 Eduard Palchys: verdict_date '2022-13-45' is not a date" in output
    assert "rejected record 3 : the name is missing or not text" in output
    assert "rejected record 4 : the record is a str, not an object" in output
    assert "rejected record 6 Nobody: unknown status 'maybe'" in output
    assert Person.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'[{"id": 1, "name": "Truncated', "The JSON is broken"),
        (b"", "The file is empty."),
        (b"\x00\x01\x02garbage" * 1000, "This is not a text file"),
        (b'{"format": "something else"}', "not a registry snapshot"),
        (b"id;title\n1;2\n", "no name column"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message_and_nothing_is_written(
    country, tmp_path, content, message
):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(path)
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_ten_megabytes_of_garbage_are_refused_quickly(country, tmp_path):
    import os

    path = tmp_path / "garbage.bin"
    path.write_bytes(os.urandom(10 * 1024 * 1024))
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(path)
    assert not Person.objects.exists()
