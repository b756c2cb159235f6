"""Public pages are kept whole in the cache: a change to what they show (an edit in the back
office, an import, a letters report) shows at once; a visitor with a cookie of ours never gets a
kept page; the keys name nothing about the client."""

import datetime
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from solidarity.audit.tests.test_admin_audit import _person_form
from solidarity.catalogue.tests.helpers import prisoner
from solidarity.core.tests.caches import every_key_and_value
from solidarity.letters.models import Reachability
from solidarity.registry.country import load_country
from solidarity.registry.models import Person

pytestmark = pytest.mark.django_db
LIST_SAMPLE = Path(__file__).resolve().parents[2] / "imports" / "tests" / "data" / "list-sample.json"


@pytest.fixture
def visitor():
    """A visitor with no cookie of ours, as most are."""
    return Client(HTTP_ACCEPT_LANGUAGE="en", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Visitor/1.0")


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_second_visit_is_served_from_the_cache_without_the_database(visitor):
    person = prisoner(first_name_en="Ihar", last_name_en="Losik")
    for url in (f"/en/people/{person.pk}/", "/en/people/", "/en/", "/en/statistics/", "/api/v1/people"):
        assert queries(visitor, url) > 0
        assert queries(visitor, url) == 0, url


def test_an_edit_in_the_back_office_shows_at_once(visitor, verified_client, editor):
    person = prisoner(first_name_en="Ihar", last_name_en="Losik")
    url = f"/en/people/{person.pk}/"
    assert "Losik" in visitor.get(url).content.decode()
    staff = verified_client(editor)
    form = _person_form(person, list(person.events.all()), last_name_en="Losik-Corrected")
    assert staff.post(f"/admin/registry/person/{person.pk}/change/", form).status_code == 302
    assert "Losik-Corrected" in visitor.get(url).content.decode()


def test_an_import_shows_at_once(visitor):
    load_country()
    assert '<data value="0">0</data>' in visitor.get("/en/").content.decode()
    call_command("import_registry", str(LIST_SAMPLE), stdout=StringIO())
    held = Person.objects.published().filter(status="political_prisoner").count()
    assert held > 0
    assert f'<data value="{held}">{held}</data>' in visitor.get("/en/").content.decode()


def test_a_new_report_on_letters_shows_on_the_profile_at_once(visitor):
    person = prisoner()
    url = f"/en/people/{person.pk}/"
    assert "We have no report yet" in visitor.get(url).content.decode()
    Reachability.objects.create(
        person=person,
        status=Reachability.Status.ARRIVE,
        as_of=datetime.date.today(),
        source_citation="a relative",
    )
    assert "Letters have been reaching this person" in visitor.get(url).content.decode()


def test_a_visitor_with_a_cookie_of_ours_never_gets_a_kept_page(visitor, settings):
    person = prisoner(first_name_en="Ihar", last_name_en="Losik")
    url = f"/en/people/{person.pk}/"
    visitor.get(url)
    Person.objects.filter(pk=person.pk).update(friend_count=7)  # as befriending does: no new version
    assert "7 friends so far" not in visitor.get(url).content.decode()  # the kept page
    for cookie in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.FRIENDS_REMEMBER_COOKIE):
        signed_in = Client(HTTP_ACCEPT_LANGUAGE="en")
        signed_in.cookies[cookie] = "anything"
        assert "7 friends so far" in signed_in.get(url).content.decode(), cookie


def test_a_kept_page_keeps_its_own_policy_and_headers(visitor):
    prisoner()
    first, kept = (
        visitor.get("/en/statistics/charts/gender.svg"),
        visitor.get("/en/statistics/charts/gender.svg"),
    )
    assert kept.content == first.content
    for header in ("Content-Security-Policy", "Content-Type", "Cache-Control"):
        assert kept[header] == first[header]
    assert "'unsafe-inline'" in kept["Content-Security-Policy"]  # the chart's own narrow policy
    embed = [visitor.get("/en/embed/counter/") for _ in range(2)][1]
    assert "X-Frame-Options" not in embed and "frame-ancestors *" in embed["Content-Security-Policy"]


def test_a_kept_page_has_every_header_the_middleware_gave_it_fresh(visitor):
    """Kept pages are answered before most of the middleware: what it added is kept with them."""
    prisoner()
    for url in ("/api/v1/people", "/en/changes.atom", "/en/people/"):
        fresh, kept = visitor.get(url), visitor.get(url)
        assert kept.content == fresh.content
        assert dict(kept.headers) == dict(fresh.headers), url
    # From the language, clickjacking and policy middleware, all below the kept pages' own.
    assert kept["Content-Language"] == "en" and kept["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in kept["Content-Security-Policy"]


def test_friend_counts_on_kept_pages_are_at_most_the_set_time_old(visitor, settings):
    settings.PAGE_CACHE_SECONDS = 1
    person = prisoner()
    url = f"/en/people/{person.pk}/"
    assert "0 friends so far" in visitor.get(url).content.decode()
    Person.objects.filter(pk=person.pk).update(friend_count=1)  # as befriending does
    time.sleep(1.1)
    assert "1 friend so far" in visitor.get(url).content.decode()


def test_the_keys_name_nothing_about_the_client(visitor):
    person = prisoner()
    visitor.get(f"/en/people/{person.pk}/?q=x")
    keys = [key for key in every_key_and_value() if "page:" in key]
    assert keys
    for key in keys:
        assert "203.0.113.9" not in key and "Visitor" not in key and "people" not in key


def test_each_host_the_site_answers_on_has_its_own_kept_pages(settings):
    settings.ALLOWED_HOSTS = ["open-web.test", "mirror.onion"]
    person = prisoner()
    url = f"/en/people/{person.pk}/print/"
    open_web = Client(HTTP_HOST="open-web.test").get(url).content.decode()
    onion = Client(HTTP_HOST="mirror.onion").get(url).content.decode()
    assert "http://open-web.test/" in open_web
    assert "http://mirror.onion/" in onion and "open-web.test" not in onion
