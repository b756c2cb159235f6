"""A signer in real headless Chromium, JavaScript on (the proof of work solves itself): signs,
confirms from the message the embedded default's file backend wrote, keeps the receipt and checks
it. Nothing is loaded from another host."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from solidarity.petitions.models import Petition

from .helpers import open_petition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_signer_signs_confirms_from_the_mail_file_and_checks_the_receipt(
    browser, live_server, settings, tmp_path
):
    settings.EMAIL_BACKEND = "solidarity.core.mail.OutboxFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    petition = open_petition()
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    requested = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto(f"{live_server.url}/en/petitions/")
    page.get_by_role("link", name=petition.title).click()
    page.get_by_label("Country where you live").select_option("DE")
    page.get_by_label("Show my name with the petition").check()
    page.get_by_label("Name and surname").fill("Anna Schmidt")
    page.get_by_label("E-mail address").fill("anna.schmidt@example.org")
    page.get_by_role("button", name="Sign the petition").click()
    expect(page.locator("h1")).to_have_text("Check your mailbox", timeout=30_000)  # the proof of work

    (written,) = Path(settings.EMAIL_FILE_PATH).iterdir()
    message = written.read_text()
    assert "anna.schmidt@example.org" not in message and "\nDate:" not in message  # the outbox keeps neither
    link = re.search(r"https?://\S+/confirm/\S+/", message).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    expect(page.locator("dl.facts")).to_contain_text("shown with the petition as “Anna Schmidt”")
    page.get_by_role("button", name="Confirm, with my name shown").click()
    expect(page.locator("h1")).to_have_text("Your signature is counted")
    receipt = page.locator("#receipt").inner_text()
    assert Petition.objects.get().signature_count == 1

    page.get_by_role("link", name="Check your receipt").click()
    page.get_by_label("Your receipt").fill(receipt.lower())
    page.get_by_role("button", name="Check").click()
    expect(page.locator("#receipt-result")).to_contain_text("This receipt is counted")
    assert {urlsplit(url).netloc for url in requested} == {urlsplit(live_server.url).netloc}
    context.close()
