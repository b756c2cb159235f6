import re

import pytest
from django.urls import reverse

from solidarity.donations.models import Campaign

from .helpers import campaign

pytestmark = pytest.mark.django_db


def give_url(target) -> str:
    return reverse("give", args=[target.pk])


def test_the_safety_question_comes_before_any_way_to_pay(client, fake_stripe, fake_btcpay):
    target = campaign()
    public = client.get(reverse("campaign", args=[target.pk]))
    assert give_url(target) in public.content.decode() and "csrftoken" not in public.cookies
    page = client.get(give_url(target)).content.decode()
    assert "are you in Belarus, or is your card issued there?" in page
    assert 'name="method"' not in page and 'name="preset"' not in page


def test_inside_the_country_no_card_is_offered_and_crypto_is_explained(client, fake_stripe, fake_btcpay):
    target = campaign()
    response = client.post(give_url(target), {"inside": "yes"})
    page = response.content.decode()
    assert 'value="crypto"' in page and 'value="card"' not in page and 'name="monthly"' not in page
    assert "Please do not pay with a card issued in Belarus" in page
    assert "Tor Browser" in page
    # A card chosen anyway, by a hand-made request, is refused and nothing is started at Stripe.
    refused = client.post(give_url(target), {"inside": "yes", "preset": "25", "method": "card"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    assert not fake_stripe.sessions


def test_an_unclear_answer_is_taken_as_inside(client, fake_stripe, fake_btcpay):
    target = campaign()
    response = client.post(give_url(target), {"inside": "maybe", "preset": "25", "method": "card"})
    assert 'value="card"' not in response.content.decode() and not fake_stripe.sessions


def test_abroad_a_card_gift_goes_to_stripe_checkout_with_our_campaign_and_nothing_of_the_donor(
    client, fake_stripe, fake_btcpay
):
    target = campaign()
    step = client.post(give_url(target), {"inside": "no"})
    page = step.content.decode()
    assert 'value="card"' in page and 'value="crypto"' in page and 'name="monthly"' in page
    # The form may send the donor on to the providers' pages, and to no other host.
    policy = step.headers["Content-Security-Policy"]
    form_action = re.search(r"form-action ([^;]+)", policy)[1].split()
    assert sorted(form_action) == sorted(["'self'", fake_stripe.url, fake_btcpay.url])
    response = client.post(
        give_url(target), {"inside": "no", "preset": "other", "other": "12.50", "method": "card"}
    )
    assert response.status_code == 302
    (session,) = fake_stripe.sessions.values()
    assert response["Location"] == session["url"]
    assert (session["mode"], session["amount_total"], session["currency"]) == ("payment", 1250, "eur")
    assert session["metadata"] == {"campaign": str(target.pk)}
    assert session["product"] == "Donation"  # not the campaign's title, which may name a prisoner
    assert session["success_url"] == "http://testserver/en/donate/thanks/?session_id={CHECKOUT_SESSION_ID}"


def test_a_monthly_card_gift_starts_a_subscription_checkout(client, fake_stripe):
    target = campaign()
    response = client.post(
        give_url(target), {"inside": "no", "preset": "10", "method": "card", "monthly": "on"}
    )
    assert response.status_code == 302
    (session,) = fake_stripe.sessions.values()
    assert (session["mode"], session["recurring"], session["amount_total"]) == ("subscription", "month", 1000)


def test_a_crypto_gift_gets_an_invoice_on_our_own_btcpay(client, fake_btcpay):
    target = campaign(currency="USD")
    response = client.post(give_url(target), {"inside": "yes", "preset": "50", "method": "crypto"})
    (invoice,) = fake_btcpay.invoices.values()
    assert response.status_code == 302 and response["Location"] == invoice["checkoutLink"]
    assert (invoice["amount"], invoice["currency"]) == ("50.00", "USD")
    order = invoice["metadata"]["orderId"]
    assert len(order) >= 20 and invoice["metadata"]["campaign"] == str(target.pk)
    assert (
        invoice["redirectURL"] == f"http://testserver/en/donate/thanks/?order={order}&invoice={{InvoiceId}}"
    )


@pytest.mark.parametrize("other", ["abc", "0.001", "-5", "0", "1000000", ""])
def test_a_bad_amount_gets_a_message_and_keeps_the_form(client, fake_stripe, other):
    target = campaign()
    response = client.post(
        give_url(target), {"inside": "no", "preset": "other", "other": other, "method": "card"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="errorlist' in page and 'value="card"' in page
    assert not fake_stripe.sessions


def test_when_the_provider_is_down_nothing_is_charged_and_the_choice_is_kept(client, fake_stripe):
    target = campaign()
    fake_stripe.down = True
    response = client.post(
        give_url(target), {"inside": "no", "preset": "other", "other": "33", "method": "card"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "cannot be reached just now" in page
    assert 'value="33"' in page


def test_gifts_started_from_one_client_are_limited(client, fake_stripe, settings):
    settings.DONATION_LIMIT_PER_HOUR = 2
    target = campaign()
    answers = [
        client.post(give_url(target), {"inside": "no", "preset": "10", "method": "card"}).status_code
        for _ in range(3)
    ]
    assert answers == [302, 302, 200] and len(fake_stripe.sessions) == 2


def test_without_any_provider_the_page_says_so_and_shows_the_bank_details(client, settings):
    settings.DONATION_BANK_DETAILS = "IBAN PL00 1234"
    target = campaign()
    page = client.post(give_url(target), {"inside": "no"}).content.decode()
    assert "Online gifts are not set up on this site." in page and "IBAN PL00 1234" in page
    # A transfer from a bank inside is as traceable as a card: not offered to those inside.
    inside = client.post(give_url(target), {"inside": "yes"}).content.decode()
    assert "IBAN PL00 1234" not in inside and "There is no safe way to give online here right now" in inside
    assert (
        "form-action 'self';"
        in client.post(give_url(target), {"inside": "no"}).headers["Content-Security-Policy"] + ";"
    )


def test_a_closed_or_past_campaign_takes_no_gift(client, fake_stripe):
    closed = campaign(status=Campaign.Status.CLOSED)
    past = campaign(deadline="2020-01-01")
    for target in (closed, past):
        response = client.post(give_url(target), {"inside": "no", "preset": "10", "method": "card"})
        assert response.status_code == 200 and "takes no more gifts" in response.content.decode()
    assert not fake_stripe.sessions


def test_giving_pages_work_in_every_language_and_are_never_cached(client, fake_stripe):
    target = campaign()
    for language in ("be", "ru", "en"):
        response = client.post(f"/{language}/donate/{target.pk}/give/", {"inside": "no"})
        assert response.status_code == 200
        assert (
            "no-store" in response.headers["Cache-Control"] or "no-cache" in response.headers["Cache-Control"]
        )


def test_a_typed_amount_wins_over_the_one_chosen_when_the_form_opened(client, fake_stripe):
    target = campaign()
    client.post(give_url(target), {"inside": "no", "preset": "25", "other": "40", "method": "card"})
    client.post(give_url(target), {"inside": "no", "preset": "25", "other": "", "method": "card"})
    assert [s["amount_total"] for s in fake_stripe.sessions.values()] == [4000, 2500]


def test_a_gift_below_the_providers_smallest_is_refused_in_words(client, fake_stripe):
    target = campaign(currency="PLN")
    response = client.post(
        give_url(target), {"inside": "no", "preset": "other", "other": "1.50", "method": "card"}
    )
    assert "The smallest gift is 2 PLN." in response.content.decode().replace("\u00a0", " ")
    assert not fake_stripe.sessions
