"""A witness in real headless Chromium with JavaScript off: reads the choice about photos,
submits a testimony with a photo, keeps the codename, follows up with it and adds to it; then
leaves quickly. Nothing is loaded from another host."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from solidarity.testimonies import models
from solidarity.testimonies.models import SealedFile, SealedPart

from .helpers import photo_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_witness_without_javascript_submits_with_a_photo_and_follows_up(
    browser, live_server, legal_team, tmp_path, settings
):
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.TESTIMONY_LEAVE_URL = f"{live_server.url}/en/"  # a neutral page; in production another site
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(photo_with_gps())
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/en/testimonies/")
    page.get_by_role("link", name="Keep photos as taken (recommended)").click()
    page.get_by_label("What happened?").fill("They kept us standing in the yard all night.")
    page.get_by_label("When?").fill("August 2020")
    page.get_by_label("The legal team may use my testimony").check()
    page.get_by_label("Photos, documents, audio or video").set_input_files(str(photo))
    question = page.locator("label[for=id_answer]").inner_text()
    a, b = map(int, re.search(r"(\d+) plus (\d+)", question).groups())
    page.get_by_label(question).fill(str(a + b))
    page.get_by_role("button", name="Seal and send").click()
    expect(page.locator("h1")).to_have_text("Your testimony arrived, sealed")
    codename = page.locator("#codename").inner_text()
    assert models.Testimony.objects.count() == 1 and SealedFile.objects.count() == 1
    expect(page.get_by_text("1 file was sealed with it.")).to_be_visible()

    page.get_by_role("link", name="Follow my testimony").click()
    page.get_by_label("Your codename").fill(codename)
    page.get_by_role("button", name="Open").click()
    expect(page.locator("dl.facts")).to_contain_text("received")
    page.get_by_label("What you want to add, or your answer to a question").fill("There were two officers.")
    page.get_by_role("button", name="Seal and add", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Added and sealed.")
    assert SealedPart.objects.filter(kind="addition").count() == 1

    page.get_by_role("button", name="Leave quickly").click()
    page.wait_for_url(f"{live_server.url}/en/")
    assert context.cookies() == []
    assert {urlsplit(url).netloc for url in requested} == {urlsplit(live_server.url).netloc}
    context.close()
