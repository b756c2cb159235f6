import datetime
import json
import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from solidarity.audit.models import AuditEntry
from solidarity.imports.models import FacilityAlias
from solidarity.registry.country import load_country
from solidarity.registry.models import Event, EventKind, Person, Sentence, Status

# Invented people in the canonical list's real shape (see data/README.md).
SAMPLE = Path(__file__).parent / "data" / "list-sample.json"
RECORDS = json.loads(SAMPLE.read_text(encoding="utf-8"))

# The real sample of the list, in ../shared beside the checkout when there is one.
REPOSITORY = Path(__file__).resolve().parents[3]
SHARED = Path(os.environ.get("SHARED_DIR") or REPOSITORY.parent / "shared")
REAL_SAMPLE = SHARED / "data" / "viasna-sample.json"


def run(*args) -> str:
    out = StringIO()
    call_command("import_registry", *map(str, args), stdout=out)
    return out.getvalue()


def listed(record_id: int) -> Person:
    """The person imported from the list's record with this id."""
    return Person.objects.get(source_ref=f"viasna:{record_id}")


def with_records(tmp_path, records: list[dict], name: str = "list.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def country(db):
    load_country()


@pytest.mark.django_db
def test_the_sample_imports_with_every_record_accounted_for(country):
    output = run(SAMPLE)
    assert "49 new, 0 changed, 0 unchanged, 0 rejected" in output
    assert Person.objects.count() == len(RECORDS) == 49
    assert Person.objects.filter(status=Status.POLITICAL_PRISONER).count() == 22  # "active"
    assert Person.objects.filter(status=Status.PERSECUTED).count() == 1  # "np", held
    assert Person.objects.filter(status=Status.RELEASED).count() == 26  # "former", and "np" released
    assert "(1 new facilities)" in output  # the one facility the country file does not know
    assert FacilityAlias.objects.count() == 13  # one per spelling of a facility of someone held


@pytest.mark.django_db
def test_spot_checks_of_names_dates_terms_facilities_and_addresses(country):
    run(SAMPLE)
    lapatsin = listed(1)
    assert (lapatsin.first_name_en, lapatsin.last_name_en) == ("Siarhei", "Lapatsin")
    assert lapatsin.birth_date == datetime.date(1994, 2, 11)
    assert lapatsin.photo_source_url == "https://example.org/files/images/lapatsin_s.jpg"
    assert lapatsin.current_facility.slug == "sizo-1-minsk"
    assert "220030" in lapatsin.current_facility.postal_address_cyrillic
    detained = lapatsin.events.get(kind=EventKind.DETAINED)
    assert detained.date == datetime.date(2020, 10, 7)
    assert detained.source_url == "https://prisoners.example.org/en/person/siarhiej-lapacin"
    recognized = lapatsin.events.get(kind=EventKind.RECOGNIZED)
    assert recognized.source_url == "https://example.org/en/news/99812"
    sentence = lapatsin.sentences.get()
    assert (sentence.term_months, sentence.regime, sentence.judge) == (
        72,
        Sentence.Regime.ENHANCED,
        "Aliaksandr Piatrovich",
    )
    assert sentence.verdict_date == datetime.date(2022, 8, 19)
    assert sentence.appeal_date == datetime.date(2023, 1, 24)
    with translation.override("en"):
        labels = sorted(str(a.label) for a in sentence.articles.all())
    assert labels == ["Art. 130", "Art. 285 part 2", "Art. 293", "Art. 341"]

    zhavaronak = listed(2)
    assert zhavaronak.sentences.get().term_months == 13 * 12
    assert zhavaronak.sentences.get().regime == Sentence.Regime.PRISON
    assert zhavaronak.current_facility.slug == "prison-4-mogilev"

    terms = {
        record["decision"]: listed(record["id"]).sentences.get().term_months
        for record in RECORDS
        if record["decision"]
    }
    assert terms["2 1/2 years"] == 30
    assert terms["1 year 6 months"] == 18
    assert terms["19 months"] == 19
    assert terms["8 years and 3 months"] == 99


@pytest.mark.django_db
def test_two_spellings_of_one_address_are_the_same_facility(country):
    run(SAMPLE)
    spelled = {
        record["prison/address"]: listed(record["id"]).current_facility.slug
        for record in RECORDS
        if record["prison/title"] == "Penal colony No. 2"
    }
    assert spelled == {
        "213800, Babrujsk, vulica Sikorskaha 1": "ik-2-babruisk",
        "213800, Babrujsk, vul. Sikorskaha, 1": "ik-2-babruisk",
    }


@pytest.mark.django_db
def test_a_facility_the_country_file_does_not_know_is_created_from_the_list_in_latin_script(country):
    run(SAMPLE)
    mialeshka = listed(47)
    facility = mialeshka.current_facility
    assert (facility.kind.slug, facility.postal_code, facility.street_latin) == (
        "temporary",
        "222120",
        "vulica Hliebki 1",
    )
    with translation.override("be"):
        assert (facility.name, facility.city) == ("Temporary detention facility", "Barysau")
    assert facility.postal_address_latin.splitlines() == [
        "Temporary detention facility",
        "vulica Hliebki 1",
        "222120 Barysau",
        "BELARUS",  # the country file's postal name
    ]
    assert facility.postal_address_cyrillic == ""  # for an editor to add
    assert AuditEntry.objects.filter(content_type__model="facility", object_id=facility.pk).exists()


@pytest.mark.django_db
def test_someone_the_list_does_not_recognise_is_persecuted_without_a_recognition(country):
    run(SAMPLE)
    held, released = (listed(n) for n in (38, 21))
    assert held.status == Status.PERSECUTED
    assert held.current_facility.slug == "iuot-17-gomel"
    assert released.status == Status.RELEASED
    assert not Event.objects.filter(person__in=[held, released], kind=EventKind.RECOGNIZED).exists()


@pytest.mark.django_db
def test_a_former_prisoner_without_a_release_date_is_released_and_flagged(country):
    output = run(SAMPLE)
    unknown = [r for r in RECORDS if r["status"] == "former" and r["release_date"] in ("", "FALSE")]
    assert len(unknown) == 5
    assert output.count("released on an unknown date") == len(unknown)
    person = listed(unknown[0]["id"])
    assert person.status == Status.RELEASED
    released = person.events.get(kind=EventKind.RELEASED)
    assert (released.note_code, released.note) == (Event.Note.RELEASE_DATE_UNKNOWN, "")


@pytest.mark.django_db
def test_the_importers_notes_are_codes_that_the_profile_shows_in_words(client, country):
    run(SAMPLE)
    lapatsin = listed(1)
    notes = dict(lapatsin.events.values_list("kind", "note_code"))
    assert notes[EventKind.RECOGNIZED] == Event.Note.RECOGNITION_DATE_FROM_ARREST
    assert notes[EventKind.TRANSFERRED] == Event.Note.HELD_ACCORDING_TO_LIST
    assert not Event.objects.exclude(note="").exists()
    page = client.get(f"/en/people/{lapatsin.pk}/").content.decode()
    assert "Held here according to the list." in page
    assert "The list gives no date of recognition; the date of arrest stands for it." in page


@pytest.mark.django_db
def test_a_record_without_an_address_cites_the_list_as_the_country_file_names_it(country, tmp_path):
    record = dict(RECORDS[0], url="", declaration="")
    run(with_records(tmp_path, [record]))
    events = listed(1).events.all()
    assert {(e.source_url, e.source_citation) for e in events} == {
        ("", "Human Rights Centre “Viasna”, list of political prisoners")
    }


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
    assert set(entries.values_list("actor_label", flat=True)) == {"import: list-sample.json"}


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
    lapatsin = next(r for r in records if r["id"] == 1)
    lapatsin["prison/title"], lapatsin["prison/address"] = (
        "Penal colony No. 2",
        "213800, Babrujsk, vulica Sikorskaha 1",
    )
    zhavaronak = next(r for r in records if r["id"] == 2)
    zhavaronak["status"], zhavaronak["release_date"] = "former", "2024-09-16"
    changed = with_records(tmp_path, records, "next-day.json")

    output = run(changed)
    assert "0 new, 2 changed, 47 unchanged" in output
    person = listed(1)
    assert person.current_facility.slug == "ik-2-babruisk"
    moved = person.events.filter(kind=EventKind.TRANSFERRED).latest("date")
    assert moved.note_code == Event.Note.SEEN_IN_LIST
    assert listed(2).status == Status.RELEASED
    assert "0 new, 0 changed, 49 unchanged" in run(changed)


@pytest.mark.django_db
def test_people_missing_from_a_new_list_are_flagged_never_released(country, tmp_path):
    run(SAMPLE)
    output = run(with_records(tmp_path, [r for r in RECORDS if r["id"] != 1], "shorter.json"))
    assert "1 missing" in output
    assert "Siarhei Lapatsin: check: possibly released" in output
    assert listed(1).status == Status.POLITICAL_PRISONER


@pytest.mark.django_db
def test_a_malformed_record_is_rejected_with_its_reason_and_the_others_still_come_in(country, tmp_path):
    records = json.loads(SAMPLE.read_text(encoding="utf-8"))[:5]
    records[1]["verdict_date"] = "2022-13-45"
    records[2]["name"] = 42
    records[3] = "not a record"
    records.append({"id": 999, "name": "Nobody", "status": "maybe"})
    output = run(with_records(tmp_path, records, "broken.json"))
    assert "2 new, 0 changed, 0 unchanged, 4 rejected" in output
    assert "rejected record 2 Aliaksandr Zhavaronak: verdict_date '2022-13-45' is not a date" in output
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
    path = tmp_path / "garbage.bin"
    path.write_bytes(os.urandom(10 * 1024 * 1024))
    with pytest.raises(CommandError, match="Nothing was imported"):
        run(path)
    assert not Person.objects.exists()


@pytest.mark.django_db
@pytest.mark.skipif(
    not REAL_SAMPLE.is_file(),
    reason=(
        "../shared/data/viasna-sample.json not found beside the checkout; "
        "set SHARED_DIR to the folder holding data/viasna-sample.json to import the real sample"
    ),
)
def test_the_real_sample_of_the_list_imports_with_every_record_accounted_for(country):
    records = json.loads(REAL_SAMPLE.read_text(encoding="utf-8"))
    output = run(REAL_SAMPLE)
    assert f"{len(records)} new, 0 changed, 0 unchanged, 0 rejected" in output
    assert "(0 new facilities)" in output  # every facility of the list is one of the country file's
    statuses = [record["status"] for record in records]
    assert Person.objects.filter(status=Status.POLITICAL_PRISONER).count() == statuses.count("active")
    assert Person.objects.filter(status=Status.RELEASED).count() == statuses.count("former")
