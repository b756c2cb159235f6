from django.urls import reverse

from solidarity.donations.models import Campaign


def campaign(**fields) -> Campaign:
    values = {"title": "A lawyer for the family", "goal": 100_000, "currency": "EUR", **fields}
    return Campaign.objects.create(**values)


def deliver_stripe(client, fake, event, **signing):
    body, header = fake.delivery(event, **signing)
    return client.post(
        reverse("stripe_webhook"), data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def deliver_btcpay(client, fake, kind, invoice_id, **options):
    body, header = fake.delivery(kind, invoice_id, **options)
    return client.post(
        reverse("btcpay_webhook"), data=body, content_type="application/json", HTTP_BTCPAY_SIG=header
    )


def checkout(fake, target: Campaign, amount: int, *, monthly: bool = False) -> str:
    """A Checkout Session started through our own code; its id."""
    from solidarity.donations import providers

    url = providers.start_checkout(
        campaign_id=target.pk,
        name="Donation",
        currency=target.currency,
        amount=amount,
        monthly=monthly,
        language="en",
        success_url="http://testserver/en/donate/thanks/",
        cancel_url="http://testserver/en/donate/",
    )
    return url.rsplit("/", 1)[1]


def paid_session_event(fake, target: Campaign, amount: int, **options) -> tuple[dict, str]:
    session_id = checkout(fake, target, amount, **options)
    reference = fake.pay(session_id)
    return fake.event("checkout.session.completed", fake.sessions[session_id]), reference
