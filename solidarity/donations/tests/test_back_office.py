import pytest
from django.urls import reverse

from solidarity.audit.models import AuditEntry
from solidarity.donations.models import Gift, Payout, ProviderEvent
from solidarity.staff.services import create_staff_member
from solidarity.staff.tests.helpers import PASSWORD

from .helpers import campaign, deliver_stripe, paid_session_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def treasurer(db):
    return create_staff_member(username="treasurer", roles=["finance"], password=PASSWORD).user


def test_the_treasurer_enters_a_bank_transfer_in_major_units_and_it_is_audited(verified_client, treasurer):
    client = verified_client(treasurer)
    target = campaign(goal=500_000)
    response = client.post(
        reverse("admin:donations_gift_add"),
        {"campaign": target.pk, "provider": "bank", "amount": "1250.50", "received_on": "2026-11-02"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Gift.objects.get()
    assert (stored.amount, stored.provider, stored.reference_hash) == (125_050, "bank", None)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE, object_id=str(stored.pk))
    assert entry.actor == treasurer
    refused = client.post(
        reverse("admin:donations_gift_add"),
        {"campaign": target.pk, "provider": "stripe", "amount": "0.001", "received_on": "2026-11-02"},
    )
    page = refused.content.decode()
    assert refused.status_code == 200 and "Select a valid choice" in page and "no units that small" in page
    assert Gift.objects.count() == 1


def test_the_treasurer_records_a_payout_and_the_campaign_shows_it(verified_client, treasurer, client):
    staff = verified_client(treasurer)
    target = campaign()
    response = staff.post(
        reverse("admin:donations_payout_add"),
        {"campaign": target.pk, "amount": "300", "paid_on": "2026-11-03"},
    )
    assert response.status_code == 302
    assert Payout.objects.get().amount == 30_000
    assert AuditEntry.objects.filter(
        object_id=str(Payout.objects.get().pk), action=AuditEntry.Action.CREATE
    ).exists()


def test_a_providers_gift_cannot_be_edited_by_hand_but_is_checked_with_the_provider(
    verified_client, treasurer, fake_stripe
):
    client = verified_client(treasurer)
    target = campaign()
    event, intent = paid_session_event(fake_stripe, target, 5000)
    deliver_stripe(client, fake_stripe, event)
    stored = Gift.objects.get()
    page = client.get(reverse("admin:donations_gift_change", args=[stored.pk])).content.decode()
    assert 'name="amount"' not in page
    fake_stripe.refund(intent, 2000)  # a refund whose webhook never came
    response = client.post(
        reverse("admin:donations_gift_changelist"),
        {"action": "check_with_provider", "_selected_action": [stored.pk]},
        follow=True,
    )
    assert "1 gift corrected from its provider." in response.content.decode()
    assert target.gifts.net_total() == 3000
    entry = AuditEntry.objects.get(action="donations.gift.corrected")
    assert entry.data["before"]["refunded"] == 0 and entry.data["after"]["refunded"] == 2000


def test_failed_events_are_listed_and_replayed(verified_client, treasurer, fake_stripe):
    client = verified_client(treasurer)
    target = campaign()
    event, _intent = paid_session_event(fake_stripe, target, 2500)
    fake_stripe.down = True
    assert deliver_stripe(client, fake_stripe, event).status_code == 503
    failed = ProviderEvent.objects.get()
    listing = client.get(
        reverse("admin:donations_providerevent_changelist"), {"state__exact": "failed"}
    ).content.decode()
    assert "checkout.session.completed" in listing
    fake_stripe.down = False
    response = client.post(
        reverse("admin:donations_providerevent_changelist"),
        {"action": "replay", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert "Replayed: 1 done, 0 still failing." in response.content.decode()
    assert target.gifts.net_total() == 2500
    assert AuditEntry.objects.filter(action="donations.event.replayed").count() == 1


def test_the_accountants_csv_has_every_chosen_gift(verified_client, treasurer):
    client = verified_client(treasurer)
    target = campaign(title='Lawyer, "quoted"')
    first = Gift.objects.create(campaign=target, provider="bank", amount=1000)
    second = Gift.objects.create(campaign=target, provider="cash", amount=2550, refunded=550)
    response = client.post(
        reverse("admin:donations_gift_changelist"),
        {"action": "export_csv", "_selected_action": [first.pk, second.pk]},
    )
    rows = response.content.decode("utf-8-sig").splitlines()
    assert rows[0].startswith("received_on,campaign,provider,currency,amount,refunded,disputed,net")
    assert sorted(row.split(",")[-6:-2] for row in rows[1:]) == [
        ["10.00", "0.00", "0.00", "10.00"],
        ["25.50", "5.50", "0.00", "20.00"],
    ]


def test_an_editor_writes_campaigns_but_sees_no_gifts(verified_client, editor):
    client = verified_client(editor)
    response = client.post(
        reverse("admin:donations_campaign_add"),
        {
            "title_en": "Parcels",
            "title_be": "Перадачы",
            "title_ru": "",
            "goal": "2500",
            "currency": "EUR",
            "status": "open",
            "created_on": "2026-11-01",
            "description_en": "",
            "description_be": "",
            "description_ru": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    from solidarity.donations.models import Campaign

    assert Campaign.objects.get().goal == 250_000
    assert client.get(reverse("admin:donations_gift_changelist")).status_code == 403


def test_the_treasurer_reconciles_a_stripe_payout_with_the_gifts_counted(
    verified_client, treasurer, fake_stripe
):
    client = verified_client(treasurer)
    target = campaign(title="Parcels")
    intents = []
    for amount in (1000, 2000, 3000):
        event, intent = paid_session_event(fake_stripe, target, amount)
        intents.append(intent)
        if amount != 3000:  # the last one's webhook never came
            deliver_stripe(client, fake_stripe, event)
    fake_stripe.refund(intents[1], 500)
    payout = fake_stripe.payout(intents)
    url = reverse("admin:donations_reconcile_payout")
    assert (
        "Reconcile a Stripe payout" in client.get(reverse("admin:donations_gift_changelist")).content.decode()
    )
    page = client.post(url, {"payout": payout}).content.decode().replace("\u00a0", " ")
    assert "Reached the bank: 53.50 EUR. The lines add up to 53.50 EUR." in page and "They agree." in page
    assert "1 payment has no gift of ours" in page
    assert page.count("Parcels ·") == 3  # two payments and the refund of one are ours
    assert "Stripe knows no such payout." in client.post(url, {"payout": "po_nothing"}).content.decode()
    assert "errorlist" in client.post(url, {"payout": "x" * 300}).content.decode()


def test_an_editor_may_not_reconcile(verified_client, editor):
    assert verified_client(editor).get(reverse("admin:donations_reconcile_payout")).status_code == 403


def test_a_campaigns_currency_is_fixed_once_money_is_counted_in_it(verified_client, treasurer):
    client = verified_client(treasurer)
    target = campaign()
    assert (
        'name="currency"'
        in client.get(reverse("admin:donations_campaign_change", args=[target.pk])).content.decode()
    )
    Gift.objects.create(campaign=target, provider="cash", amount=1000)
    assert (
        'name="currency"'
        not in client.get(reverse("admin:donations_campaign_change", args=[target.pk])).content.decode()
    )
