import pytest
from django.db import connection

from solidarity.donations.models import Gift, ProviderEvent

from . import fakes
from .helpers import campaign, paid_session_event


@pytest.mark.django_db(transaction=True)
def test_fifty_events_delivered_twice_each_by_twenty_threads_count_exactly(fake_stripe):
    target = campaign(goal=10_000_000)
    events = []
    for number in range(50):
        event, intent = paid_session_event(fake_stripe, target, 1000 + number)
        if number % 5 == 0:  # some refunded in part, their refund told too
            fake_stripe.refund(intent, 300)
            events.append(
                fake_stripe.event(
                    "charge.refunded", fake_stripe.charges[fake_stripe.intents[intent]["latest_charge"]]
                )
            )
        events.append(event)
    deliveries = [fake_stripe.delivery(event) for event in events] * 2
    workers = 20 if connection.vendor == "postgresql" else 4  # SQLite has one writer at a time anyway
    answers, errors = fakes.deliver_concurrently(deliveries, workers)
    assert errors == [] and answers == [200] * len(deliveries)
    expected = sum(1000 + n for n in range(50)) - 300 * 10
    assert target.gifts.net_total() == expected
    assert Gift.objects.count() == 50
    assert ProviderEvent.objects.filter(state="done").count() == len(events) == 60
