"""Published articles in the open-data API: every language each is written in, its subjects as
the registry's ids, filters by person, tag and kind; drafts and retracted ones are not there."""

import pytest

from solidarity.catalogue.tests.helpers import prisoner

from .helpers import article, published_article

pytestmark = pytest.mark.django_db


def test_articles_carry_each_language_they_are_written_in(client):
    person = prisoner()
    published_article("both", subjects=[person], tags=["letters"], kind="letter")
    published_article("other", kind="news")
    article("draft")
    everything = client.get("/api/v1/magazine/articles").json()
    assert [item["slug"] for item in everything] == ["other", "both"]
    both = client.get("/api/v1/magazine/articles/both").json()
    assert both["languages"] == ["ru", "en"]
    assert both["title"] == {"ru": "Сорок конвертов", "en": "Forty envelopes"}
    assert both["url"] == {
        "ru": "http://testserver/ru/magazine/both/",
        "en": "http://testserver/en/magazine/both/",
    }
    assert both["subjects"] == [person.pk] and both["tags"] == ["letters"] and both["authors"] == ["Анна Л."]
    assert [i["slug"] for i in client.get(f"/api/v1/magazine/articles?person={person.pk}").json()] == ["both"]
    assert [i["slug"] for i in client.get("/api/v1/magazine/articles?tag=letters").json()] == ["both"]
    assert [i["slug"] for i in client.get("/api/v1/magazine/articles?kind=news").json()] == ["other"]
    assert client.get("/api/v1/magazine/articles?kind=poem").status_code == 422
    assert client.get("/api/v1/magazine/articles/draft").status_code == 404
