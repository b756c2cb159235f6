import datetime

import pytest
import time_machine

from solidarity.registry.models import Person, Sentence
from solidarity.registry.tests.factories import ArticleFactory, FacilityFactory, RegionFactory

from .helpers import prisoner

TODAY = datetime.date(2026, 11, 21)


def names(response) -> list[str]:
    """The last names of the listed people, in order (the page lists rows of the people's ids)."""
    ids = [row.pk for row in response.context["page"].object_list]
    last_names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "last_name_en"))
    return [last_names[pk] for pk in ids]


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_the_list_shows_people_imprisoned_now_newest_arrest_first(client):
    prisoner(last_name_en="Older", detained=datetime.date(2021, 1, 1))
    prisoner(last_name_en="Newer", detained=datetime.date(2024, 1, 1))
    prisoner(last_name_en="Freed", released=datetime.date(2025, 1, 1))
    response = client.get("/en/people/")
    assert response.status_code == 200
    assert names(response) == ["Newer", "Older"]
    html = response.content.decode()
    assert "2 people" in html
    assert "63 years old" in html  # born 1963-11-09 (the factory)
    assert "in prison for 5 years 10 months" in html  # the older one, since 2021-01-01
    assert response.cookies == {}


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_filters_combine_and_live_in_the_url(client):
    minsk, brest = RegionFactory(slug="minsk-city"), RegionFactory(slug="brest")
    colony = FacilityFactory(slug="ik-4")
    a = prisoner(
        last_name_en="Alpha",
        gender="female",
        region=minsk,
        facility=colony,
        birth_date=datetime.date(1990, 11, 25),
    )
    b = prisoner(last_name_en="Beta", gender="female", region=brest, birth_date=datetime.date(1950, 3, 1))
    prisoner(last_name_en="Gamma", gender="male", region=minsk)
    prisoner(last_name_en="Delta", region=minsk, released=datetime.date(2024, 8, 1))
    article = ArticleFactory(number="342", part="1")
    Sentence.objects.create(person=b, term_months=36, source_citation="court").articles.add(article)

    def listed(query: str) -> set[str]:
        return set(names(client.get(f"/en/people/?{query}")))

    assert listed("gender=female") == {"Alpha", "Beta"}
    assert listed("gender=female&region=minsk-city") == {"Alpha"}
    assert listed("facility=ik-4") == {"Alpha"}
    assert listed("article=criminal:342:1") == {"Beta"}
    assert listed("age_min=70") == {"Beta"}
    assert listed("age_max=40") == {"Alpha"}
    assert listed("birthday_within=7") == {"Alpha"}
    assert listed("status=released") == {"Delta"}
    assert listed("status=all&region=minsk-city") == {"Alpha", "Gamma", "Delta"}
    assert listed("q=alfa") == {"Alpha"}
    assert a.pk in [p.pk for p in client.get("/en/people/?status=all").context["page"].object_list]


@pytest.mark.django_db
def test_sorts_by_name_and_by_fewest_friends(client):
    prisoner(last_name_en="Zed", last_name_be="Зэд", last_name_ru="Зэд")
    prisoner(last_name_en="Ant", last_name_be="Ант", last_name_ru="Ант")
    Person.objects.filter(last_name_en="Ant").update(friend_count=5)
    assert names(client.get("/en/people/?sort=name")) == ["Ant", "Zed"]
    assert names(client.get("/en/people/?sort=fewest_friends")) == ["Zed", "Ant"]


@pytest.mark.django_db
def test_bad_filters_get_a_message_and_nothing_breaks(client):
    prisoner(last_name_en="Kept")
    for query in (
        "age_min=abc",
        "age_min=50&age_max=20",
        "region=nowhere",
        "sort=sideways",
        "page=999",
        "article=x",
    ):
        response = client.get(f"/en/people/?{query}")
        assert response.status_code == 200, query
    html = client.get("/en/people/?age_min=50&age_max=20").content.decode()
    assert "Some filters could not be used" in html
    assert "The upper age must not be below the lower one." in html


@pytest.mark.django_db
def test_the_list_is_paginated_by_fifty(client):
    for n in range(52):
        prisoner(last_name_en=f"P{n:02d}", detained=datetime.date(2021, 1, 1) + datetime.timedelta(days=n))
    first = client.get("/en/people/")
    assert len(first.context["page"].object_list) == 50
    second = client.get("/en/people/?page=2")
    assert names(second) == ["P01", "P00"]


@pytest.mark.django_db
def test_the_lists_links_carry_its_filters_and_nothing_else_the_address_held(client):
    for n in range(52):
        prisoner(last_name_en=f"P{n:02d}", detained=datetime.date(2021, 1, 1) + datetime.timedelta(days=n))
    html = client.get("/en/people/?fbclid=IwAR0visitor&status=now&utm_source=news").content.decode()
    content = html.split("<h1>")[1]  # the language links give the visitor's own address back
    assert 'href="?status=now&amp;page=2"' in content and "/en/people.csv?status=now" in content
    assert "IwAR0visitor" not in content and "utm_source" not in content


@pytest.mark.django_db
def test_the_list_takes_the_same_number_of_queries_for_one_person_or_three(queries_for):
    prisoner()
    one = queries_for("/en/people/?q=")
    prisoner()
    prisoner()
    assert queries_for("/en/people/?q=") == one


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["be", "ru", "en"])
def test_every_catalogue_page_works_in_each_language(client, language):
    from solidarity.registry.tests.factories import FacilityFactory

    facility = FacilityFactory(slug="sizo-1")
    person = prisoner(facility=facility, birth_date=datetime.date(1980, 11, 25))
    for path in (
        "people/",
        f"people/{person.pk}/",
        f"people/{person.pk}/print/",
        "birthdays/",
        "search/?q=Viktar",
        "facilities/sizo-1/",
        "forgotten/",
        "statistics/",
    ):
        response = client.get(f"/{language}/{path}")
        assert response.status_code == 200, path
        assert f'<html lang="{language}">' in response.content.decode(), path
    for path in ("people.csv", "changes.atom", "statistics/data/daily.csv", "statistics/charts/gender.svg"):
        assert client.get(f"/{language}/{path}").status_code == 200, path


@pytest.mark.django_db
def test_any_spelling_of_a_page_number_shows_that_page_and_nonsense_the_first(client):
    for n in range(52):
        prisoner(last_name_en=f"P{n:02d}", detained=datetime.date(2021, 1, 1) + datetime.timedelta(days=n))
    assert names(client.get("/en/people/?page=002")) == ["P01", "P00"]
    for nonsense in ("abc", "²", "9" * 5000, "-1"):
        assert client.get(f"/en/people/?page={nonsense}").status_code == 200
    assert "P51" in client.get("/en/people/?page=abc").content.decode()


@pytest.mark.django_db
def test_a_bad_filter_is_left_out_with_its_message_and_the_others_still_apply(client):
    prisoner(last_name_en="Woman", gender="female")
    prisoner(last_name_en="Man", gender="male")
    for bad in ("age_min=abc", "sort=bogus", "q=" + "x" * 201):
        response = client.get(f"/en/people/?gender=female&{bad}")
        assert "Some filters could not be used" in response.content.decode(), bad
        assert names(response) == ["Woman"], bad
