import pytest

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.registry.models import Sentence
from solidarity.registry.tests.factories import ArticleFactory, FacilityFactory


@pytest.fixture
def people(db):
    colony = FacilityFactory(slug="ik-4", name_en="Penal colony No. 4")
    babaryka = prisoner(
        facility=colony,
        first_name_be="Віктар",
        first_name_ru="Виктор",
        first_name_en="Viktar",
        patronymic_en="",
        last_name_be="Бабарыка",
        last_name_ru="Бабарико",
        last_name_en="Babaryka",
    )
    Sentence.objects.create(
        person=babaryka, term_months=168, regime="strict", source_url="https://example.org/v"
    ).articles.add(ArticleFactory(number="235", part="4"))
    other = prisoner(last_name_en="Other", last_name_be="Іншая", last_name_ru="Другая", gender="female")
    return babaryka, other


@pytest.mark.django_db
def test_people_come_with_count_names_in_three_spellings_and_status(client, people):
    babaryka, _other = people
    response = client.get("/api/v1/people?q=Бабарико")
    assert response.status_code == 200
    assert sorted(response["Cache-Control"].split(", ")) == ["max-age=300", "public"]
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == babaryka.pk
    assert item["names"] == {
        "be": "Віктар Дзмітрыевіч Бабарыка",
        "ru": "Виктор Дмитриевич Бабарико",
        "latin": "Viktar Babaryka",
    }
    assert item["status"] == "political_prisoner"
    assert item["facility"]["id"] == "ik-4"
    assert item["facility"]["name"]["en"] == "Penal colony No. 4"
    assert item["friend_count"] == 0
    assert item["url"].endswith(f"/people/{babaryka.pk}/")


@pytest.mark.django_db
def test_the_lists_filters_and_pagination_apply(client, people):
    assert client.get("/api/v1/people?gender=female").json()["count"] == 1
    page = client.get("/api/v1/people?limit=1&offset=1").json()
    assert (page["count"], len(page["items"]), page["offset"]) == (2, 1, 1)
    assert client.get("/api/v1/people?status=released").json()["count"] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["limit=0", "limit=100000", "offset=-1", "age_min=abc", "region=nowhere"])
def test_bad_parameters_get_a_clear_422(client, people, query):
    response = client.get(f"/api/v1/people?{query}")
    assert response.status_code == 422
    assert response.json()["detail"]


@pytest.mark.django_db
def test_one_person_comes_with_timeline_and_sentences(client, people):
    babaryka, _other = people
    body = client.get(f"/api/v1/people/{babaryka.pk}").json()
    assert [event["kind"] for event in body["timeline"]] == ["detained", "recognized"]
    assert body["timeline"][0]["facility"]["id"] == "ik-4"
    assert body["sentences"][0]["articles"] == ["criminal:235:4"]
    assert body["sentences"][0]["term_months"] == 168
    assert client.get("/api/v1/people/999999").status_code == 404


@pytest.mark.django_db
def test_facilities_articles_and_the_openapi_description(client, people):
    assert "ik-4" in {f["id"] for f in client.get("/api/v1/facilities").json()}
    assert client.get("/api/v1/articles").json()[0]["id"] == "criminal:235:4"
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/people", "/api/v1/people/{person_id}", "/api/v1/facilities", "/api/v1/articles"} <= set(
        spec["paths"]
    )
    assert client.get("/api/v1/docs").status_code == 404  # no docs page that would load a CDN


@pytest.mark.django_db
def test_the_people_list_takes_the_same_number_of_queries_for_one_or_three(queries_for, db):
    prisoner()
    one = queries_for("/api/v1/people")
    prisoner()
    prisoner()
    assert queries_for("/api/v1/people") == one
