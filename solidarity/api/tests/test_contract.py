"""The API's contract as a partner's generated client reads it: the ids it hands out are the ids it
takes, its parameters have their enums, and each operation lists the errors it answers with."""

import datetime

import pytest
import time_machine

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.registry.models import Sentence
from solidarity.registry.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sentenced(db):
    article = ArticleFactory(code="criminal", number="342", part="1")
    person = prisoner(detained=datetime.date(2021, 1, 1))
    Sentence.objects.create(
        person=person, term_months=36, regime="general", source_url="https://example.org/s"
    )
    person.sentences.get().articles.add(article)
    prisoner(detained=datetime.date(2021, 1, 1))  # without that article
    return person


def test_people_filter_by_the_article_id_that_articles_lists(client, sentenced):
    ids = [article["id"] for article in client.get("/api/v1/articles").json()]
    assert ids == ["criminal:342:1"]
    body = client.get("/api/v1/people?article=criminal:342:1").json()
    assert [item["id"] for item in body["items"]] == [sentenced.pk]
    unknown = client.get("/api/v1/people?article=criminal:999:9")
    assert unknown.status_code == 422
    assert "criminal:999:9" in unknown.json()["detail"]


@time_machine.travel(datetime.date(2026, 11, 21))
def test_the_daily_series_takes_the_same_article_id_and_refuses_an_unknown_one(client, sentenced):
    day = "from=2021-06-01&to=2021-06-01"
    assert client.get(f"/api/v1/stats/daily?{day}").json()["series"][0]["count"] == 2
    assert client.get(f"/api/v1/stats/daily?{day}&article=criminal:342:1").json()["series"][0]["count"] == 1
    assert client.get(f"/api/v1/stats/daily?{day}&article=criminal:999:9").status_code == 422
    assert client.get(f"/api/v1/stats/daily?{day}&gender=other").status_code == 422


def test_the_openapi_document_names_enums_errors_and_plain_operation_ids(client):
    document = client.get("/api/v1/openapi.json").json()
    people = document["paths"]["/api/v1/people"]["get"]
    assert people["operationId"] == "people"
    parameters = {parameter["name"]: parameter["schema"] for parameter in people["parameters"]}

    def enum(schema):
        return schema.get("enum") or next(s["enum"] for s in schema.get("anyOf", []) if "enum" in s)

    assert enum(parameters["status"]) == ["now", "released", "all"]
    assert enum(parameters["gender"]) == ["female", "male"]
    assert enum(parameters["sort"]) == ["newest", "name", "fewest_friends"]
    assert {"200", "422", "429"} <= set(people["responses"])
    assert "404" in document["paths"]["/api/v1/people/{person_id}"]["get"]["responses"]
    assert {"422", "429"} <= set(document["paths"]["/api/v1/letters/check"]["post"]["responses"])
    operation_ids = [op["operationId"] for path in document["paths"].values() for op in path.values()]
    assert len(operation_ids) == len(set(operation_ids))
    assert not [name for name in operation_ids if "solidarity" in name]
