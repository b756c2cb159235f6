"""The list's real quirks, each in an invented record of its shape (data/list-quirks.json): statuses
written where the place of detention goes, dates out of order, one person listed twice, fines,
regimes, a facility spelled two ways, a record without a name. Whatever the record, re-importing
the same file writes nothing, on the same day or a month later."""

import datetime
import json
from pathlib import Path

import pytest
from django.utils import translation

from solidarity.audit.models import AuditEntry
from solidarity.catalogue.search import search_people
from solidarity.imports.applying import apply_plan
from solidarity.imports.models import FacilityAlias
from solidarity.imports.planning import plan_file
from solidarity.registry.country import load_country, read_country
from solidarity.registry.models import Event, EventKind, Facility, Person, Sentence, Status
from solidarity.registry.versioning import current_version

from .test_import_command import listed, run, with_records

QUIRKS = Path(__file__).parent / "data" / "list-quirks.json"
RECORDS = json.loads(QUIRKS.read_text(encoding="utf-8"))
DAY = datetime.date(2026, 11, 2)
MONTH_LATER = DAY + datetime.timedelta(days=30)


@pytest.fixture
def country(db):
    load_country()


def import_on(day: datetime.date, path: Path = QUIRKS) -> dict:
    with translation.override("en"):
        plan = plan_file(path.read_bytes(), today=day)
        apply_plan(plan, actor_label="import: list-quirks.json")
    return plan


def flagged(output: str, name: str, doubt: str) -> bool:
    return any(f" {name}: " in line and doubt in line for line in output.splitlines() if "flagged" in line)


def written() -> tuple[int, ...]:
    return (
        Person.objects.count(),
        Event.objects.count(),
        Sentence.objects.count(),
        Facility.objects.count(),
        FacilityAlias.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.django_db
def test_every_record_is_accounted_for(country):
    with translation.override("en"):
        output = run(QUIRKS)
    # 20 records: 18 people, one without a name, one id twice.
    assert "18 new, 0 changed, 0 unchanged, 2 rejected" in output
    assert "rejected record 16 : no name" in output
    assert "rejected record 20 Aleh Zhuk: viasna:119 appears twice in the file" in output
    assert Person.objects.count() == 18


@pytest.mark.django_db
def test_importing_twice_writes_nothing_the_same_day_or_a_month_later(country):
    import_on(DAY)
    before, version = written(), current_version()
    for day in (DAY, MONTH_LATER):
        plan = import_on(day)
        assert plan.summary() | {"flagged": 0} == {
            "new": 0,
            "changed": 0,
            "unchanged": 18,
            "rejected": 2,
            "missing": 0,
            "flagged": 0,
        }, [(c.name, c.describe()) for c in plan.changes if c.kind == "changed"]
        assert written() == before
    with translation.override("en"):
        assert "0 new, 0 changed, 18 unchanged, 2 rejected" in run(QUIRKS)
    assert written() == before
    assert current_version() == version  # the search index and the statistics stay as they are


@pytest.mark.django_db
def test_a_status_in_the_place_of_detention_is_never_a_facility(country):
    import_on(DAY)
    known = {item["slug"] for item in read_country()["facilities"]}
    created = set(Facility.objects.exclude(slug__in=known).values_list("name_en", flat=True))
    assert created == {"Open correctional facility No. 49"}  # a real place the country file lacks
    for words in ("released", "house arrest", "restriction", "unknown"):
        assert not Facility.objects.filter(name_en__icontains=words).exists()
    for record_id in (101, 102, 103, 104, 108, 109):
        person = listed(record_id)
        assert person.current_facility is None
        assert not person.events.exclude(facility=None).exists()


@pytest.mark.django_db
def test_released_awaiting_the_sentence_is_a_release_of_whoever_was_held(country):
    import_on(DAY)
    never_held, held = listed(101), listed(102)
    assert never_held.status == Status.AT_LARGE  # no arrest to end: no release made up
    assert not never_held.events.filter(kind=EventKind.RELEASED).exists()
    assert held.status == Status.RELEASED
    released = held.events.get(kind=EventKind.RELEASED)
    # Released when sentenced, as a rule: the verdict dates it, not the day of the import.
    assert (released.date, released.note_code) == (
        datetime.date(2022, 8, 11),
        Event.Note.RELEASE_DATE_UNKNOWN,
    )
    former = listed(103)
    assert former.status == Status.RELEASED
    assert former.events.get(kind=EventKind.RELEASED).date == datetime.date(2022, 4, 7)


@pytest.mark.django_db
def test_house_arrest_and_restricted_freedom_keep_the_person_held_without_a_facility(country, tmp_path):
    import_on(DAY)
    for record_id in (104, 108, 109):
        assert listed(record_id).status == Status.POLITICAL_PRISONER
    with translation.override("en"):
        output = run(with_records(tmp_path, [r for r in RECORDS if r["id"] == 104], "one.json"))
    assert output.count("not a facility") == 0  # unchanged: nothing to look at


@pytest.mark.django_db
def test_the_list_s_status_words_are_flagged_for_the_editors(country):
    with translation.override("en"):
        output = run(QUIRKS)
    assert flagged(output, "Yadviha Martsinkevich", "the place of detention 'House arrest' is not a facility")
    assert flagged(output, "Zmitser Haurylik", "'Restriction of freedom' is not a facility")
    assert flagged(output, "Artsem Luhavik", "'Place of detention unknown' is not a facility")
    assert not flagged(output, "Mikola Salavei", "not a facility")  # a release: a status, no doubt


@pytest.mark.django_db
def test_a_facility_date_before_the_arrest_is_not_a_transfer(country):
    import_on(DAY)
    person = listed(105)  # sentenced to "khimiya" in October, arrested when it began in December
    (moved,) = person.events.filter(kind=EventKind.TRANSFERRED)
    assert (moved.date, moved.facility.slug, moved.note_code) == (
        datetime.date(2021, 12, 31),
        "iuot-17-gomel",
        Event.Note.HELD_ACCORDING_TO_LIST,
    )
    assert person.current_facility.slug == "iuot-17-gomel"
    import_on(MONTH_LATER)
    assert person.events.filter(kind=EventKind.TRANSFERRED).count() == 1


@pytest.mark.django_db
def test_the_start_of_the_penalty_dates_the_arrival_at_an_open_facility(country):
    import_on(DAY)
    moved = listed(112).events.get(kind=EventKind.TRANSFERRED)
    assert moved.date == datetime.date(2022, 5, 20)  # after the arrest and the verdict
    assert listed(119).events.get(kind=EventKind.TRANSFERRED).date == datetime.date(2022, 10, 6)


@pytest.mark.django_db
def test_someone_held_without_a_date_of_arrest_gets_no_new_transfer_every_day(country):
    import_on(DAY)
    person = listed(106)
    assert person.status == Status.AT_LARGE  # no arrest: not counted, flagged
    (moved,) = person.events.filter(kind=EventKind.TRANSFERRED)
    assert (moved.date, moved.facility.slug) == (datetime.date(2023, 2, 2), "prison-4-mogilev")
    import_on(MONTH_LATER)
    assert person.events.filter(kind=EventKind.TRANSFERRED).count() == 1


@pytest.mark.django_db
def test_a_release_date_on_or_before_the_arrest_still_releases_a_former_prisoner(country):
    with translation.override("en"):
        output = run(QUIRKS)
    person = listed(114)
    assert person.status == Status.RELEASED
    released = person.events.get(kind=EventKind.RELEASED)
    assert released.date == datetime.date(2022, 7, 7)  # the day after the arrest
    assert released.note_code == Event.Note.RELEASE_DATE_UNKNOWN
    assert flagged(output, "Katsiaryna Lis", "release date 2022-03-03 is not after the arrest 2022-07-06")


@pytest.mark.django_db
def test_a_fine_has_no_term_and_is_not_flagged(country):
    with translation.override("en"):
        output = run(QUIRKS)
    sentence = listed(107).sentences.get()
    assert (sentence.regime, sentence.term_months) == (Sentence.Regime.FINE, None)
    assert "150 base rates" in sentence.note
    assert "not understood" not in output


@pytest.mark.django_db
def test_a_maximum_security_colony_is_the_strict_regime_and_two_thirds_of_a_year_count(country):
    import_on(DAY)
    sentence = listed(115).sentences.get()
    assert (sentence.regime, sentence.term_months) == (Sentence.Regime.STRICT, 32)
    assert listed(115).current_facility.slug == "ik-10-navapolatsk"


@pytest.mark.django_db
def test_one_person_listed_twice_stays_two_records_that_never_overwrite_each_other(country, tmp_path):
    with translation.override("en"):
        output = run(QUIRKS)
    old_case, new_case = listed(110), listed(111)
    assert old_case.pk != new_case.pk
    assert (old_case.status, new_case.status) == (Status.RELEASED, Status.POLITICAL_PRISONER)
    assert "record 10 Siarhei Dubrouski: same name and date of birth as record 11" in output
    assert "record 11 Siarhei Dubrouski: same name and date of birth as record 10" in output
    # A registry that knows one of them already: the other is a new person, not a change of the first.
    Person.objects.filter(pk=new_case.pk).delete()
    import_on(DAY)
    assert Person.objects.filter(first_name_en="Siarhei", last_name_en="Dubrouski").count() == 2
    assert listed(110).photo_source_url == ""
    assert import_on(MONTH_LATER).summary()["changed"] == 0


@pytest.mark.django_db
def test_a_facility_the_country_file_lacks_spelled_two_ways_is_one_facility(country):
    import_on(DAY)
    first, second = listed(112).current_facility, listed(113).current_facility
    assert first == second
    assert (first.postal_code, first.kind.slug) == ("213010", "open")


@pytest.mark.django_db
def test_a_facility_named_without_an_address_is_the_country_file_s_one_of_that_kind_and_number(country):
    import_on(DAY)
    assert listed(117).current_facility.slug == "sizo-1-minsk"


@pytest.mark.django_db
def test_a_name_in_brackets_goes_with_the_last_name(country):
    import_on(DAY)
    person = listed(118)
    assert (person.first_name_en, person.last_name_en) == ("Hanna", "Sauchuk (Lapitskaya)")


@pytest.mark.django_db
def test_an_unreadable_start_of_the_penalty_is_flagged_not_a_rejection(country):
    with translation.override("en"):
        output = run(QUIRKS)
    assert flagged(output, "Aleh Zhuk", "penalty_start_date '2022-13-06' is not a date: ignored")


@pytest.mark.django_db
def test_people_of_the_list_are_found_by_their_cyrillic_spellings(country):
    import_on(DAY)
    found = {
        query: {hit.pk for hit in search_people(query)}
        for query in ("Мікіта Барысевіч", "Никита Борисевич", "Саўчук", "Савчук Анна", "Дубровский")
    }
    assert found["Мікіта Барысевіч"] == found["Никита Борисевич"] == {listed(105).pk}
    assert listed(118).pk in found["Саўчук"] & found["Савчук Анна"]
    assert found["Дубровский"] == {listed(110).pk, listed(111).pk}


@pytest.mark.django_db
def test_one_article_named_twice_is_one_article_of_the_sentence(country):
    import_on(DAY)  # "Art. 342" and "Part 1 of Article 13 and Article 342": once, not a failed import
    sentence = listed(113).sentences.get()
    assert [(a.number, a.part) for a in sentence.articles.all()] == [("342", "")]
