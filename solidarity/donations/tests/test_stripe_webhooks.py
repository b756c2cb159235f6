import time

import pytest

from solidarity.donations.models import Gift, MonthlyGift, ProviderEvent

from .helpers import campaign, deliver_stripe, paid_session_event

pytestmark = pytest.mark.django_db


def test_a_paid_checkout_counts_once_however_often_it_is_delivered(client, fake_stripe):
    target = campaign()
    event, _intent = paid_session_event(fake_stripe, target, 2500)
    first = deliver_stripe(client, fake_stripe, event)
    again = deliver_stripe(client, fake_stripe, event)
    assert (first.status_code, first.content) == (200, b"done")
    assert (again.status_code, again.content) == (200, b"repeated")
    assert target.gifts.net_total() == 2500
    assert Gift.objects.count() == 1 and ProviderEvent.objects.get().state == "done"


def test_the_same_payment_told_by_two_events_is_one_gift(client, fake_stripe):
    target = campaign()
    event, intent = paid_session_event(fake_stripe, target, 4000)
    deliver_stripe(client, fake_stripe, event)
    deliver_stripe(
        client, fake_stripe, fake_stripe.event("payment_intent.succeeded", fake_stripe.intents[intent])
    )
    assert target.gifts.net_total() == 4000 and Gift.objects.count() == 1


def test_a_refund_subtracts_and_a_refund_told_first_ends_in_the_same_total(client, fake_stripe):
    target = campaign()
    event, intent = paid_session_event(fake_stripe, target, 5000)
    deliver_stripe(client, fake_stripe, event)
    charge = fake_stripe.refund(intent, 1500)
    deliver_stripe(client, fake_stripe, fake_stripe.event("charge.refunded", fake_stripe.charges[charge]))
    assert target.gifts.net_total() == 3500

    other = campaign(title="The fund")
    event, intent = paid_session_event(fake_stripe, other, 5000)
    charge = fake_stripe.refund(intent, 5000)
    refunded = deliver_stripe(
        client, fake_stripe, fake_stripe.event("charge.refunded", fake_stripe.charges[charge])
    )
    paid = deliver_stripe(client, fake_stripe, event)  # the payment's own event comes last
    assert (refunded.content, paid.content) == (b"done", b"done")
    assert other.gifts.net_total() == 0
    assert Gift.objects.get(campaign=other).refunded == 5000


def test_a_lost_dispute_subtracts_an_inquiry_does_not_and_a_won_one_gives_it_back(client, fake_stripe):
    target = campaign()
    event, intent = paid_session_event(fake_stripe, target, 3000)
    deliver_stripe(client, fake_stripe, event)
    dispute = fake_stripe.dispute(intent, 3000, "warning_needs_response")
    deliver_stripe(client, fake_stripe, fake_stripe.event("charge.dispute.created", dispute))
    assert target.gifts.net_total() == 3000
    dispute["status"] = "needs_response"
    deliver_stripe(client, fake_stripe, fake_stripe.event("charge.dispute.funds_withdrawn", dispute))
    assert target.gifts.net_total() == 0
    dispute["status"] = "won"
    deliver_stripe(client, fake_stripe, fake_stripe.event("charge.dispute.closed", dispute))
    assert target.gifts.net_total() == 3000


def test_a_forged_or_stale_signature_gets_400_and_changes_nothing(client, fake_stripe):
    target = campaign()
    event, _intent = paid_session_event(fake_stripe, target, 2500)
    forged = deliver_stripe(client, fake_stripe, event, secret="whsec_someone_else")
    stale = deliver_stripe(client, fake_stripe, event, timestamp=int(time.time()) - 3600)
    unsigned = client.post("/donations/webhooks/stripe/", data=b"{}", content_type="application/json")
    assert [r.status_code for r in (forged, stale, unsigned)] == [400, 400, 400]
    assert not Gift.objects.exists() and not ProviderEvent.objects.exists()


def test_an_unknown_event_type_is_acknowledged_and_changes_nothing(client, fake_stripe):
    target = campaign()
    event, _intent = paid_session_event(fake_stripe, target, 2500)
    event["type"] = "customer.created"
    response = deliver_stripe(client, fake_stripe, event)
    assert (response.status_code, response.content) == (200, b"ignored")
    assert not Gift.objects.exists() and not ProviderEvent.objects.exists()


def test_a_payment_that_is_not_ours_is_left_alone(client, fake_stripe):
    intent = fake_stripe.payment(9900, "eur", {})
    response = deliver_stripe(
        client, fake_stripe, fake_stripe.event("payment_intent.succeeded", fake_stripe.intents[intent])
    )
    assert response.status_code == 200 and not Gift.objects.exists()


def test_a_payment_in_another_currency_fails_visibly_and_is_not_counted(client, fake_stripe):
    target = campaign()
    event, intent = paid_session_event(fake_stripe, target, 2500)
    fake_stripe.intents[intent]["currency"] = "usd"
    response = deliver_stripe(client, fake_stripe, event)
    assert response.status_code == 503
    assert not target.gifts.exists()
    assert "USD" in ProviderEvent.objects.get().error


def test_when_stripe_cannot_be_asked_the_event_fails_and_its_retry_counts_it(client, fake_stripe):
    target = campaign()
    event, _intent = paid_session_event(fake_stripe, target, 2500)
    fake_stripe.down = True
    failed = deliver_stripe(client, fake_stripe, event)
    assert failed.status_code == 503 and not Gift.objects.exists()
    assert ProviderEvent.objects.get().state == "failed"
    fake_stripe.down = False
    retried = deliver_stripe(client, fake_stripe, event)
    assert retried.content == b"done" and target.gifts.net_total() == 2500
    assert ProviderEvent.objects.get().attempts == 2


def test_a_monthly_gift_counts_each_month_in_either_invoice_shape(client, fake_stripe):
    target = campaign()
    event, first_invoice = paid_session_event(fake_stripe, target, 1000, monthly=True)
    session = event["data"]["object"]
    assert fake_stripe.sessions[session["id"]]["recurring"] == "month"
    # The invoice's event may come before the session's: the subscription says which campaign.
    deliver_stripe(
        client, fake_stripe, fake_stripe.event("invoice.paid", fake_stripe.invoices[first_invoice])
    )
    deliver_stripe(client, fake_stripe, event)
    second = fake_stripe.invoice(session["subscription"], 1000, "eur", shape="old")
    deliver_stripe(client, fake_stripe, fake_stripe.event("invoice.paid", fake_stripe.invoices[second]))
    deliver_stripe(client, fake_stripe, fake_stripe.event("invoice.paid", fake_stripe.invoices[second]))
    monthly = MonthlyGift.objects.get()
    assert monthly.campaign == target
    assert list(monthly.gifts.values_list("amount", flat=True)) == [1000, 1000]
    assert target.gifts.net_total() == 2000
    deliver_stripe(
        client,
        fake_stripe,
        fake_stripe.event(
            "customer.subscription.deleted", fake_stripe.subscriptions[session["subscription"]]
        ),
    )
    monthly.refresh_from_db()
    assert monthly.stopped_on is not None


def test_no_webhook_without_stripe_settings(client, settings):
    settings.STRIPE_SECRET_KEY = ""
    assert (
        client.post("/donations/webhooks/stripe/", data=b"{}", content_type="application/json").status_code
        == 404
    )
    assert client.get("/donations/webhooks/stripe/").status_code in (404, 405)


def test_a_signature_header_that_is_not_ascii_gets_400(client, fake_stripe):
    response = client.post(
        "/donations/webhooks/stripe/",
        data=b"{}",
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=\u00e9\u00e9",
    )
    assert response.status_code == 400


def test_events_are_kept_by_a_keyed_hash_of_their_id_only(client, fake_stripe):
    target = campaign()
    event, _intent = paid_session_event(fake_stripe, target, 2500)
    deliver_stripe(client, fake_stripe, event)
    stored = ProviderEvent.objects.get()
    assert event["id"] not in stored.event_id and len(stored.event_id) == 64
