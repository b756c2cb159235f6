import pytest
from django.urls import reverse

from solidarity.donations import providers
from solidarity.donations.models import Gift, ProviderEvent

from .helpers import campaign, deliver_btcpay

pytestmark = pytest.mark.django_db


def invoice(fake, target, amount=2500) -> str:
    link = providers.start_invoice(
        campaign_id=target.pk,
        currency=target.currency,
        amount=amount,
        language="ru",
        redirect_url="http://testserver/ru/donate/thanks/?invoice={InvoiceId}",
        order_id="order1",
    )
    return link.rsplit("/", 1)[1]


def test_a_settled_invoice_counts_once_its_redelivery_too_and_invalid_takes_it_back(client, fake_btcpay):
    target = campaign()
    invoice_id = invoice(fake_btcpay, target, 2550)
    assert fake_btcpay.invoices[invoice_id]["amount"] == "25.50"
    assert fake_btcpay.invoices[invoice_id]["metadata"] == {"campaign": str(target.pk), "orderId": "order1"}
    created = deliver_btcpay(client, fake_btcpay, "InvoiceSettled", invoice_id)
    assert created.content == b"done" and not Gift.objects.exists()  # not paid yet: nothing counts
    fake_btcpay.set_status(invoice_id, "Settled")
    first = deliver_btcpay(client, fake_btcpay, "InvoiceSettled", invoice_id, delivery_id="D1")
    # The same delivery again, and a redelivery of it (an id of its own, the first as original).
    again = deliver_btcpay(client, fake_btcpay, "InvoiceSettled", invoice_id, delivery_id="D1")
    redelivered = deliver_btcpay(
        client, fake_btcpay, "InvoiceSettled", invoice_id, delivery_id="D2", original="D1"
    )
    assert (first.content, again.content, redelivered.content) == (b"done", b"repeated", b"repeated")
    assert target.gifts.net_total() == 2550
    fake_btcpay.set_status(invoice_id, "Invalid")
    deliver_btcpay(client, fake_btcpay, "InvoiceInvalid", invoice_id)
    assert target.gifts.net_total() == 0 and Gift.objects.count() == 1


def test_an_expired_invoice_counts_nothing(client, fake_btcpay):
    target = campaign()
    invoice_id = invoice(fake_btcpay, target)
    fake_btcpay.set_status(invoice_id, "Expired")
    response = deliver_btcpay(client, fake_btcpay, "InvoiceExpired", invoice_id)
    assert response.content == b"done" and not Gift.objects.exists()


def test_the_invoice_is_asked_again_and_the_webhook_body_is_not_believed(client, fake_btcpay):
    target = campaign()
    invoice_id = invoice(fake_btcpay, target)
    # A signed delivery claiming settlement of an invoice that BTCPay says is still new.
    deliver_btcpay(client, fake_btcpay, "InvoiceSettled", invoice_id)
    assert not Gift.objects.exists()
    assert ("GET", f"/api/v1/stores/StoreFake1/invoices/{invoice_id}") in fake_btcpay.requests


def test_a_forged_signature_or_another_store_gets_400_and_changes_nothing(client, fake_btcpay):
    target = campaign()
    invoice_id = invoice(fake_btcpay, target)
    fake_btcpay.set_status(invoice_id, "Settled")
    forged = deliver_btcpay(client, fake_btcpay, "InvoiceSettled", invoice_id, secret="guess")
    body, header = fake_btcpay.delivery("InvoiceSettled", invoice_id)
    other_store = client.post(
        reverse("btcpay_webhook"),
        data=body.replace(b"StoreFake1", b"StoreOther"),
        content_type="application/json",
        HTTP_BTCPAY_SIG=header,
    )
    unsigned = client.post(reverse("btcpay_webhook"), data=b"[]", content_type="application/json")
    assert [r.status_code for r in (forged, other_store, unsigned)] == [400, 400, 400]
    assert not Gift.objects.exists() and not ProviderEvent.objects.exists()


def test_a_wrong_api_key_is_a_failure_kept_for_replay(client, fake_btcpay, settings):
    target = campaign()
    invoice_id = invoice(fake_btcpay, target)
    fake_btcpay.set_status(invoice_id, "Settled")
    settings.BTCPAY_API_KEY = "revoked"
    response = deliver_btcpay(client, fake_btcpay, "InvoiceSettled", invoice_id)
    assert response.status_code == 503
    assert ProviderEvent.objects.get().state == "failed" and not Gift.objects.exists()


def test_a_signature_header_that_is_not_ascii_gets_400(client, fake_btcpay):
    response = client.post(
        reverse("btcpay_webhook"),
        data=b"{}",
        content_type="application/json",
        HTTP_BTCPAY_SIG="sha256=\u00e9",
    )
    assert response.status_code == 400


def test_an_invoice_we_cannot_read_is_kept_as_failed_not_a_server_error(client, fake_btcpay):
    target = campaign()
    invoice_id = invoice(fake_btcpay, target)
    fake_btcpay.set_status(invoice_id, "Settled")
    fake_btcpay.invoices[invoice_id]["amount"] = "twenty"
    response = deliver_btcpay(client, fake_btcpay, "InvoiceSettled", invoice_id)
    assert response.status_code == 503
    assert "ValueError" in ProviderEvent.objects.get().error and not Gift.objects.exists()
