import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.donations import services
from solidarity.donations.models import Campaign, Gift, Payout, Provider
from solidarity.friends import services as friends
from solidarity.friends.dues import dues_for
from solidarity.friends.models import Friendship

from .helpers import campaign

pytestmark = pytest.mark.django_db
NOON = datetime.datetime(2026, 11, 20, 12, 10, tzinfo=datetime.UTC)


def gift(target, amount, provider=Provider.BANK, **fields):
    return Gift.objects.create(campaign=target, provider=provider, amount=amount, **fields)


@time_machine.travel(NOON, tick=False)
def test_the_public_figure_moves_in_twentieths_of_the_goal_and_at_most_hourly():
    target = campaign(goal=100_000)
    gift(target, 12_345)
    assert services.shown_progress(target) == 10_000  # a twentieth is 5,000
    gift(target, 4_000)  # 16,345 now: the next step, but within the same hour
    target.refresh_from_db()
    assert services.shown_progress(target) == 10_000
    with time_machine.travel(NOON + datetime.timedelta(minutes=55), tick=False):
        target.refresh_from_db()
        assert services.shown_progress(target) == 15_000


@time_machine.travel(NOON, tick=False)
def test_a_campaign_is_reached_with_the_hourly_figure_not_at_the_gift_that_crossed_the_goal():
    target = campaign(goal=2_000)
    gift(target, 1_500)
    services.shown_progress(target)
    assert Campaign.objects.get(pk=target.pk).status == Campaign.Status.OPEN
    gift(target, 500)
    version = services.PUBLIC_VERSION.current()
    services.shown_progress(Campaign.objects.get(pk=target.pk))
    assert Campaign.objects.get(pk=target.pk).status == Campaign.Status.OPEN  # the same hour
    assert services.PUBLIC_VERSION.current() == version  # a gift changes no public page at once
    with time_machine.travel(NOON + datetime.timedelta(hours=1), tick=False):
        services.shown_progress(Campaign.objects.get(pk=target.pk))
    reached = Campaign.objects.get(pk=target.pk)
    assert reached.status == Campaign.Status.REACHED and reached.takes_gifts(timezone.localdate())
    assert services.PUBLIC_VERSION.current() != version


def test_the_campaign_pages_show_raised_and_paid_out_in_every_language(client):
    person = prisoner(first_name_en="Maria", last_name_en="Kalesnikava")
    target = campaign(
        person=person, title_en="Parcels for Maria", title_ru="Передачи для Марии", goal=500_000
    )
    gift(target, 260_000)
    Payout.objects.create(campaign=target, amount=120_000)
    page = client.get(reverse("campaign", args=[target.pk])).content.decode()
    assert "Parcels for Maria" in page
    assert "About 2,500 EUR raised of 5,000 EUR" in page.replace("\u00a0", " ")
    assert "1,200 EUR paid out to the family" in page.replace("\u00a0", " ")
    assert 'value="50"' in page  # the bar, as a <progress>: no inline style needed
    listing = client.get(reverse("campaigns")).content.decode()
    assert "Parcels for Maria" in listing and "For the family of Maria Kalesnikava" in listing
    russian = client.get(f"/ru/donate/{target.pk}/").content.decode()
    assert "Передачи для Марии" in russian
    assert client.get(f"/be/donate/{target.pk}/").status_code == 200
    assert client.get("/en/donate/999999/").status_code == 404


def test_a_profile_shows_the_familys_open_campaign_and_a_friend_sees_it_due(client):
    person = prisoner(first_name_en="Ales", last_name_en="Bialiatski")
    target = campaign(person=person, title_en="A lawyer for Ales")
    profile = client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "A lawyer for Ales" in profile and reverse("give", args=[target.pk]) in profile
    friend, _codename = friends.create_friend()
    friends.befriend(friend=friend, person=person)
    friendship = Friendship.objects.select_related("person").get(friend=friend)
    (due,) = [d for d in dues_for(friendship, [], timezone.localdate()) if d.kind == "campaign"]
    assert due.url == reverse("campaign", args=[target.pk]) and "0%" in due.text
    Campaign.objects.filter(pk=target.pk).update(status=Campaign.Status.CLOSED)
    services.PUBLIC_VERSION.bump()
    assert "A lawyer for Ales" not in client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert not [d for d in dues_for(friendship, [], timezone.localdate()) if d.kind == "campaign"]


def test_a_cached_campaign_page_changes_as_soon_as_the_campaign_does(client):
    target = campaign(title_en="Before")
    assert "Before" in client.get(reverse("campaign", args=[target.pk])).content.decode()
    target.title_en = "After"
    target.save()
    assert "After" in client.get(reverse("campaign", args=[target.pk])).content.decode()


def test_the_home_page_links_to_the_campaigns(client):
    page = client.get("/en/").content.decode()
    assert "Support a family" in page and reverse("campaigns") in page


def test_the_api_lists_campaigns_with_their_public_figures(client):
    target = campaign(goal=100_000)
    gift(target, 12_345)
    (item,) = client.get("/api/v1/campaigns").json()
    assert (item["id"], item["raised"], item["goal"], item["currency"]) == (target.pk, 10_000, 100_000, "EUR")
    assert client.get(f"/api/v1/campaigns/{target.pk}").json()["paid_out"] == 0
    assert client.get("/api/v1/campaigns/99999").status_code == 404


def test_the_yearly_summary_adds_up_by_channel_net_of_refunds(client):
    target = campaign(goal=1_000_000)
    gift(
        target,
        10_000,
        Provider.STRIPE,
        reference_hash="a" * 64,
        refunded=2_500,
        received_on=datetime.date(2025, 3, 1),
    )
    gift(target, 7_000, Provider.BTCPAY, reference_hash="b" * 64, received_on=datetime.date(2025, 6, 1))
    gift(target, 3_000, Provider.CASH, received_on=datetime.date(2026, 1, 5))
    Payout.objects.create(campaign=target, amount=9_000, paid_on=datetime.date(2025, 12, 1))
    # This month's gifts wait for the month's end: no single one shows the day it came.
    gift(target, 3_717, Provider.STRIPE, reference_hash="c" * 64, received_on=timezone.localdate())
    rows = {row.year: row for row in services.yearly_summary(services.summary_until(timezone.localdate()))}
    assert (rows[2025].card, rows[2025].crypto, rows[2025].offline, rows[2025].paid_out) == (
        7_500,
        7_000,
        0,
        9_000,
    )
    assert (rows[2026].raised, rows[2026].paid_out) == (3_000, 0)
    csv = client.get(reverse("donations_summary_csv")).content.decode("utf-8-sig").splitlines()
    assert csv[0] == "year,currency,card,crypto,offline,raised,paid_out"
    assert csv[1:] == ["2026,EUR,0.00,0.00,30.00,30.00,0.00", "2025,EUR,75.00,70.00,0.00,145.00,90.00"]
    chart = client.get(reverse("donations_summary_chart"), {"currency": "EUR"})
    assert chart["Content-Type"].startswith("image/svg+xml") and b"<svg" in chart.content
    assert client.get(reverse("donations_summary_chart"), {"currency": "XXX"}).status_code == 404
    assert "145 EUR" in client.get(reverse("donations_summary")).content.decode().replace("\u00a0", " ")


def test_old_references_are_blanked_and_a_late_event_still_finds_its_gift(client, fake_stripe):
    from .helpers import deliver_stripe, paid_session_event

    target = campaign()
    event, intent = paid_session_event(fake_stripe, target, 5000)
    deliver_stripe(client, fake_stripe, event)
    later = timezone.localdate() + datetime.timedelta(days=200)
    Gift.objects.update(received_on=timezone.localdate() - datetime.timedelta(days=1))
    assert services.purge(today=later) >= 1
    stored = Gift.objects.get()
    assert stored.reference == "" and stored.reference_hash
    charge = fake_stripe.refund(intent, 1000)
    deliver_stripe(client, fake_stripe, fake_stripe.event("charge.refunded", fake_stripe.charges[charge]))
    assert target.gifts.net_total() == 4000 and Gift.objects.count() == 1
