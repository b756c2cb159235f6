import datetime

import pytest
import time_machine

from solidarity.catalogue.plain_words import add_months, duration, months_between, sentence_in_words
from solidarity.registry.models import EventKind, Sentence
from solidarity.registry.services import refresh_derived_fields
from solidarity.registry.tests.factories import ArticleFactory, EventFactory, FacilityFactory

from .helpers import prisoner

TODAY = datetime.date(2026, 11, 21)


def test_durations_in_plain_words():
    assert duration(0) == "less than a month"
    assert duration(1) == "1 month"
    assert duration(12) == "1 year"
    assert duration(20) == "1 year 8 months"
    assert duration(66) == "5 years 6 months"
    assert months_between(datetime.date(2021, 3, 12), datetime.date(2026, 11, 21)) == 68
    assert months_between(datetime.date(2021, 3, 22), datetime.date(2021, 4, 21)) == 0
    assert add_months(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)


def test_a_sentence_in_plain_words_says_term_regime_start_and_time_left():
    sentence = Sentence(term_months=60, regime=Sentence.Regime.ENHANCED)
    words = sentence_in_words(sentence, datetime.date(2021, 3, 12), datetime.date(2024, 7, 1))
    assert words == "5 years, medium-security penal colony, since 12 March 2021; 1 year 8 months left"
    ended = sentence_in_words(sentence, datetime.date(2021, 3, 12), datetime.date(2026, 11, 21))
    assert ended.endswith("the term ended on 12 March 2026")
    still_held = sentence_in_words(
        sentence, datetime.date(2021, 3, 12), datetime.date(2026, 11, 21), held=True
    )
    assert still_held.endswith(
        "the term ended on 12 March 2026, yet they are still held: "
        "a new case, or a release we have no news of yet"
    )
    still_serving = sentence_in_words(
        sentence, datetime.date(2021, 3, 12), datetime.date(2024, 7, 1), held=True
    )
    assert still_serving == words


@pytest.fixture
def person(db):
    colony = FacilityFactory(
        name_en="Penal colony No. 4",
        postal_address_cyrillic="ИК-4\nул. Антошкина, 3\n246035, Гомель",
        postal_address_latin="IK-4\nvulica Antoshkina 3\n246035 Homiel\nBELARUS",
    )
    person = prisoner(
        detained=datetime.date(2021, 3, 12),
        facility=FacilityFactory(),
        first_name_be="Марыя",
        first_name_ru="Мария",
        first_name_en="Maryia",
        patronymic_ru="Александровна",
        last_name_be="Калеснікава",
        last_name_ru="Колесникова",
        last_name_en="Kalesnikava",
        gender="female",
        birth_date=datetime.date(1982, 4, 24),
        story_en="A flautist.",
    )
    EventFactory(
        person=person,
        kind=EventKind.TRANSFERRED,
        date=datetime.date(2021, 11, 1),
        facility=colony,
        source_url="https://example.org/transfer",
        source_citation="",
    )
    sentence = Sentence.objects.create(
        person=person,
        verdict_date=datetime.date(2021, 9, 6),
        term_months=132,
        regime=Sentence.Regime.GENERAL,
        court="Minsk Regional Court",
        judge="S. Judge",
        source_citation="verdict",
    )
    sentence.articles.add(ArticleFactory(number="357", part="3", title_en="Conspiracy to seize power"))
    refresh_derived_fields(person)
    return person


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_the_profile_tells_the_whole_public_record(client, person):
    html = client.get(f"/en/people/{person.pk}/").content.decode()
    assert "Maryia Kalesnikava" in html
    assert "Марыя" in html and "Колесникова" in html  # every spelling
    assert "44 years old" in html
    assert "11 years, general-regime penal colony, since 12 March 2021; 5 years 3 months left" in html
    assert "Art. 357 part 3" in html and "Conspiracy to seize power" in html
    assert "Колесникова Мария Александровна, 1982 г. р." in html  # the envelope's recipient
    assert "ИК-4<br>ул. Антошкина, 3<br>246035, Гомель<br>BELARUS" in html  # the envelope's address
    assert "A flautist." in html
    assert 'href="https://example.org/transfer"' in html  # the transfer's source


@pytest.mark.django_db
@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("language", "court"),
    [("be", "Мінскі абласны суд"), ("ru", "Минский областной суд"), ("en", "Minsk Regional Court")],
)
def test_a_court_the_country_file_knows_is_named_in_the_readers_language(client, person, language, court):
    html = client.get(f"/{language}/people/{person.pk}/").content.decode()
    assert f"{court}, " in html
    others = {"Мінскі абласны суд", "Минский областной суд", "Minsk Regional Court"} - {court}
    assert not any(other in html for other in others)


def test_a_court_the_glossary_lacks_keeps_the_lists_words():
    from solidarity.registry.country import court_in

    assert court_in("суд  Центрального района г. Минска", "be") == "Суд Цэнтральнага раёна г. Мінска"
    assert court_in("Суд Ивьевского района", "be") == "Суд Ивьевского района"


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_the_profile_in_russian_speaks_of_her_in_the_feminine(client, person):
    html = client.get(f"/ru/people/{person.pk}/").content.decode()
    assert "признана политзаключённой" in html


@pytest.mark.django_db
def test_an_incommunicado_person_carries_a_warning_about_letters(client, person):
    EventFactory(person=person, kind=EventKind.INCOMMUNICADO, date=datetime.date(2023, 2, 1))
    html = client.get(f"/en/people/{person.pk}/").content.decode()
    assert "held incommunicado: letters are not handed over" in html
    assert "1 February 2023" in html and "volunteers can keep your letter sealed" in html


@pytest.mark.django_db
def test_the_printable_version_has_the_address_and_no_site_navigation(client, person):
    response = client.get(f"/en/people/{person.pk}/print/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "246035, Гомель" in html
    assert "print.css" in html and "site.css" not in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html  # read on a phone


@pytest.mark.django_db
def test_unpublished_and_unknown_people_are_not_found(client, person):
    assert client.get("/en/people/999999/").status_code == 404
    person.is_published = False
    person.save()
    assert client.get(f"/en/people/{person.pk}/").status_code == 404


@pytest.mark.django_db
def test_a_profile_takes_the_same_number_of_queries_for_one_event_or_three(client, queries_for, person):
    # What the apps read once per version (families' campaigns, parcel rules) is read by another
    # profile first, so that both counts are of this profile's own queries.
    client.get(f"/en/people/{prisoner(facility=person.current_facility).pk}/")
    before = queries_for(f"/en/people/{person.pk}/")
    EventFactory(
        person=person, kind=EventKind.TRANSFERRED, date=datetime.date(2022, 1, 1), facility=FacilityFactory()
    )
    EventFactory(
        person=person, kind=EventKind.TRANSFERRED, date=datetime.date(2022, 2, 1), facility=FacilityFactory()
    )
    assert queries_for(f"/en/people/{person.pk}/") == before


@pytest.mark.django_db
def test_a_profile_held_past_the_end_of_the_term_says_so_not_that_it_ended(client, person, time_machine):
    time_machine.move_to(datetime.date(2033, 1, 10))  # 11 years from 12 March 2021 have passed
    html = client.get(f"/en/people/{person.pk}/").content.decode()
    assert "the term ended on 12 March 2032, yet they are still held" in html
    EventFactory(person=person, kind=EventKind.RELEASED, date=datetime.date(2033, 1, 5))
    refresh_derived_fields(person)
    html = client.get(f"/en/people/{person.pk}/").content.decode()
    assert "still held" not in html and "11 years, general-regime penal colony" in html
