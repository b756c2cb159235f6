import csv
import io
import json

import pytest
from django.core.management import call_command

from solidarity.imports.readers import LIST_CSV_COLUMNS
from solidarity.registry.country import load_country
from solidarity.registry.models import Event, Person, Sentence
from solidarity.registry.snapshot import build_snapshot

from .test_import_command import RECORDS, run


def as_csv(records: list[dict], header: list[str] | None = None, delimiter: str = ",") -> str:
    """The sample, as the list's CSV export would have it."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header or LIST_CSV_COLUMNS)
    for record in records:
        articles = "\n".join(
            record[f"articles/{i}"] for i in range(13) if record.get(f"articles/{i}") not in ("", "FALSE")
        )
        prison = ", ".join(part for part in (record["prison/title"], record["prison/address"]) if part)
        row = {
            **record,
            "articles": articles,
            "prison": prison,
            "fake_terrorist_list": "",
            "died": "",
            "clusters": "",
        }
        writer.writerow([row.get(column, "") for column in LIST_CSV_COLUMNS])
    return out.getvalue()


@pytest.fixture
def country(db):
    load_country()


def _state() -> list[tuple]:
    return sorted(
        (
            p.source_ref,
            p.last_name_en,
            p.birth_date,
            p.status,
            p.current_facility_id,
            sorted((e.kind, e.date) for e in p.events.all()),
            sorted(
                (s.term_months, s.regime, tuple(sorted(a.pk for a in s.articles.all())))
                for s in p.sentences.all()
            ),
        )
        for p in Person.objects.prefetch_related("events", "sentences__articles")
    )


@pytest.mark.django_db
def test_the_csv_export_imports_like_the_json_one(country, tmp_path):
    from .test_import_command import SAMPLE

    run(SAMPLE)
    from_json = _state()
    Person.objects.all().delete()
    path = tmp_path / "list.csv"
    path.write_text(as_csv(RECORDS), encoding="utf-8")
    assert "49 new, 0 changed, 0 unchanged, 0 rejected" in run(path)
    assert _state() == from_json


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1251"])
def test_a_csv_with_a_russian_header_in_windows_1251_or_with_a_bom(country, tmp_path, encoding):
    russian = [
        "id",
        "ссылка",
        "ФИО",
        "статус",
        "пол",
        "фото",
        "описание",
        "дата рождения",
        "дата задержания",
        "статьи",
        "место заключения",
        "признание",
        "приговор",
        "наказание",
        "судья",
        "адвокат",
        "начало срока",
        "дата освобождения",
        "дата приговора",
        "дата апелляции",
        "terrorist list",
        "умер",
        "clusters",
    ]
    records = [dict(r, description="Белорусская правозащитница") for r in RECORDS[:6]]
    path = tmp_path / "list.csv"
    # Windows-1251 has no Łacinka letters (ŭ in the list's addresses): Excel writes "?" for them.
    path.write_bytes(as_csv(records, russian, delimiter=";").encode(encoding, errors="replace"))
    assert "6 new, 0 changed, 0 unchanged, 0 rejected" in run(path)
    assert Person.objects.get(source_ref="viasna:1").description_en == "Белорусская правозащитница"


@pytest.mark.django_db
def test_a_csv_row_with_missing_columns_is_rejected_alone(country, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(as_csv(RECORDS[:2]) + "77,only-two-columns\n", encoding="utf-8")
    output = run(path, "--format", "viasna-csv")
    assert "2 new, 0 changed, 0 unchanged, 1 rejected" in output
    assert "rejected record 3 : the row has 2 columns instead of 23" in output


@pytest.mark.django_db
def test_export_then_import_into_an_empty_registry_round_trips_exactly(tmp_path):
    call_command("demo_data", "--people", "120", "--seed", "9", verbosity=0)
    path = tmp_path / "snapshot.json"
    call_command("export_registry", str(path), verbosity=0)
    before = build_snapshot()
    Person.objects.all().delete()

    assert "120 new, 0 changed, 0 unchanged, 0 rejected" in run(path)
    after = build_snapshot()
    strip = lambda snapshot: [{k: v for k, v in p.items() if k != "id"} for p in snapshot["people"]]  # noqa: E731
    assert strip(after) == strip(before)
    assert after["facilities"] == before["facilities"]
    assert "0 new, 0 changed, 120 unchanged" in run(path)


@pytest.mark.django_db
def test_a_snapshot_person_with_wrong_types_is_rejected_and_the_rest_imported(tmp_path):
    call_command("demo_data", "--people", "10", "--seed", "2", verbosity=0)
    snapshot = build_snapshot()
    Person.objects.all().delete()
    snapshot["people"][0]["events"] = "not a list"
    snapshot["people"][1]["sentences"][0:0] = (
        [{"term_months": "ten", "source": {"url": "x", "citation": ""}}]
        if snapshot["people"][1]["sentences"] is not None
        else []
    )
    snapshot["people"][2]["birth_date"] = "2022-13-45"
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    output = run(path)
    assert "7 new, 0 changed, 0 unchanged, 3 rejected" in output
    assert "events is not a list" in output
    assert "term_months 'ten' is not a number of months" in output
    assert "birth_date '2022-13-45' is not a date" in output
    assert Person.objects.count() == 7
    assert Event.objects.exists() and Sentence.objects.exists()


def note_codes() -> dict[tuple, str]:
    return {(e.person.source_ref, e.date.isoformat(), e.kind): e.note_code for e in Event.objects.all()}


@pytest.mark.django_db
def test_a_snapshots_note_codes_are_kept_and_an_unknown_one_refuses_its_person(country, tmp_path):
    from .test_import_command import SAMPLE

    run(SAMPLE)
    snapshot = build_snapshot()
    codes = note_codes()
    for person in snapshot["people"]:
        for event in person["events"]:
            event["note_code"] = codes[person["source_ref"], event["date"], event["kind"]]
    snapshot["people"][0]["events"][0]["note_code"] = "made_up"
    Person.objects.all().delete()
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")

    output = run(path)
    assert "48 new, 0 changed, 0 unchanged, 1 rejected" in output
    assert "unknown note code 'made_up'" in output
    refused = snapshot["people"][0]["source_ref"]
    assert note_codes() == {key: code for key, code in codes.items() if key[0] != refused}
