"""A new app plugs into the profile, the friend's dues, the home page and the API by registering
from its own `ready()`, with no edit anywhere else: a toy app shows it."""

import sys
import types
from pathlib import Path

import pytest
from django.urls import clear_url_caches, path
from ninja import Router

from solidarity.api.api import build_api
from solidarity.catalogue.tests.helpers import prisoner
from solidarity.core import plugins
from solidarity.friends.dues import Due
from solidarity.friends.tests.helpers import solved
from solidarity.registry.tests.factories import FacilityFactory

TOY_TEMPLATES = Path(__file__).parent / "templates"
toy_router = Router(tags=["toy"])


@toy_router.get("/garden", summary="The toy app's garden")
def garden(request):
    return {"flowers": 3}


def toy_section(person, today):
    return {"word": "marigold"} if person.last_name_en == "Toyeva" else None


def toy_facility_section(facility, today):
    return {"word": "cornflower"} if facility.slug == "toy-garden-prison" else None


def toy_due(friendship, marks, today):
    return Due("toy", f"Water the toy garden for {friendship.person.full_name}")


@pytest.fixture
def toy_app(settings):
    """What a toy app's `AppConfig.ready()` would do, undone afterwards."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0].get("DIRS", []), TOY_TEMPLATES]}
    ]
    plugins.profile_sections.register("toy", plugins.ProfileSection("toy/_section.html", toy_section))
    plugins.facility_sections.register(
        "toy", plugins.FacilitySection("toy/_facility_section.html", toy_facility_section)
    )
    plugins.dues.register("toy", toy_due, order=1)
    plugins.friend_actions.register(
        "toy", plugins.PersonAction("Plant a tree", lambda person: f"/toy/plant/{person.pk}/")
    )
    plugins.help_cards.register(
        "toy", plugins.HelpCard(title="Plant a toy tree", text="Toys need trees.", url_name="forgotten")
    )
    plugins.api_routers.register("toy", plugins.ApiRouter("toy", toy_router))
    yield
    for point in (
        plugins.profile_sections,
        plugins.facility_sections,
        plugins.dues,
        plugins.friend_actions,
        plugins.help_cards,
        plugins.api_routers,
    ):
        point.unregister("toy")


@pytest.mark.django_db
def test_a_registered_profile_section_shows_on_the_profile_it_applies_to(client, toy_app):
    toy = prisoner(first_name_en="Alesia", last_name_en="Toyeva")
    other = prisoner(first_name_en="Ihar", last_name_en="Losik")
    assert "Toy section for Alesia Toyeva: marigold" in client.get(f"/en/people/{toy.pk}/").content.decode()
    assert "toy-section" not in client.get(f"/en/people/{other.pk}/").content.decode()


@pytest.mark.django_db
def test_a_registered_facility_section_shows_on_the_facility_it_applies_to(client, toy_app):
    toy = FacilityFactory(slug="toy-garden-prison", name_en="Toy Garden Prison")
    other = FacilityFactory(slug="other-prison")
    assert (
        "Toy note for Toy Garden Prison: cornflower"
        in client.get(f"/en/facilities/{toy.slug}/").content.decode()
    )
    assert "toy-facility" not in client.get(f"/en/facilities/{other.slug}/").content.decode()


@pytest.mark.django_db
def test_a_registered_due_and_action_show_on_the_friends_page(client, toy_app):
    person = prisoner(first_name_en="Alesia", last_name_en="Toyeva")
    page = client.get(f"/en/people/{person.pk}/befriend/").content.decode()
    client.post(f"/en/people/{person.pk}/befriend/", solved(page))
    html = client.get("/en/friends/me/").content.decode()
    assert "Water the toy garden for Alesia Toyeva" in html
    assert "A letter this month" in html  # the friends app's own dues are registered the same way
    assert f'href="/toy/plant/{person.pk}/">Plant a tree</a>' in html
    assert f'href="/en/people/{person.pk}/write/">Write a letter</a>' in html  # the letters app's


@pytest.mark.django_db
def test_a_registered_help_card_shows_on_the_home_page_with_its_link(client, toy_app):
    html = client.get("/en/").content.decode()
    assert '<a href="/en/forgotten/">Plant a toy tree</a>' in html
    assert "Toys need trees." in html


@pytest.mark.django_db
def test_a_registered_router_is_served_and_described_in_the_openapi_document(client, toy_app, settings):
    toy_urls = types.ModuleType("toy_urls")
    toy_urls.urlpatterns = [path("api/v1/", build_api(urls_namespace="toy-api").urls)]
    sys.modules["toy_urls"] = toy_urls
    settings.ROOT_URLCONF = "toy_urls"
    clear_url_caches()
    try:
        document = client.get("/api/v1/openapi.json").json()
        assert document["paths"]["/api/v1/toy/garden"]["get"]["summary"] == "The toy app's garden"
        assert "/api/v1/people" in document["paths"]  # beside the apps' own routers
        assert client.get("/api/v1/toy/garden").json() == {"flowers": 3}
    finally:
        del sys.modules["toy_urls"]
        clear_url_caches()


def test_the_sites_own_apps_fill_the_plug_in_points():
    assert [card.url_name for card in plugins.help_cards] == [
        "people_list",
        "birthdays",
        "friends_home",
        "campaigns",
        "testimonies",
        "petitions",
    ]
    assert [entry.prefix for entry in plugins.api_routers] == [
        "",
        "stats",
        "letters",
        "campaigns",
        "magazine",
        "petitions",
    ]
    assert [action.label for action in plugins.friend_actions] == ["Write a letter", "Plan a parcel"]
    assert [section.template for section in plugins.profile_sections] == [
        "friends/_profile_section.html",
        "letters/_profile_section.html",
        "parcels/_profile_section.html",
        "donations/_profile_section.html",
        "magazine/_profile_section.html",
        "petitions/_profile_section.html",
    ]
