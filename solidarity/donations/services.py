"""The donations' operations. A gift is credited only from what its provider says when asked
again (`providers`), inside the transaction that stores the webhook event's id: an event delivered
twice, late or out of order ends in the same totals, because each sets the gift to the payment's
standing rather than adding to it. The gift's row is locked before that second reading, so two
events about one payment are applied in the order the provider was read."""

import datetime
import hashlib
import hmac
import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarity.audit import actions
from solidarity.audit.services import log_action
from solidarity.core.versions import CacheVersion

from . import providers
from .models import Campaign, Gift, MonthlyGift, Payout, Provider, ProviderEvent, Receipt

# What public pages show of campaigns: their rows, and their figures as shown (`shown_progress`).
PUBLIC_VERSION = CacheVersion("donations:public")
logger = logging.getLogger(__name__)
STEPS = 20  # the public bar moves in twentieths of the goal

GIFT_CORRECTED = actions.named("donations.gift.corrected", _("corrected from the provider"))
EVENT_REPLAYED = actions.named("donations.event.replayed", _("replayed from the provider"))

DONE, REPEATED, IGNORED = "done", "repeated", "ignored"


class Failed(Exception):
    """An event could not be applied now; it is kept as failed, for the provider's retry or a replay."""


def _pepper(purpose: str) -> bytes:
    secret = settings.DONATIONS_PEPPER or settings.SECRET_KEY
    return hmac.new(secret.encode(), f"donations:{purpose}".encode(), hashlib.sha256).digest()


def reference_hash(provider: str, reference: str) -> str:
    return hmac.new(_pepper("reference"), f"{provider}:{reference}".encode(), hashlib.sha256).hexdigest()


def event_hash(provider: str, event_id: str) -> str:
    """An event is known by this keyed hash: the provider's own log maps its id to the payment."""
    return hmac.new(_pepper("event"), f"{provider}:{event_id}".encode(), hashlib.sha256).hexdigest()


def code_hash(code: str) -> str:
    plain = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hmac.new(_pepper("code"), plain.encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    """Sixteen letters and digits in four groups (80 bits), easy to copy by hand."""
    alphabet = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
    plain = "".join(secrets.choice(alphabet) for _ in range(16))
    return "-".join(plain[i : i + 4] for i in range(0, 16, 4))


# --- Crediting ---------------------------------------------------------------------------------


def _existing_campaign(campaign_id: int | None) -> int | None:
    if campaign_id is not None and Campaign.objects.filter(pk=campaign_id).exists():
        return campaign_id
    return None


def _locked_gift(provider: str, reference: str) -> Gift | None:
    return Gift.objects.select_for_update().filter(reference_hash=reference_hash(provider, reference)).first()


def _new_gift(provider: str, reading, campaign_id: int, monthly: MonthlyGift | None) -> tuple[Gift, bool]:
    """The gift of this payment, locked, and whether this transaction made it. If it did, the
    reading it was made from is the latest word: nobody wrote the gift before, and whoever comes
    next waits for this transaction's commit (the unique reference), then reads again."""
    gift, created = Gift.objects.get_or_create(
        reference_hash=reference_hash(provider, reading.reference),
        defaults={
            "campaign_id": campaign_id,
            "provider": provider,
            "amount": reading.amount,
            "reference": reading.reference,
            "received_on": reading.day,
            "monthly": monthly,
        },
    )
    return Gift.objects.select_for_update().get(pk=gift.pk), created


def _set_standing(gift: Gift, *, amount: int, refunded: int, disputed: int, currency: str) -> bool:
    if currency != gift.campaign.currency:
        raise Failed(f"paid in {currency}, the campaign counts {gift.campaign.currency}")
    if (gift.amount, gift.refunded, gift.disputed) == (amount, refunded, disputed):
        return False
    gift.amount, gift.refunded, gift.disputed = amount, refunded, disputed
    gift.save(update_fields=["amount", "refunded", "disputed"])
    return True


def credit_stripe_payment(
    reference: str, *, campaign_id: int | None = None, monthly: MonthlyGift | None = None
) -> Gift | None:
    """Sets the gift of a PaymentIntent to what Stripe says of it now (paid, refunded, disputed).
    A payment we cannot place in a campaign (not ours, or a monthly one not yet linked) is left."""
    gift = _locked_gift(Provider.STRIPE, reference)
    if gift is None:
        first = providers.stripe_payment(reference)
        if first is None:
            return None
        campaign_id = _existing_campaign(first.campaign_id or campaign_id)
        if campaign_id is None:
            return None
        gift, created = _new_gift(Provider.STRIPE, first, campaign_id, monthly)
        if created:
            _set_standing(
                gift,
                amount=first.amount,
                refunded=first.refunded,
                disputed=first.disputed,
                currency=first.currency,
            )
            return gift
    now = providers.stripe_payment(reference)  # read under the gift's lock: the latest word wins
    if now is not None:
        _set_standing(
            gift, amount=now.amount, refunded=now.refunded, disputed=now.disputed, currency=now.currency
        )
    return gift


def credit_btcpay_invoice(reference: str) -> Gift | None:
    """Settled: the invoice's amount counts; marked invalid afterwards: it counts no more.
    Expired or not yet paid: nothing to count."""
    gift = _locked_gift(Provider.BTCPAY, reference)
    if gift is None:
        first = providers.btcpay_invoice(reference)
        if first is None or first.status != providers.BTCPAY_SETTLED:
            return None
        campaign_id = _existing_campaign(first.campaign_id)
        if campaign_id is None:
            return None
        gift, created = _new_gift(Provider.BTCPAY, first, campaign_id, None)
        if created:
            _set_standing(gift, amount=first.amount, refunded=0, disputed=0, currency=first.currency)
            return gift
    now = providers.btcpay_invoice(reference)
    if now is not None and now.status in (providers.BTCPAY_SETTLED, providers.BTCPAY_INVALID):
        voided = now.amount if now.status == providers.BTCPAY_INVALID else 0
        _set_standing(gift, amount=now.amount, refunded=0, disputed=voided, currency=now.currency)
    return gift


def _monthly_gift(subscription_id: str) -> MonthlyGift | None:
    hashed = reference_hash(Provider.STRIPE, subscription_id)
    existing = MonthlyGift.objects.filter(reference_hash=hashed).first()
    if existing is not None:
        return existing
    subscription = providers.stripe_subscription(subscription_id)
    campaign_id = _existing_campaign(providers.subscription_campaign(subscription or {}))
    if campaign_id is None:
        return None
    monthly, _created = MonthlyGift.objects.get_or_create(
        reference_hash=hashed, defaults={"campaign_id": campaign_id, "reference": subscription_id}
    )
    return monthly


def _stripe_checkout(session_id: str) -> None:
    session = providers.checkout_session(session_id)
    if not session or session.get("payment_status") != "paid":
        return
    if session.get("mode") == "payment" and session.get("payment_intent"):
        credit_stripe_payment(session["payment_intent"])
    elif session.get("mode") == "subscription" and session.get("subscription"):
        _monthly_gift(session["subscription"])  # its payments come as invoices


def _stripe_invoice(invoice_id: str) -> None:
    intent, subscription_id = providers.stripe_invoice(invoice_id)
    if not intent:
        return
    monthly = _monthly_gift(subscription_id) if subscription_id else None
    credit_stripe_payment(intent, campaign_id=monthly.campaign_id if monthly else None, monthly=monthly)


def _stripe_subscription_ended(subscription_id: str) -> None:
    MonthlyGift.objects.filter(
        reference_hash=reference_hash(Provider.STRIPE, subscription_id), stopped_on=None
    ).update(stopped_on=timezone.localdate())


_ABOUT_A_PAYMENT = (
    "payment_intent.succeeded",
    "charge.refunded",
    "charge.refund.updated",
    "charge.dispute.created",
    "charge.dispute.updated",
    "charge.dispute.closed",
    "charge.dispute.funds_withdrawn",
    "charge.dispute.funds_reinstated",
)
HANDLERS = {
    Provider.STRIPE: {
        "checkout.session.completed": _stripe_checkout,
        "checkout.session.async_payment_succeeded": _stripe_checkout,
        "invoice.paid": _stripe_invoice,
        "customer.subscription.deleted": _stripe_subscription_ended,
        **dict.fromkeys(_ABOUT_A_PAYMENT, credit_stripe_payment),
    },
    Provider.BTCPAY: dict.fromkeys(
        ("InvoiceSettled", "InvoicePaymentSettled", "InvoiceExpired", "InvoiceInvalid"), credit_btcpay_invoice
    ),
}


def stripe_subject(kind: str, data_object: dict) -> str:
    """Which object an event's effect depends on: the PaymentIntent of a charge, a refund or a
    dispute; the object itself otherwise."""
    if kind.startswith("charge."):
        return str(data_object.get("payment_intent") or "")
    return str(data_object.get("id") or "")


def receive(*, provider: str, event_id: str, kind: str, object_id: str) -> str:
    """Applies one webhook event once: DONE, REPEATED (applied before) or IGNORED (a type that
    changes nothing). Raises `Failed` when it cannot be applied now (the provider could not be
    asked, or a defect of ours); the event stays as failed, to be delivered again or replayed."""
    if not event_id:
        return IGNORED
    return _apply(provider, event_hash(provider, event_id), kind, object_id)


def _apply(provider: str, event_key: str, kind: str, object_id: str) -> str:
    handler = HANDLERS[provider].get(kind)
    if handler is None or not object_id:
        return IGNORED
    try:
        with transaction.atomic():
            event, _created = ProviderEvent.objects.select_for_update().get_or_create(
                provider=provider, event_id=event_key, defaults=_event_defaults(kind, object_id)
            )
            if event.state == ProviderEvent.State.DONE:
                return REPEATED
            handler(object_id)
            event.state, event.error, event.attempts = ProviderEvent.State.DONE, "", event.attempts + 1
            event.save(update_fields=["state", "error", "attempts"])
    except (providers.Unavailable, Failed) as error:
        _record_failure(provider, event_key, kind, object_id, str(error))
        raise Failed(str(error)) from error
    except Exception as error:  # a defect of ours: kept as failed, to replay once it is fixed
        logger.exception("donations: a %s event of type %s could not be applied", provider, kind)
        _record_failure(provider, event_key, kind, object_id, f"{type(error).__name__}: {error}")
        raise Failed(str(error)) from error
    return DONE


def _event_defaults(kind: str, object_id: str) -> dict:
    return {"kind": kind[:100], "object_id": object_id[:255], "state": ProviderEvent.State.FAILED}


def _record_failure(provider: str, event_key: str, kind: str, object_id: str, error: str) -> None:
    with transaction.atomic():
        event, _created = ProviderEvent.objects.select_for_update().get_or_create(
            provider=provider, event_id=event_key, defaults=_event_defaults(kind, object_id)
        )
        if event.state != ProviderEvent.State.DONE:
            event.error, event.attempts = error[:2000], event.attempts + 1
            event.save(update_fields=["error", "attempts"])


def replay(*, events, by) -> tuple[int, int]:
    """Applies failed events again, asking the provider afresh; (done, still failing). An event
    whose object was purged has nothing left to replay."""
    done = failing = 0
    for event in events.filter(state=ProviderEvent.State.FAILED).exclude(object_id=""):
        try:
            applied = _apply(event.provider, event.event_id, event.kind, event.object_id)
        except Failed:
            failing += 1
            continue
        if applied == DONE:
            done += 1
            log_action(action=EVENT_REPLAYED, obj=event, actor=by, actor_label=by.get_username())
    return done, failing


def check_with_provider(*, gifts, by) -> int:
    """The treasurer's check: each online gift still holding its reference is read again from its
    provider and corrected if it differs (a webhook that never came); each correction audited."""
    corrected = 0
    for gift_id in gifts.exclude(reference="").filter(provider__in=HANDLERS).values_list("pk", flat=True):
        with transaction.atomic():
            gift = Gift.objects.select_for_update().select_related("campaign").get(pk=gift_id)
            before = {"amount": gift.amount, "refunded": gift.refunded, "disputed": gift.disputed}
            if gift.provider == Provider.STRIPE:
                credit_stripe_payment(gift.reference)
            else:
                credit_btcpay_invoice(gift.reference)
            gift.refresh_from_db()
            after = {"amount": gift.amount, "refunded": gift.refunded, "disputed": gift.disputed}
            if after != before:
                corrected += 1
                log_action(
                    action=GIFT_CORRECTED,
                    obj=gift,
                    actor=by,
                    actor_label=by.get_username(),
                    data={"before": before, "after": after},
                )
    return corrected


def family_campaigns(today: datetime.date) -> dict[int, list[int]]:
    """The campaigns that take gifts for each person's family (person id -> campaign ids), read
    once per version and day: profiles and the friend's page ask it for everyone they show, and a
    person without a campaign costs no query."""
    key = f"donations:families:{PUBLIC_VERSION.current()}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = {}
        open_ones = (
            Campaign.objects.filter(person__isnull=False)
            .exclude(status=Campaign.Status.CLOSED)
            .filter(Q(deadline__isnull=True) | Q(deadline__gte=today))
            .order_by("-created_on", "-pk")
        )
        for pk, person_id in open_ones.values_list("pk", "person_id"):
            found.setdefault(person_id, []).append(pk)
        cache.set(key, found, 24 * 3600)
    return found


@dataclass
class PayoutLine:
    kind: str  # Stripe's: charge, payment, refund, adjustment (a dispute), stripe_fee...
    amount: int
    fee: int
    net: int
    payment: str  # the PaymentIntent it is about, if any
    gift: Gift | None  # ours, when we counted that payment


@dataclass
class PayoutCheck:
    payout_id: str
    amount: int
    currency: str
    arrival: datetime.date | None
    lines: list[PayoutLine]

    @property
    def net_of_lines(self) -> int:
        return sum(line.net for line in self.lines)

    @property
    def unmatched(self) -> list[PayoutLine]:
        return [line for line in self.lines if line.payment and line.gift is None]


def check_stripe_payout(payout_id: str) -> PayoutCheck | None:
    """The treasurer's reconciliation of one Stripe payout with our gifts: each payment, refund
    and dispute it carried, whether we counted its gift, and whether the lines add up to what
    reached the bank. Raises `providers.Unavailable`."""
    payout, transactions = providers.stripe_payout(payout_id)
    if payout is None:
        return None
    lines = []
    for transaction_ in transactions:
        if transaction_.get("type") == "payout":
            continue
        source = transaction_.get("source") or {}
        payment = source.get("payment_intent") or "" if isinstance(source, dict) else ""
        lines.append(
            PayoutLine(
                kind=str(transaction_.get("type", "")),
                amount=int(transaction_.get("amount") or 0),
                fee=int(transaction_.get("fee") or 0),
                net=int(transaction_.get("net") or 0),
                payment=str(payment),
                gift=confirmed_gift(Provider.STRIPE, payment) if payment else None,
            )
        )
    arrival = payout.get("arrival_date")
    return PayoutCheck(
        payout_id=payout_id,
        amount=int(payout.get("amount") or 0),
        currency=str(payout.get("currency", "")).upper(),
        arrival=providers.day_of(arrival) if arrival else None,
        lines=lines,
    )


# --- Monthly gifts and receipts ----------------------------------------------------------------


@transaction.atomic
def stop_code_for(monthly: MonthlyGift) -> str | None:
    """The code that stops this monthly gift, made once: None if it was shown already."""
    locked = MonthlyGift.objects.select_for_update().get(pk=monthly.pk)
    if locked.stop_code_hash:
        return None
    code = new_code()
    locked.stop_code_hash = code_hash(code)
    locked.save(update_fields=["stop_code_hash"])
    return code


def monthly_of_checkout(session: dict) -> MonthlyGift | None:
    if (
        session.get("mode") != "subscription"
        or session.get("status") != "complete"
        or not session.get("subscription")
    ):
        return None
    return _monthly_gift(session["subscription"])


def stop_monthly(*, code: str) -> MonthlyGift | None:
    """Stops the monthly gift this code was shown for, at Stripe first: None for a code we don't
    know or a gift already stopped. Raises `providers.Unavailable` if Stripe cannot be asked."""
    monthly = MonthlyGift.objects.filter(stop_code_hash=code_hash(code), stopped_on=None).first()
    if monthly is None:
        return None
    providers.stop_subscription(monthly.reference)
    # No audit entry: it would date, to the second, something only the donor did.
    MonthlyGift.objects.filter(pk=monthly.pk).update(stopped_on=timezone.localdate())
    monthly.refresh_from_db()
    return monthly


def issue_receipt(*, provider: str, reference: str, today: datetime.date) -> str:
    code = new_code()
    Receipt.objects.create(
        code_hash=code_hash(code),
        gift_reference_hash=reference_hash(provider, reference),
        expires_on=today + datetime.timedelta(days=settings.DONATION_RECEIPT_DAYS),
    )
    return code


def gift_of_receipt(code: str, today: datetime.date) -> tuple[bool, Gift | None]:
    """(whether the code is good, the confirmed gift it is for or None while unconfirmed)."""
    receipt = Receipt.objects.filter(code_hash=code_hash(code), expires_on__gte=today).first()
    if receipt is None:
        return False, None
    gift = Gift.objects.select_related("campaign").filter(reference_hash=receipt.gift_reference_hash).first()
    return True, gift


def receipt_number(gift: Gift) -> str:
    """A gift's number on its receipt and in the accountant's CSV: from its keyed hash (or its row)."""
    return (gift.reference_hash or f"offline-{gift.pk}")[:12].upper()


def confirmed_gift(provider: str, reference: str) -> Gift | None:
    return (
        Gift.objects.select_related("campaign")
        .filter(reference_hash=reference_hash(provider, reference))
        .first()
    )


# --- Figures -----------------------------------------------------------------------------------


def coarse(raised: int, goal: int) -> int:
    step = max(goal // STEPS, 1)
    return max(raised, 0) // step * step


def shown_progress(campaign: Campaign, now: datetime.datetime | None = None) -> int:
    """What the public sees as raised: in steps of a twentieth of the goal, read again at most once
    an hour (the hour is kept on the campaign, not a visitor's)."""
    hour = (now or timezone.now()).replace(minute=0, second=0, microsecond=0)
    if campaign.shown_as_of is not None and campaign.shown_as_of >= hour:
        return campaign.shown_raised
    raised = campaign.gifts.net_total()
    value = coarse(raised, campaign.goal)
    Campaign.objects.filter(pk=campaign.pk).update(shown_raised=value, shown_as_of=hour)
    changed = value != campaign.shown_raised
    campaign.shown_raised, campaign.shown_as_of = value, hour
    # "Goal reached" shows with the hourly figure too, never at the gift that crossed the goal.
    if campaign.status == Campaign.Status.OPEN and raised >= campaign.goal:
        Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.OPEN).update(
            status=Campaign.Status.REACHED
        )
        campaign.status, changed = Campaign.Status.REACHED, True
    if changed:
        PUBLIC_VERSION.bump()
    return value


def paid_out(campaign: Campaign) -> int:
    return campaign.payouts.aggregate(total=Sum("amount"))["total"] or 0


@dataclass
class YearFigures:
    year: int
    currency: str
    card: int = 0
    crypto: int = 0
    offline: int = 0
    paid_out: int = 0

    @property
    def raised(self) -> int:
        return self.card + self.crypto + self.offline


CHANNELS = {
    Provider.STRIPE: "card",
    Provider.BTCPAY: "crypto",
    Provider.BANK: "offline",
    Provider.CASH: "offline",
}


def summary_until(today: datetime.date) -> datetime.date:
    """The yearly summary counts what came before this month: a gift shows in it only among a
    whole month's, never the day it came."""
    return today.replace(day=1)


def yearly_summary(until: datetime.date) -> list[YearFigures]:
    """The fund's account per year and currency, before `until`: what came in by channel (net of
    refunds) and what was paid out to families."""
    years: dict[tuple[int, str], YearFigures] = {}

    def row(year: int, currency: str) -> YearFigures:
        return years.setdefault((year, currency), YearFigures(year, currency))

    net = defaultdict(int)
    gifts = (
        Gift.objects.filter(received_on__lt=until)
        .annotate(year=ExtractYear("received_on"))
        .values("year", "campaign__currency", "provider")
        .annotate(amount=Sum("amount"), refunded=Sum("refunded"), disputed=Sum("disputed"))
    )
    for item in gifts:
        net[item["year"], item["campaign__currency"], CHANNELS[item["provider"]]] += (
            item["amount"] - item["refunded"] - item["disputed"]
        )
    for (year, currency, channel), amount in net.items():
        setattr(row(year, currency), channel, getattr(row(year, currency), channel) + amount)
    payouts = (
        Payout.objects.filter(paid_on__lt=until)
        .annotate(year=ExtractYear("paid_on"))
        .values("year", "campaign__currency")
        .annotate(total=Sum("amount"))
    )
    for item in payouts:
        row(item["year"], item["campaign__currency"]).paid_out += item["total"]
    return sorted(years.values(), key=lambda figures: (-figures.year, figures.currency))


@transaction.atomic
def purge(*, today: datetime.date) -> int:
    """Blanks the providers' references older than refunds and disputes can come (their keyed
    hashes stay), of gifts, finished events and stopped monthly gifts; deletes expired receipt codes."""
    before = today - datetime.timedelta(days=settings.DONATION_REFERENCE_DAYS)
    count = Gift.objects.filter(received_on__lt=before).exclude(reference="").update(reference="")
    count += ProviderEvent.objects.filter(received_on__lt=before).exclude(object_id="").update(object_id="")
    count += MonthlyGift.objects.filter(stopped_on__lt=before).exclude(reference="").update(reference="")
    Receipt.objects.filter(expires_on__lt=today).delete()
    return count
