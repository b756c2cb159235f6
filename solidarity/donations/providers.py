"""What the payment providers say, over their HTTP APIs: Stripe through its SDK, BTCPay Server
through its Greenfield API. Nothing is taken from a webhook's body but which object it is about:
each object is fetched again from the provider before anything is credited.

A provider is offered only when all its settings are there (`stripe_offered`, `btcpay_offered`).
Failures to reach one raise `Unavailable`; an object the provider does not know gives None.
"""

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass
from functools import lru_cache

import requests
import stripe
from django.conf import settings
from django.utils import timezone

from . import money

# Seconds for one call to a provider. Webhooks read the payment inside the transaction that applies
# it: short, and no retries (the provider delivers the event again), so that a provider hanging
# holds SQLite's write lock for seconds, not minutes (its busy timeout is 20 s).
TIMEOUT = 5


class Unavailable(Exception):
    """The provider could not be asked, or answered something we cannot read: try again later."""


class BadSignature(Exception):
    pass


@dataclass(frozen=True)
class Payment:
    """A payment as its provider says it stands now."""

    reference: str
    currency: str
    amount: int  # received, in minor units
    refunded: int
    disputed: int
    campaign_id: int | None  # from the metadata we gave it, when it has them
    day: datetime.date


def _campaign_id(metadata: dict | None) -> int | None:
    value = (metadata or {}).get("campaign", "")
    return int(value) if str(value).isdigit() else None


def day_of(timestamp) -> datetime.date:
    return timezone.localdate(datetime.datetime.fromtimestamp(int(timestamp), tz=datetime.UTC))


# --- Stripe ------------------------------------------------------------------------------------

# Disputes whose money is withdrawn from us (inquiries, "warning_*", withdraw nothing).
LOSING_DISPUTES = {"needs_response", "under_review", "appeal_needs_response", "appeal_under_review", "lost"}
STRIPE_LOCALES = {"ru": "ru", "en": "en"}  # Checkout has no Belarusian: it follows the browser


def stripe_offered() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_WEBHOOK_SECRET)


@lru_cache(maxsize=4)
def _stripe_client(key: str, base: str) -> stripe.StripeClient:
    return stripe.StripeClient(
        key,
        base_addresses={"api": base} if base else None,
        http_client=stripe.RequestsClient(timeout=TIMEOUT),
        max_network_retries=0,
    )


def _stripe():
    return _stripe_client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


def _asked(call, *args, **kwargs) -> dict | None:
    try:
        return call(*args, **kwargs).to_dict()
    except stripe.InvalidRequestError as error:
        if error.http_status == 404:
            return None
        raise Unavailable(str(error)) from error
    except stripe.StripeError as error:
        raise Unavailable(str(error)) from error


def start_checkout(
    *,
    campaign_id: int,
    name: str,
    currency: str,
    amount: int,
    monthly: bool,
    language: str,
    success_url: str,
    cancel_url: str,
) -> str:
    """A Checkout Session on Stripe's hosted page; its address, for the donor's browser."""
    price = {"currency": currency.lower(), "unit_amount": amount, "product_data": {"name": name[:250]}}
    metadata = {"campaign": str(campaign_id)}
    params = {
        "mode": "subscription" if monthly else "payment",
        "line_items": [{"quantity": 1, "price_data": price}],
        "metadata": metadata,
        "success_url": f"{success_url}?session_id={{CHECKOUT_SESSION_ID}}",
        "cancel_url": cancel_url,
        "locale": STRIPE_LOCALES.get(language, "auto"),
    }
    if monthly:
        price["recurring"] = {"interval": "month"}
        params["subscription_data"] = {"metadata": metadata}
    else:
        params["submit_type"] = "donate"
        params["payment_intent_data"] = {"metadata": metadata}
    session = _asked(_stripe().v1.checkout.sessions.create, params=params)
    if not session or not session.get("url"):
        raise Unavailable("Stripe gave no Checkout address")
    return session["url"]


def checkout_session(session_id: str) -> dict | None:
    return _asked(_stripe().v1.checkout.sessions.retrieve, session_id)


def stripe_payment(reference: str) -> Payment | None:
    """A PaymentIntent as it stands: None unless it succeeded."""
    intent = _asked(_stripe().v1.payment_intents.retrieve, reference, params={"expand": ["latest_charge"]})
    if not intent or intent.get("status") != "succeeded":
        return None
    charge = intent.get("latest_charge") or {}
    if isinstance(charge, str):  # not expanded
        charge = _asked(_stripe().v1.charges.retrieve, charge) or {}
    received = int(intent.get("amount_received") or 0)
    refunded = int(charge.get("amount_refunded") or 0)
    disputed = 0
    if charge.get("disputed"):
        disputes = (
            _asked(_stripe().v1.disputes.list, params={"payment_intent": reference, "limit": 100}) or {}
        )
        disputed = sum(
            int(d["amount"]) for d in disputes.get("data", []) if d.get("status") in LOSING_DISPUTES
        )
    refunded = min(refunded, received)
    return Payment(
        reference=reference,
        currency=str(intent["currency"]).upper(),
        amount=received,
        refunded=refunded,
        disputed=min(disputed, received - refunded),
        campaign_id=_campaign_id(intent.get("metadata")),
        day=day_of(intent.get("created") or timezone.now().timestamp()),
    )


def stripe_invoice(invoice_id: str) -> tuple[str | None, str | None]:
    """A paid invoice's PaymentIntent and subscription, in the shapes of older and newer API versions."""
    invoice = _asked(_stripe().v1.invoices.retrieve, invoice_id, params={"expand": ["payments"]})
    if not invoice or invoice.get("status") != "paid":
        return None, None
    intent = invoice.get("payment_intent")
    for item in (invoice.get("payments") or {}).get("data", []):
        payment = item.get("payment") or {}
        if not intent and payment.get("type") == "payment_intent":
            intent = payment.get("payment_intent")
    subscription = invoice.get("subscription") or (
        ((invoice.get("parent") or {}).get("subscription_details") or {}).get("subscription")
    )
    as_id = lambda value: value.get("id") if isinstance(value, dict) else value  # noqa: E731
    return as_id(intent), as_id(subscription)


def stripe_subscription(subscription_id: str) -> dict | None:
    return _asked(_stripe().v1.subscriptions.retrieve, subscription_id)


def subscription_campaign(subscription: dict) -> int | None:
    return _campaign_id(subscription.get("metadata"))


def stop_subscription(subscription_id: str) -> None:
    _asked(_stripe().v1.subscriptions.cancel, subscription_id)


def stripe_payout(payout_id: str) -> tuple[dict | None, list[dict]]:
    """A payout to the organisation's bank and every balance transaction it carried, each with its
    source (the charge, refund or dispute) expanded."""
    payout = _asked(_stripe().v1.payouts.retrieve, payout_id)
    if payout is None:
        return None, []
    lines, after = [], None
    while True:
        params = {"payout": payout_id, "limit": 100, "expand": ["data.source"]}
        if after:
            params["starting_after"] = after
        page = _asked(_stripe().v1.balance_transactions.list, params=params) or {}
        lines += page.get("data", [])
        if not page.get("has_more") or not page.get("data"):
            return payout, lines
        after = page["data"][-1]["id"]


def stripe_event(payload: bytes, header: str) -> dict:
    """The event, if Stripe signed this body within the tolerance."""
    try:
        event = stripe.Webhook.construct_event(
            payload, header, settings.STRIPE_WEBHOOK_SECRET, tolerance=settings.STRIPE_WEBHOOK_TOLERANCE
        )
    except (ValueError, TypeError, stripe.SignatureVerificationError) as error:
        raise BadSignature(str(error)) from error
    return event.to_dict()


def stripe_event_by_id(event_id: str) -> dict | None:
    return _asked(_stripe().v1.events.retrieve, event_id)


# --- BTCPay Server -----------------------------------------------------------------------------

BTCPAY_SETTLED, BTCPAY_EXPIRED, BTCPAY_INVALID = "Settled", "Expired", "Invalid"


def btcpay_offered() -> bool:
    return all(
        (
            settings.BTCPAY_URL,
            settings.BTCPAY_STORE_ID,
            settings.BTCPAY_API_KEY,
            settings.BTCPAY_WEBHOOK_SECRET,
        )
    )


@dataclass(frozen=True)
class Invoice:
    reference: str
    status: str
    currency: str
    amount: int
    campaign_id: int | None
    day: datetime.date


def _btcpay(method: str, path: str, **kwargs) -> dict | None:
    proxies = (
        {"http": settings.BTCPAY_PROXY, "https": settings.BTCPAY_PROXY} if settings.BTCPAY_PROXY else None
    )
    url = f"{settings.BTCPAY_URL}/api/v1/stores/{settings.BTCPAY_STORE_ID}/{path}"
    try:
        response = requests.request(
            method,
            url,
            headers={"Authorization": f"token {settings.BTCPAY_API_KEY}"},
            timeout=TIMEOUT,
            proxies=proxies,
            **kwargs,
        )
    except requests.RequestException as error:
        raise Unavailable(str(error)) from error
    if response.status_code == 404:
        return None
    if not response.ok:
        raise Unavailable(f"BTCPay answered {response.status_code}")
    try:
        return response.json()
    except ValueError as error:
        raise Unavailable("BTCPay answered something that is not JSON") from error


def start_invoice(
    *, campaign_id: int, currency: str, amount: int, language: str, redirect_url: str, order_id: str
) -> str:
    """An invoice on the organisation's own BTCPay; its checkout address, for the donor. The
    random `order_id` finds it again when the donor comes back (`btcpay_invoice_of_order`)."""
    invoice = _btcpay(
        "POST",
        "invoices",
        json={
            "amount": money.decimal_string(amount, currency),
            "currency": currency,
            "metadata": {"campaign": str(campaign_id), "orderId": order_id},
            "checkout": {
                "requiresRefundEmail": False,  # never ask the donor for an address
                "redirectURL": redirect_url,
                "redirectAutomatically": True,
                "defaultLanguage": language,
            },
        },
    )
    if not invoice or not invoice.get("checkoutLink"):
        raise Unavailable("BTCPay gave no checkout address")
    return invoice["checkoutLink"]


def btcpay_invoice_of_order(order_id: str) -> Invoice | None:
    if not order_id.replace("-", "").replace("_", "").isalnum():
        return None
    found = _btcpay("GET", "invoices", params={"orderId": order_id})
    return btcpay_invoice(found[0]["id"]) if isinstance(found, list) and found else None


def btcpay_invoice(invoice_id: str) -> Invoice | None:
    if not invoice_id.replace("-", "").replace("_", "").isalnum():
        return None
    invoice = _btcpay("GET", f"invoices/{invoice_id}")
    if not invoice:
        return None
    currency = str(invoice["currency"]).upper()
    return Invoice(
        reference=invoice["id"],
        status=invoice.get("status", ""),
        currency=currency,
        amount=money.to_minor(invoice["amount"], currency),
        campaign_id=_campaign_id(invoice.get("metadata")),
        day=day_of(invoice.get("createdTime") or timezone.now().timestamp()),
    )


def btcpay_delivery(body: bytes, header: str) -> dict:
    """The webhook's body, if its `BTCPay-Sig` is the HMAC-SHA256 of it under our secret."""
    expected = "sha256=" + hmac.new(settings.BTCPAY_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()
    if not (header or "").isascii() or not hmac.compare_digest(expected, header or ""):
        raise BadSignature("BTCPay-Sig does not match")
    try:
        delivery = json.loads(body)
    except ValueError as error:
        raise BadSignature("not JSON") from error
    if not isinstance(delivery, dict):
        raise BadSignature("not an object")
    return delivery
