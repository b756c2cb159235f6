"""An editor writes, reviews and schedules an article in real headless Chromium; the background
worker publishes it on time, and it appears on the profile of its subject."""

import datetime
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.core.tests.test_phone import axe_violations
from solidarity.magazine.models import Article
from solidarity.staff.tests.helpers import PASSWORD, current_code

from .helpers import staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@override_settings(TASKS=DATABASE_TASKS)
def test_an_editor_writes_reviews_and_schedules_an_article_that_then_shows_on_the_profile(page, live_server):
    person = prisoner(first_name_en="Maryia", last_name_en="Kalesnikava", last_name_ru="Колесникова")
    editor = staff("olga", "editor")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/magazine/article/add/")
    page.fill("input[name=username]", "olga")
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=otp_token]", current_code(TOTPDevice.objects.get(user=editor)))
    page.locator("input[type=submit]").last.click()

    page.fill("input[name=slug]", "a-letter-evening")
    page.fill("input[name=title_en]", "A letter evening")
    page.fill("textarea[name=lead_en]", "Ten people, forty envelopes.")
    page.fill(
        "textarea[name=body_en]", "On Thursdays we write to Maryia.\n\n## A reply\n\nIt came in six weeks."
    )
    page.locator(".field-subjects .select2-selection").click()
    page.locator(".select2-search__field").fill("Kalesnik")
    page.locator(".select2-results__option", has_text="Maryia Kalesnikava").click()
    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    article = Article.objects.get()
    assert list(article.subjects.all()) == [person] and article.revisions.count() == 1

    page.get_by_role("link", name="Review, schedule, publish, revisions").click()
    page.get_by_role("button", name="Send for review").click()
    expect(page.locator(".messagelist")).to_contain_text("Sent for review.")
    assert page.get_by_role("button", name="Approve").count() == 0  # not before a review
    page.get_by_label("Consent given by").select_option("subject")
    page.get_by_label("Consent covers").select_option("this")
    page.get_by_label("no one else still inside can be identified").check()
    page.get_by_label("no place or date points to a source inside").check()
    page.get_by_label("faces of third parties are blurred in every image (or no image shows one)").check()
    page.get_by_role("button", name="Record the safety review").click()
    expect(page.locator(".messagelist")).to_contain_text("The safety review is recorded.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator(".messagelist")).to_contain_text("Approved.")

    at = timezone.localtime() + datetime.timedelta(hours=1)
    page.get_by_label("Publish at").fill(at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Schedule").click()
    expect(page.locator(".messagelist")).to_contain_text("Scheduled.")
    assert page.record.console_errors == []
    assert page.record.hosts() == {urlsplit(live_server.url).netloc}

    profile = f"{live_server.url}/en/people/{person.pk}/"
    page.goto(profile)
    assert page.get_by_text("A letter evening").count() == 0
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert Article.objects.get().status == Article.Status.SCHEDULED  # not before its time
    with time_machine.travel(at + datetime.timedelta(minutes=1)):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert Article.objects.get().status == Article.Status.PUBLISHED

    page.goto(profile + "?published")  # the browser may keep the page it saw for five minutes
    expect(page.locator("#stories-heading")).to_have_text("In the magazine")
    page.get_by_role("link", name="A letter evening").click()
    expect(page.locator("h1")).to_have_text("A letter evening")
    expect(page.locator(".story-subjects")).to_contain_text("Maryia Kalesnikava: political prisoner")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Magazine").first.click()
    expect(page.locator(".story-title")).to_have_text("A letter evening")
    assert axe_violations(page) == []
