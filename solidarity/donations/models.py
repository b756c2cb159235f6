"""Campaigns, the gifts that reached them and the payouts that left them. No row here says who
gave: a gift is an amount, a currency, a campaign, a provider, the provider's reference (while
refunds may need it; a keyed hash after) and a date."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarity.registry.models import Person


def currency_choices() -> list[tuple[str, str]]:
    return [(code, code) for code in settings.DONATION_CURRENCIES]


class Campaign(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        REACHED = "reached", _("goal reached")
        CLOSED = "closed", _("closed")

    person = models.ForeignKey(
        Person,
        verbose_name=_("for the family of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="campaigns",
        help_text=_("Empty: the fund, for every family."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    goal = models.PositiveBigIntegerField(
        _("goal, in minor units"), help_text=_("Cents: 500000 is 5,000.00.")
    )
    currency = models.CharField(_("currency"), max_length=3, choices=currency_choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_on = models.DateField(_("created on"), default=timezone.localdate)
    # What the public sees: the amount raised rounded down to a step, recomputed at most hourly
    # (`services.shown_progress`), so that no single gift can be matched to a jump in the bar.
    shown_raised = models.BigIntegerField(default=0, editable=False)
    shown_as_of = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(goal__gt=0), name="campaign_goal_positive")]

    def __str__(self) -> str:
        return self.title

    def takes_gifts(self, today) -> bool:
        return self.status != self.Status.CLOSED and (self.deadline is None or self.deadline >= today)


class Provider(models.TextChoices):
    STRIPE = "stripe", _("card (Stripe)")
    BTCPAY = "btcpay", _("crypto (BTCPay)")
    BANK = "bank", _("bank transfer")
    CASH = "cash", _("cash")


ONLINE = (Provider.STRIPE, Provider.BTCPAY)
OFFLINE = (Provider.BANK, Provider.CASH)


class MonthlyGift(models.Model):
    """A card gift repeated every month until the donor stops it with the code they were shown
    once; only that code's keyed hash is here."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="monthly_gifts")
    reference_hash = models.CharField(max_length=64, unique=True)
    reference = models.CharField(max_length=255, blank=True, help_text=_("The provider's subscription id."))
    stop_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    started_on = models.DateField(default=timezone.localdate)
    stopped_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("monthly gift")
        verbose_name_plural = _("monthly gifts")

    def __str__(self) -> str:
        return f"{self.campaign} · {self.started_on}"


class GiftQuerySet(models.QuerySet):
    def net_total(self) -> int:
        return self.aggregate(total=models.Sum(F("amount") - F("refunded") - F("disputed")))["total"] or 0


class Gift(models.Model):
    """One gift, as its provider last said it stands: `amount` given, less what was refunded or
    lost to a dispute (for crypto: an invoice later marked invalid)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="gifts"
    )
    provider = models.CharField(_("how it came"), max_length=10, choices=Provider.choices)
    amount = models.PositiveBigIntegerField(_("amount, in minor units"))
    refunded = models.PositiveBigIntegerField(_("refunded"), default=0)
    disputed = models.PositiveBigIntegerField(_("lost to disputes"), default=0)
    monthly = models.ForeignKey(
        MonthlyGift, null=True, blank=True, on_delete=models.SET_NULL, related_name="gifts"
    )
    # The provider's id of the payment, kept while refunds and disputes may come, then blanked; its
    # keyed hash stays, so a late event still finds its gift (offline gifts have neither).
    reference_hash = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    reference = models.CharField(max_length=255, blank=True, editable=False)
    received_on = models.DateField(_("received on"), default=timezone.localdate)

    objects = GiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(refunded__lte=F("amount") - F("disputed")), name="gift_never_below_zero"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="gift_amount_positive"),
        ]
        indexes = [models.Index(fields=["campaign", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} · {self.received_on}"

    @property
    def net(self) -> int:
        return self.amount - self.refunded - self.disputed


class Payout(models.Model):
    """Money handed to a family (or spent for them) from a campaign; the family is not named."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="payouts"
    )
    amount = models.PositiveBigIntegerField(_("amount, in minor units"))
    paid_on = models.DateField(_("paid on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-paid_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payout_amount_positive")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.paid_on}"


class ProviderEvent(models.Model):
    """A webhook delivery, by the provider's id: stored in the same transaction as its effect, so
    one delivered twice counts once. Its payload is not kept (Stripe's carry the payer's e-mail
    and name): only what it is about, to replay it from the provider."""

    class State(models.TextChoices):
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    provider = models.CharField(_("provider"), max_length=10, choices=Provider.choices)
    # The keyed hash of the provider's event id: the provider's own log maps the id to a payment.
    event_id = models.CharField(_("event"), max_length=64)
    kind = models.CharField(_("type"), max_length=100)
    object_id = models.CharField(_("about"), max_length=255, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    received_on = models.DateField(_("received on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        ordering = ["-received_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="provider_event_once")]

    def __str__(self) -> str:
        return f"{self.provider} {self.kind} {self.event_id}"


class Receipt(models.Model):
    """A receipt's download code, shown once to the donor: its hash, which gift it is for (by the
    gift's reference hash: the gift may not be confirmed yet) and until when it works."""

    code_hash = models.CharField(max_length=64, unique=True)
    gift_reference_hash = models.CharField(max_length=64)
    expires_on = models.DateField()

    class Meta:
        verbose_name = _("receipt code")
        verbose_name_plural = _("receipt codes")

    def __str__(self) -> str:
        return f"receipt code until {self.expires_on}"
