import datetime

import pytest
import time_machine

from solidarity.registry.models import EventKind, Person
from solidarity.registry.services import refresh_all_derived_fields
from solidarity.registry.tests.factories import EventFactory, FacilityFactory, PersonFactory


def _prisoner(**kwargs):
    person = PersonFactory(**kwargs)
    EventFactory(
        person=person, kind=EventKind.DETAINED, date=datetime.date(2022, 3, 1), facility=FacilityFactory()
    )
    EventFactory(person=person, kind=EventKind.RECOGNIZED, date=datetime.date(2022, 4, 1))
    return person


@pytest.mark.django_db
@time_machine.travel(datetime.date(2026, 11, 21))
def test_home_shows_todays_count_with_its_date_and_source(client):
    _prisoner(gender=Person.Gender.FEMALE)
    _prisoner()
    released = _prisoner()
    EventFactory(person=released, kind=EventKind.RELEASED, date=datetime.date(2025, 1, 1))
    refresh_all_derived_fields()

    response = client.get("/en/")
    html = response.content.decode()
    assert response.context["prisoner_count"] == 2
    assert response.context["women_count"] == 1
    assert '<data value="2">2</data>' in html
    assert "As of 21 November 2026." in html
    assert "Viasna" in html


@pytest.mark.django_db
@time_machine.travel(datetime.date(2026, 11, 21))
@pytest.mark.parametrize(
    ("language", "heading", "date"),
    [
        ("be", "Палітвязні сёння", "21 лістапада 2026"),
        ("ru", "Политзаключённые сегодня", "21 ноября 2026"),
        ("en", "Political prisoners today", "21 November 2026"),
    ],
)
def test_home_speaks_each_language(client, language, heading, date):
    response = client.get(f"/{language}/")
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert heading in html
    assert date in html


@pytest.mark.django_db
def test_the_bare_address_redirects_to_a_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == "/ru/"


@pytest.mark.django_db
def test_every_page_links_to_itself_in_the_other_languages(client):
    html = client.get("/ru/").content.decode()
    for code in ("be", "ru", "en"):
        assert f'href="/{code}/" hreflang="{code}"' in html
    assert 'hreflang="ru" lang="ru" aria-current="true"' in html


@pytest.mark.django_db
def test_recent_changes_list_the_newest_events_in_a_fixed_number_of_queries(client, queries_for):
    first = _prisoner()
    one = queries_for("/en/")
    for _ in range(3):
        _prisoner()
    assert queries_for("/en/") == one
    html = client.get("/en/").content.decode()
    assert first.full_name in html
    assert "recognised as a political prisoner" in html


@pytest.mark.django_db
def test_recent_changes_speak_of_a_woman_in_the_feminine(client):
    _prisoner(gender=Person.Gender.FEMALE, last_name_ru="Колесникова")
    _prisoner(gender=Person.Gender.MALE, last_name_ru="Бабарико")
    html = client.get("/ru/").content.decode()
    assert "признана политзаключённой" in html
    assert "признан политзаключённым" in html
