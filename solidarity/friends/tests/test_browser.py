"""A supporter befriends a prisoner in real headless Chromium: the proof of work runs in the page."""

import datetime
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.registry.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_befriend_keep_the_codename_come_back_on_a_fresh_browser_and_unfriend(browser, page, live_server):
    person = prisoner(first_name_en="Ales", last_name_en="Bialiatski", birth_date=datetime.date(1962, 9, 25))
    page.goto(f"{live_server.url}/en/people/{person.pk}/")
    page.get_by_role("link", name="Become a friend").click()
    # With JavaScript the question goes away (the script hides it once it has loaded).
    expect(page.locator("[data-question]")).to_be_hidden()
    page.get_by_role("button", name="Become a friend").click()
    page.wait_for_selector("#codename", timeout=60_000)
    codename = page.locator("#codename").inner_text()
    assert len(codename.split()) == 7
    assert Person.objects.get(pk=person.pk).friend_count == 1
    assert page.record.console_errors == []
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}
    page.context.close()  # the browser closes: nothing is remembered by default

    fresh = browser.new_context(locale="en-US")
    again = fresh.new_page()
    again.goto(f"{live_server.url}/en/friends/")
    assert again.get_by_label("Your codename").is_visible()
    again.get_by_label("Your codename").fill(codename)
    again.get_by_role("button", name="Continue").click()
    again.wait_for_url("**/en/friends/me/")
    row = again.locator(f"#person-{person.pk}")
    assert "Ales Bialiatski" in row.inner_text()
    assert "A letter this month" in row.inner_text()
    row.get_by_role("button", name="Stop being a friend").click()
    expect(again.locator(".message")).to_have_text("You are no longer a friend of Ales Bialiatski.")
    assert Person.objects.get(pk=person.pk).friend_count == 0
    fresh.close()
