"""Giving in real headless Chromium, with the providers' doubles on another origin: the safety
question, the ways to pay it allows, and the provider's page. Until the donor clicks through, no
request leaves our host; then the browser goes to the provider (our policy lets the form send it
there and nowhere else)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from solidarity.core.tests.test_phone import axe_violations

from .helpers import campaign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def our_requests_until_now(page, live_server) -> list[str]:
    ours = urlsplit(live_server.url).netloc
    return [url for url in page.record.requests if urlsplit(url).netloc != ours]


def test_a_card_gift_from_abroad_goes_to_checkout_only_when_the_donor_clicks(
    page, live_server, fake_stripe, fake_btcpay
):
    target = campaign(title="A lawyer for the Ihnatovichs")
    page.goto(f"{live_server.url}/en/donate/{target.pk}/")
    page.get_by_role("link", name="Give").click()
    expect(page.get_by_role("group")).to_contain_text("are you in Belarus, or is your card issued there?")
    assert page.get_by_label("Card (Visa, Mastercard, Apple Pay, Google Pay)").count() == 0
    page.get_by_role("button", name="No", exact=True).click()
    assert axe_violations(page) == []
    page.get_by_label("Another amount (EUR)").fill("40")  # the chosen 25 is left as it was
    page.get_by_label("Card (Visa, Mastercard, Apple Pay, Google Pay)").check()
    assert our_requests_until_now(page, live_server) == []
    assert not fake_stripe.sessions  # nothing started before the click
    assert page.record.console_errors == []
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading")).to_have_text("Stripe Checkout (a test double)")
    (session,) = fake_stripe.sessions.values()
    assert page.url == session["url"] and session["amount_total"] == 4000
    left = our_requests_until_now(page, live_server)
    assert left[0] == session["url"]  # the first request to another host is the donor's own step


def test_a_crypto_gift_from_inside_never_sees_a_card_and_reaches_the_invoice(
    page, live_server, fake_stripe, fake_btcpay
):
    campaign(currency="USD")
    page.goto(f"{live_server.url}/en/donate/")
    page.get_by_role("link", name="Give").click()
    page.get_by_role("button", name="Yes, or I am not sure").click()
    expect(page.locator(".warning h2")).to_have_text("Please do not pay with a card issued in Belarus")
    assert page.get_by_label("Card (Visa, Mastercard, Apple Pay, Google Pay)").count() == 0
    assert page.get_by_label("Give this every month (card only; stop it any time)").count() == 0
    assert axe_violations(page) == []
    page.get_by_label("50 USD").check()
    assert our_requests_until_now(page, live_server) == []
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading")).to_have_text("BTCPay invoice (a test double)")
    (invoice,) = fake_btcpay.invoices.values()
    assert page.url == invoice["checkoutLink"] and invoice["amount"] == "50.00"
    assert our_requests_until_now(page, live_server)[0] == invoice["checkoutLink"]
    assert not fake_stripe.sessions
