import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from solidarity.donations.models import MonthlyGift, Receipt

from .helpers import campaign, checkout, deliver_stripe, paid_session_event

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_confirmed_card_gift_gets_its_receipt_at_once_with_a_name_that_is_not_kept(client, fake_stripe):
    target = campaign(title="A lawyer for the Ivanovs")
    event, _intent = paid_session_event(fake_stripe, target, 2500)
    deliver_stripe(client, fake_stripe, event)
    session_id = event["data"]["object"]["id"]
    page = client.get(reverse("gift_thanks"), {"session_id": session_id}).content.decode()
    assert "Your gift has arrived." in page and "do not keep a receipt" in page
    response = client.post(reverse("gift_thanks"), {"session_id": session_id, "name": "Anna Donorova"})
    text = pdf_text(response)
    assert "A lawyer for the Ivanovs" in text and "25 EUR" in text.replace("\u00a0", " ")
    assert "Anna Donorova" in text
    assert not Receipt.objects.exists()  # downloaded at once: no code was needed


def test_an_unconfirmed_gift_gets_a_code_shown_once_that_downloads_the_receipt_later(client, fake_stripe):
    target = campaign()
    event, _intent = paid_session_event(fake_stripe, target, 4000)
    session_id = event["data"]["object"]["id"]
    assert (
        "being confirmed" in client.get(reverse("gift_thanks"), {"session_id": session_id}).content.decode()
    )
    shown = client.post(reverse("gift_thanks"), {"session_id": session_id}).content.decode()
    code = shown.split('id="receipt-code">')[1].split("<")[0]
    assert len(code) == 19 and code not in "".join(Receipt.objects.values_list("code_hash", flat=True))
    pending = client.post(reverse("gift_receipt"), {"code": code})
    assert "has not confirmed this gift yet" in pending.content.decode()
    deliver_stripe(client, fake_stripe, event)
    assert "40 EUR" in pdf_text(client.post(reverse("gift_receipt"), {"code": code.lower()})).replace(
        "\u00a0", " "
    )
    with time_machine.travel(datetime.date.today() + datetime.timedelta(days=8)):
        expired = client.post(reverse("gift_receipt"), {"code": code})
    assert "unknown or has expired" in expired.content.decode()


def test_a_thanks_page_for_a_session_stripe_does_not_know_is_not_found(client, fake_stripe):
    assert client.get(reverse("gift_thanks"), {"session_id": "cs_test_nothing"}).status_code == 404
    assert client.get(reverse("gift_thanks")).status_code == 404
    assert client.get(reverse("gift_thanks"), {"session_id": "cs_" + "x" * 5000}).status_code == 404


def test_a_session_not_yet_paid_offers_nothing(client, fake_stripe):
    target = campaign()
    session_id = checkout(fake_stripe, target, 1000)
    assert client.get(reverse("gift_thanks"), {"session_id": session_id}).status_code == 404


def test_a_monthly_gift_shows_its_stop_code_once_and_the_code_really_stops_it(client, fake_stripe):
    target = campaign()
    event, _invoice = paid_session_event(fake_stripe, target, 1000, monthly=True)
    session_id = event["data"]["object"]["id"]
    first = client.get(reverse("gift_thanks"), {"session_id": session_id}).content.decode()
    code = first.split('id="stop-code">')[1].split("<")[0]
    again = client.get(reverse("gift_thanks"), {"session_id": session_id}).content.decode()
    assert code not in again and "shown already" in again
    wrong = client.post(reverse("stop_monthly"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert "No running monthly gift has this code." in wrong.content.decode()
    subscription = fake_stripe.sessions[session_id]["subscription"]
    assert fake_stripe.subscriptions[subscription]["status"] == "active"
    stopped = client.post(reverse("stop_monthly"), {"code": f"  {code.lower()} "})
    assert "is stopped" in stopped.content.decode()
    assert ("DELETE", f"/v1/subscriptions/{subscription}") in fake_stripe.requests
    assert fake_stripe.subscriptions[subscription]["status"] == "canceled"
    assert MonthlyGift.objects.get().stopped_on is not None
    twice = client.post(reverse("stop_monthly"), {"code": code})
    assert "No running monthly gift has this code." in twice.content.decode()


def test_a_stop_that_stripe_cannot_take_now_keeps_the_gift_running(client, fake_stripe):
    target = campaign()
    event, _invoice = paid_session_event(fake_stripe, target, 1000, monthly=True)
    page = client.get(reverse("gift_thanks"), {"session_id": event["data"]["object"]["id"]}).content.decode()
    code = page.split('id="stop-code">')[1].split("<")[0]
    fake_stripe.down = True
    response = client.post(reverse("stop_monthly"), {"code": code})
    assert "cannot be reached" in response.content.decode()
    assert MonthlyGift.objects.get().stopped_on is None


def test_a_crypto_gift_gets_its_receipt_from_the_invoice(client, fake_btcpay):
    target = campaign()
    client.post(reverse("give", args=[target.pk]), {"inside": "yes", "preset": "25", "method": "crypto"})
    (invoice_id,) = fake_btcpay.invoices
    fake_btcpay.set_status(invoice_id, "Settled")
    body, header = fake_btcpay.delivery("InvoiceSettled", invoice_id)
    client.post(reverse("btcpay_webhook"), data=body, content_type="application/json", HTTP_BTCPAY_SIG=header)
    response = client.post(reverse("gift_thanks"), {"invoice": invoice_id})
    assert "crypto" in pdf_text(response).lower()
    # Where BTCPay left {InvoiceId} as it is, the order in the address finds the invoice.
    order = fake_btcpay.invoices[invoice_id]["metadata"]["orderId"]
    page = client.get(reverse("gift_thanks"), {"order": order, "invoice": "{InvoiceId}"}).content.decode()
    assert "Your gift has arrived." in page
    assert (
        client.get(reverse("gift_thanks"), {"order": "unknown", "invoice": "{InvoiceId}"}).status_code == 404
    )


def test_stopping_is_limited_per_client(client, fake_stripe):
    answers = [
        client.post(reverse("stop_monthly"), {"code": f"AAAA-BBBB-CCCC-{n:04d}"}).content.decode()
        for n in range(21)
    ]
    assert "No running monthly gift" in answers[19] and "Too many attempts" in answers[20]
