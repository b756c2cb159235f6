"""Where petitions show beyond their own pages: the home page's help cards, the profile of a
person a petition names, the open-data API (its figures as the petition page has them)."""

import pytest

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.petitions import services

from .helpers import open_petition, pending

pytestmark = pytest.mark.django_db


def test_the_home_page_links_to_petitions(client):
    open_petition()
    home = client.get("/en/").content.decode()
    assert "Sign a petition" in home and 'href="/en/petitions/"' in home


def test_a_profile_shows_the_open_petitions_that_name_the_person(client):
    person = prisoner()
    petition = open_petition()
    assert "Petitions that name this person" not in client.get(f"/en/people/{person.pk}/").content.decode()
    petition.people.add(person)
    page = client.get(f"/en/people/{person.pk}/").content.decode()
    assert "Petitions that name this person" in page and f"/en/petitions/{petition.slug}/" in page


def test_the_api_gives_the_count_by_country_with_small_countries_together(client):
    petition = open_petition()
    for token in pending(petition, 5, country="DE") + pending(petition, 2, country="LT"):
        services.confirm(petition, token)
    services.seal_ledger()
    (listed,) = client.get("/api/v1/petitions").json()
    assert listed["signatures"] == 7 and listed["by_country"] == {"DE": 5} and listed["other_countries"] == 2
    assert listed["ledger"].endswith(f"/petitions/{petition.slug}/ledger.json")
    one = client.get(f"/api/v1/petitions/{petition.slug}").json()
    assert one == listed
    assert client.get("/api/v1/petitions/none").status_code == 404


def test_the_petition_page_shows_the_count_by_country_and_the_goal(client):
    petition = open_petition(goal=10)
    for token in pending(petition, 5, country="DE") + pending(petition, 1, country="LT"):
        services.confirm(petition, token)
    page = client.get(f"/en/petitions/{petition.slug}/").content.decode()
    assert "6 confirmed signatures" in page and "<td>Germany</td><td>5</td>" in page
    assert "Lithuania" not in page.split("by-country", 1)[1].split("</table>", 1)[0]
    assert 'value="60"' in page  # the progress towards the goal
    assert "no-store" in client.get(f"/en/petitions/{petition.slug}/")["Cache-Control"]  # a form's page


def test_the_names_signers_chose_to_show_are_on_the_petitions_page(client):
    petition = open_petition()
    (shown,) = pending(petition, 1, country="PL", name="Anna Nowak")
    (hidden,) = pending(petition, 1, country="PL")
    services.confirm(petition, shown)
    services.confirm(petition, hidden)
    page = client.get(f"/en/petitions/{petition.slug}/").content.decode()
    assert "Anna Nowak · Poland" in page and page.count("· Poland</li>") == 1
