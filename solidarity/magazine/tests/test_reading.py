"""What readers see: published articles only, in their language or honestly in another, each
subject's status from the registry, a profile's stories; the same queries for one article as for
many; changes shown at once despite the page cache."""

import datetime

import pytest
from django.utils import timezone

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.magazine import services
from solidarity.magazine.models import Article
from solidarity.registry.models import Event, EventKind
from solidarity.registry.services import refresh_derived_fields

from .helpers import article, published_article, staff

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert "Set-Cookie" not in response.headers  # no cookies on reading pages
    return response.content.decode()


def test_only_published_articles_are_shown(client):
    published_article("shown", title_en="Shown story")
    article("draft", title_en="A draft")
    html = page(client, "/en/magazine/")
    assert "Shown story" in html and "A draft" not in html
    assert client.get("/en/magazine/draft/").status_code == 404


def test_an_article_not_translated_says_so_and_shows_its_own_language(client):
    published_article("ru-only", title_en="", lead_en="", body_en="")
    html = page(client, "/en/magazine/ru-only/")
    assert "This story is not translated into your language yet" in html
    assert '<article class="story" lang="ru">' in html and "Сорок конвертов" in html
    front = page(client, "/en/magazine/")
    assert "not translated yet; written in Русский" in front
    assert 'lang="ru">Сорок конвертов</a>' in front


def test_an_article_links_its_other_languages(client):
    published_article("both")
    html = page(client, "/en/magazine/both/")
    also = html.split("Also in", 1)[1].split("</p>", 1)[0]
    assert also == ' <a href="/ru/magazine/both/" hreflang="ru" lang="ru">Русский</a>'  # not in Belarusian
    assert "not translated into your language" not in html


def test_an_article_shows_its_subjects_status_as_the_registry_has_it_today(client):
    person = prisoner(first_name_en="Leanid", last_name_en="Vishneuski")
    published_article("about-leanid", subjects=[person])
    assert "political prisoner" in page(client, "/en/magazine/about-leanid/")
    released_on = timezone.localdate() - datetime.timedelta(days=6)
    Event.objects.create(
        person=person, kind=EventKind.RELEASED, date=released_on, source_url="https://example.org/r"
    )
    refresh_derived_fields(person)
    html = page(client, "/en/magazine/about-leanid/")  # the registry's version moved: not a kept page
    assert '<span class="status status-released">released</span>' in html
    assert f"last change: released, {released_on:%-d} " in html


def test_a_profile_lists_the_stories_about_the_person(client):
    person = prisoner()
    published_article("one", subjects=[person], title_en="First story")
    article("unpublished", subjects=[person], title_en="Not yet")
    html = page(client, f"/en/people/{person.pk}/")
    assert "In the magazine" in html and "First story" in html and "Not yet" not in html
    assert f'href="/en/magazine/about/{person.pk}/"' in html
    assert "In the magazine" not in page(client, f"/en/people/{prisoner().pk}/")


def test_a_retracted_article_disappears_from_pages_at_once(client):
    editor = staff("olga", "editor")
    person = prisoner()
    item = published_article("gone", subjects=[person], tags=["family"], title_en="Soon gone")
    urls = [
        "/en/magazine/",
        "/en/magazine/tag/family/",
        f"/en/magazine/about/{person.pk}/",
        f"/en/people/{person.pk}/",
        "/en/magazine/search/?q=thursdays",
    ]
    for url in urls:
        assert "Soon gone" in page(client, url), url  # and now kept by the page cache
    services.retract(item, by=editor, reason="Consent withdrawn")
    for url in urls:
        assert "Soon gone" not in page(client, url), url
    assert client.get("/en/magazine/gone/").status_code == 404


def test_kinds_tags_and_search_narrow_the_list(client):
    published_article("a-letter", kind=Article.Kind.LETTER, title_en="A letter home", tags=["letters"])
    published_article(
        "some-news", kind=Article.Kind.NEWS, title_en="Some news", body_en="A release was announced."
    )
    assert "A letter home" in page(client, "/en/magazine/?kind=letter")
    assert "Some news" not in page(client, "/en/magazine/?kind=letter")
    assert "Some news" in page(client, "/en/magazine/?kind=nonsense")  # an unknown kind is all
    tagged = page(client, "/en/magazine/tag/letters/")
    assert "A letter home" in tagged and "Some news" not in tagged
    found = page(client, "/en/magazine/search/?q=RELEASE")
    assert "1 story found" in found and "Some news" in found
    assert "Type what to look for" in page(client, "/en/magazine/search/?q=" + "x" * 200)


def test_related_stories_share_a_subject_or_a_tag(client):
    person = prisoner()
    published_article("first", subjects=[person], title_en="First")
    published_article("second", subjects=[person], title_en="Second")
    published_article("third", tags=["health"], title_en="Unrelated")
    html = page(client, "/en/magazine/first/")
    assert "Related stories" in html and "Second" in html and "Unrelated" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/en/magazine/",
        "/en/magazine/tag/family/",
        "/en/magazine/about/{person}/",
        "/en/magazine/search/?q=thursdays",
    ],
)
def test_lists_take_the_same_queries_for_one_article_as_for_five(client, queries_for, url):
    person = prisoner()
    page(client, "/en/people/")  # the caches made once per version
    address = url.format(person=person.pk)
    published_article("a0", subjects=[person], tags=["family"])
    one = queries_for(address + ("&" if "?" in address else "?") + "n=1")
    for number in range(1, 5):
        published_article(
            f"a{number}",
            subjects=[person],
            tags=["family", "health"],
            authors=[f"Author {number}", "Анна Л."],
        )
    five = queries_for(address + ("&" if "?" in address else "?") + "n=5")
    assert one == five, (one, five)
    assert five <= 6


def test_the_search_pages_through_its_results(client):
    for number in range(14):
        published_article(f"story-{number}", title_en=f"Letter number {number}")
    first = page(client, "/en/magazine/search/?q=letter+number")
    assert "14 stories found" in first
    assert 'href="?q=letter%20number&amp;page=2"' in first
    second = page(client, "/en/magazine/search/?q=letter%20number&page=2")
    assert second.count('class="story-card"') == 2
