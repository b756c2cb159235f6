"""The pages as a person sees them, in real headless Chromium, with every request recorded."""

import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from solidarity.registry.models import EventKind
from solidarity.registry.services import refresh_all_derived_fields
from solidarity.registry.tests.factories import EventFactory, FacilityFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADINGS = {
    "be": "Палітвязні сёння",
    "ru": "Политзаключённые сегодня",
    "en": "Political prisoners today",
}


@pytest.fixture
def registry():
    person = PersonFactory(first_name_en="Maryia", last_name_en="Kalesnikava")
    EventFactory(
        person=person, kind=EventKind.DETAINED, date=datetime.date(2020, 9, 7), facility=FacilityFactory()
    )
    EventFactory(person=person, kind=EventKind.RECOGNIZED, date=datetime.date(2020, 9, 10))
    refresh_all_derived_fields()
    return person


@pytest.mark.parametrize("language", ["be", "ru", "en"])
def test_home_page_renders_with_no_console_error_and_no_request_to_another_host(
    page, live_server, registry, language
):
    page.goto(f"{live_server.url}/{language}/")
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == HEADINGS[language]
    assert page.locator(".count data").inner_text() == "1"
    assert page.locator("html").get_attribute("lang") == language
    # The stylesheet really applied (it would not, if the CSP had blocked it).
    assert page.locator(".count").evaluate("el => getComputedStyle(el).fontWeight") == "700"
    assert page.record.console_errors == []
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}
    assert page.context.cookies() == []


def test_the_language_switcher_leads_to_the_same_page_in_another_language(page, live_server, registry):
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Беларуская").click()
    page.wait_for_url(f"{live_server.url}/be/")
    expect(page.locator("h1")).to_have_text(HEADINGS["be"])


def test_keyboard_users_can_skip_to_the_content(page, live_server, registry):
    page.goto(f"{live_server.url}/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to the content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_staff_login_page_loads_nothing_from_elsewhere_and_violates_no_policy(page, live_server):
    page.goto(f"{live_server.url}/admin/login/")
    page.wait_for_load_state("networkidle")
    assert page.locator("input[name=otp_token]").count() == 1
    assert page.record.console_errors == []
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}


def test_an_editor_logs_in_with_a_code_and_edits_a_timeline_under_the_strict_policy(
    page, live_server, registry
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from solidarity.staff.services import create_staff_member
    from solidarity.staff.tests.helpers import PASSWORD, current_code

    editor = create_staff_member(username="anna", roles=["editor"], password=PASSWORD).user
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "anna")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", current_code(TOTPDevice.objects.get(user=editor)))
    page.locator("input[type=submit]").last.click()
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/registry/person/{registry.pk}/change/")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=last_name_en]", "Kalesnikava-Edited")
    page.locator("input[name=_continue]").click()
    expect(page.locator("#audit-history")).to_contain_text("Kalesnikava-Edited")
    expect(page.locator("#audit-history")).to_contain_text("anna")
    assert page.locator("input[name=last_name_en]").input_value() == "Kalesnikava-Edited"
    assert page.record.console_errors == []
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}
