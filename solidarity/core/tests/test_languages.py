"""Which language a visitor reads: their own when the site has it, English when it does not."""

import datetime

import pytest
from django.test import Client
from django.utils import formats, translation


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


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (datetime.date(2024, 3, 10), "10 сакавіка 2024"),
        (datetime.date(2024, 9, 1), "1 верасня 2024"),
        (datetime.date(2025, 12, 31), "31 снежня 2025"),
        (datetime.date(2025, 5, 9), "9 мая 2025"),
        (datetime.date(2025, 8, 15), "15 жніўня 2025"),
    ],
)
def test_belarusian_dates_are_in_the_official_spelling_and_the_genitive(day, written):
    with translation.override("be"):
        assert formats.date_format(day) == written  # DATE_FORMAT, as the back office writes it
        assert formats.date_format(day, "j E Y") == written  # as the templates write it
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == day.strftime("%d.%m.%Y")


def test_belarusian_month_and_weekday_names_are_the_official_ones():
    with translation.override("be"):
        assert formats.date_format(datetime.date(2025, 12, 1), "F Y") == "снежань 2025"
        assert formats.date_format(datetime.date(2025, 12, 3), "l") == "серада"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
    with translation.override("ru"):
        assert formats.date_format(datetime.date(2024, 3, 10), "j E Y") == "10 марта 2024"


@pytest.mark.django_db
def test_a_belarusian_profile_dates_the_arrest_in_belarusian(client):
    from solidarity.catalogue.tests.helpers import prisoner

    person = prisoner(detained=datetime.date(2021, 9, 12))
    html = client.get(f"/be/people/{person.pk}/").content.decode()
    assert "12 верасня 2021" in html and "верасьня" not in html


@pytest.mark.parametrize("language", ["be", "ru", "en"])
def test_a_date_input_is_filled_in_the_form_a_browser_reads_in_every_language(language):
    from solidarity.letters.forms import MailedForm

    with translation.override(language):
        html = str(MailedForm(initial={"day": datetime.date(2026, 3, 10)})["day"])
    assert 'type="date"' in html and 'value="2026-03-10"' in html


def _patterns(resolver):
    for entry in resolver.url_patterns:
        yield entry
        if hasattr(entry, "url_patterns"):
            yield from _patterns(entry)


@pytest.mark.django_db
def test_an_address_differs_between_languages_only_in_its_prefix(client):
    """The language switcher swaps the prefix (`context_processors.in_language`): no pattern of
    ours may be translated, or its links would lead nowhere."""
    from django.urls import get_resolver
    from django.utils.functional import Promise

    translated = [
        str(entry.pattern)
        for entry in _patterns(get_resolver())
        if isinstance(getattr(entry.pattern, "_route", getattr(entry.pattern, "_regex", "")), Promise)
    ]
    assert translated == []
    html = client.get("/ru/people/?sort=name&page=2").content.decode()
    assert 'href="/be/people/?sort=name&amp;page=2" hreflang="be"' in html
    assert 'href="/en/people/?sort=name&amp;page=2" hreflang="en"' in html
