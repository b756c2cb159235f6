"""An editor takes the day's list through the review screen in real headless Chromium."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from solidarity.registry.country import load_country
from solidarity.registry.models import Person

from .test_import_command import SAMPLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_uploads_the_list_reviews_it_and_applies_it(page, live_server):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from solidarity.staff.services import create_staff_member
    from solidarity.staff.tests.helpers import PASSWORD, current_code

    load_country()
    editor = create_staff_member(username="olga", roles=["editor"], password=PASSWORD).user
    page.goto(f"{live_server.url}/admin/login/?next=/admin/imports/importbatch/add/")
    page.fill("input[name=username]", "olga")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", current_code(TOTPDevice.objects.get(user=editor)))
    page.locator("input[type=submit]").last.click()

    page.set_input_files("input[name=file]", str(SAMPLE))
    page.locator("input[type=submit]").last.click()
    expect(page.locator("#group-new h2")).to_contain_text("New people (49)")
    assert "released on an unknown date" in page.locator("#group-new").inner_text()

    page.locator("input[name=accept_all]").click()
    expect(page.locator(".messagelist")).to_contain_text("Applied 49 accepted records.")
    assert Person.objects.count() == 49
    assert page.record.console_errors == []
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}
