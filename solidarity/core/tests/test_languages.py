"""Which language a visitor reads: their own when the site has it, English when it does not."""

import pytest
from django.test import Client


@pytest.mark.parametrize(
    ("asked", "given"),
    [
        ("be", "be"),
        ("ru-RU,ru;q=0.9", "ru"),
        ("en-GB", "en"),
        ("de-DE,de;q=0.9", "en"),
        ("pl,de;q=0.8", "en"),
        ("de,ru;q=0.5", "ru"),
        ("", "be"),
        ("*", "be"),
    ],
)
@pytest.mark.django_db
def test_the_home_page_sends_a_browser_to_the_language_it_asks_for_or_to_english(asked, given):
    headers = {"HTTP_ACCEPT_LANGUAGE": asked} if asked else {}
    response = Client(**headers).get("/")
    assert response.status_code == 302
    assert response["Location"] == f"/{given}/"


@pytest.mark.django_db
def test_the_language_chosen_on_the_site_outranks_the_browsers():
    visitor = Client(HTTP_ACCEPT_LANGUAGE="de")
    visitor.cookies["django_language"] = "ru"
    assert visitor.get("/")["Location"] == "/ru/"


@pytest.mark.django_db
def test_a_prefixed_page_speaks_its_prefix_whatever_the_browser_asks():
    response = Client(HTTP_ACCEPT_LANGUAGE="de").get("/be/")
    assert response.status_code == 200
    assert response["Content-Language"] == "be"
