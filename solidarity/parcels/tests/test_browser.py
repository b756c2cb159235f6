"""In real headless Chromium: from a profile to the planner, the items checked, a forbidden one
taken out, the forms downloaded and read back."""

import datetime
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.core.tests.test_phone import axe_violations
from solidarity.parcels import services
from solidarity.registry.country import load_country
from solidarity.registry.models import Facility

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_a_parcel_from_a_profile_fix_a_forbidden_item_and_download_the_forms(
    page, live_server, tmp_path
):
    load_country()
    services.load_rules(country="by", actor_label="tests")
    person = prisoner(
        facility=Facility.objects.get(slug="sizo-1-minsk"),
        detained=datetime.date(2025, 5, 1),
        first_name_en="Maryia",
        last_name_en="Kalesnikava",
        first_name_ru="Мария",
        last_name_ru="Колесникова",
    )
    page.goto(f"{live_server.url}/en/people/{person.pk}/")
    page.get_by_role("link", name="Plan a parcel").click()
    page.get_by_label("No, a friend or a stranger").check()
    page.get_by_label("Kilograms handed in this month").fill("26")
    page.get_by_role("button", name="May I send one now?").click()
    expect(page.locator(".plan-answer")).to_contain_text("4 kg left this month.")
    assert axe_violations(page) == []

    page.get_by_label("Item 1", exact=True).fill("Black tea, 250 g")
    page.get_by_label("Weight, kg 1", exact=True).fill("0.27")
    page.get_by_label("Item 2", exact=True).fill("Vodka")
    page.get_by_label("Weight, kg 2", exact=True).fill("0.5")
    page.get_by_role("button", name="Check the items").click()
    expect(page.locator(".parcel-findings")).to_contain_text("Alcohol is refused in every facility.")
    assert page.get_by_role("button", name="Download the forms (PDF)").count() == 0

    page.get_by_label("Item 2", exact=True).fill("")
    page.get_by_label("Weight, kg 2", exact=True).fill("")
    page.get_by_role("button", name="Check the items").click()
    expect(page.locator(".parcel-findings")).to_contain_text("Nothing found")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the forms (PDF)").click()
    saved = tmp_path / "forms.pdf"
    download.value.save_as(saved)
    (application,) = [p.extract_text() for p in PdfReader(io.BytesIO(saved.read_bytes())).pages]
    assert (
        "ЗАЯВЛЕНИЕ" in application
        and "Чай чёрный, 250 г" in application
        and "Колесникова Мария" in application
    )
    assert {host for host in page.record.hosts()} == {live_server.url.split("//")[1]}
