"""A visitor clicks through the catalogue in real headless Chromium."""

import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from solidarity.registry.tests.factories import FacilityFactory, RegionFactory

from .helpers import prisoner

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry():
    colony = FacilityFactory(
        slug="ik-4",
        name_en="Penal colony No. 4",
        postal_address_cyrillic="ИК-4\nул. Антошкина, 3\n246035, Гомель",
    )
    kalesnikava = prisoner(
        facility=colony,
        first_name_be="Марыя",
        first_name_ru="Мария",
        first_name_en="Maryia",
        last_name_be="Калеснікава",
        last_name_ru="Колесникова",
        last_name_en="Kalesnikava",
        gender="female",
        region=RegionFactory(slug="minsk-city", name_en="Minsk"),
    )
    prisoner(
        first_name_en="Ales",
        last_name_en="Bialiatski",
        last_name_be="Бяляцкі",
        last_name_ru="Беляцкий",
        detained=datetime.date(2021, 7, 14),
    )
    return kalesnikava


def test_a_visitor_finds_a_person_by_a_misspelled_name_and_reads_where_to_write(page, live_server, registry):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("searchbox", name="Find a person").fill("Kolesnikova Maria")
    page.get_by_role("button", name="Search").first.click()
    page.get_by_role("link", name="Maryia Kalesnikava").click()

    expect(page.locator("h1")).to_have_text("Maryia Kalesnikava")
    envelope = page.locator(".envelope").inner_text()
    assert "Колесникова Мария" in envelope and "246035, Гомель" in envelope
    assert page.record.console_errors == []
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}
    assert page.context.cookies() == []


def test_a_visitor_filters_the_list_without_javascript(browser, live_server, registry):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/people/")
    assert page.locator(".card").count() == 2
    page.get_by_text("Filters", exact=True).click()  # folded without JavaScript, one click away
    page.get_by_label("Gender").select_option("female")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**gender=female**")
    assert page.locator(".card-name").all_inner_texts() == ["Maryia Kalesnikava"]
    page.get_by_role("link", name="How to help").first.click()
    page.wait_for_url("**#help")
    assert "Penal colony No. 4" in page.locator("#help").inner_text()
    context.close()


def test_the_printable_profile_renders_as_a_pdf(page, live_server, registry, tmp_path):
    page.goto(f"{live_server.url}/en/people/{registry.pk}/print/")
    pdf = page.pdf(path=str(tmp_path / "profile.pdf"))
    assert pdf.startswith(b"%PDF")
    assert page.record.console_errors == []
