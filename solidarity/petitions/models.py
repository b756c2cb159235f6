"""Petitions and their signatures. A signature keeps no e-mail address, ever: the confirmation
mail is sent while the signer waits, and only a keyed hash of the normalised address stays (one
signature per person and petition), with the address's domain for moderation. Names are kept only
of those who chose to have them shown. Times no finer than the hour (a burst is seen by the hour;
a signer at risk is not placed to the minute)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarity.registry.models import Person


class Petition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")
        DELIVERED = "delivered", _("delivered")

    slug = models.SlugField(_("address"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    addressees = models.CharField(_("addressed to"), max_length=500)
    goal = models.PositiveIntegerField(_("goal"), default=10_000)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    people = models.ManyToManyField(Person, blank=True, related_name="petitions", verbose_name=_("names"))
    # The confirmed signatures, counted as each is confirmed or invalidated (`recount` proves it).
    signature_count = models.PositiveIntegerField(_("signatures"), default=0)
    # What the public sees: the figures as of the hour (`services.shown_figures`), so that no page
    # changes the moment one person signs (an observer could match it to their visit).
    shown_count = models.PositiveIntegerField(default=0)
    shown_countries = models.JSONField(default=dict)
    shown_names = models.JSONField(default=list)
    shown_as_of = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-opened_on", "-pk"]
        permissions = [("moderate_petition", _("Can invalidate signatures and export for delivery"))]

    def __str__(self) -> str:
        return self.title

    def accepts_signatures(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.OPEN and (self.deadline is None or today <= self.deadline)


class Milestone(models.Model):
    """A count the petition aims for on the way (“10,000: the foreign ministers get it”), and the
    day it was reached."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="milestones")
    count = models.PositiveIntegerField(_("count"))
    label = models.CharField(_("what happens then"), max_length=300)
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["count"]
        constraints = [models.UniqueConstraint(fields=["petition", "count"], name="one_milestone_per_count")]

    def __str__(self) -> str:
        return f"{self.count}: {self.label}"


class Invalidation(models.Model):
    """Signatures invalidated in bulk by an editor, by what they matched, as previewed."""

    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="invalidations")
    criteria = models.JSONField(_("criteria"))
    reason = models.CharField(_("reason"), max_length=300)
    invalidated = models.PositiveIntegerField(_("signatures invalidated"))
    confirmed = models.PositiveIntegerField(_("of them confirmed"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on = models.DateField(_("on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("invalidation")
        verbose_name_plural = _("invalidations")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.petition}: {self.invalidated} ({self.on})"


class Signature(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        INVALIDATED = "invalidated", _("invalidated")

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="signatures")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    name = models.CharField(_("name"), max_length=200, blank=True)  # only when shown
    show_name = models.BooleanField(_("name shown"), default=False)
    country = models.CharField(_("country"), max_length=2)
    language = models.CharField(_("language"), max_length=8)
    address_hash = models.CharField(max_length=64)
    # A large provider's name ("gmail.com"); any other domain, which could name its one user, as
    # a keyed hash ("#3f9a…"): moderation matches either (`addresses.stored_domain`).
    email_domain = models.CharField(_("e-mail domain"), max_length=255)
    token_hash = models.CharField(max_length=64, blank=True)  # the confirmation link's, while pending
    signed_hour = models.DateTimeField(_("signed (hour)"))
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    receipt_digest = models.CharField(max_length=64, blank=True)  # SHA-256 of the receipt shown once
    invalidation = models.ForeignKey(
        Invalidation, on_delete=models.PROTECT, null=True, blank=True, related_name="signatures"
    )
    invalidated_on = models.DateField(_("invalidated on"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "address_hash"], name="one_signature_per_address")
        ]
        indexes = [
            models.Index(fields=["petition", "status", "country"], name="signatures_by_country"),
            models.Index(fields=["token_hash"], name="signatures_by_token"),
            models.Index(fields=["receipt_digest"], name="signatures_by_receipt"),
            models.Index(fields=["petition", "email_domain"], name="signatures_by_domain"),
            models.Index(fields=["petition", "confirmed_on"], name="signatures_by_day_counted"),
            models.Index(fields=["petition", "invalidated_on"], name="signatures_by_day_invalidated"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}/{self.pk} {self.status}"


class CountryCount(models.Model):
    """A petition's confirmed signatures from one country, moved with the petition's count in the
    same transaction (`recount` proves both)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="country_counts")
    country = models.CharField(max_length=2)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["petition", "country"], name="one_count_per_country")]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.country} {self.count}"


class LedgerEntry(models.Model):
    """One day of a petition's public hash chain: the receipts confirmed and invalidated that day,
    the count after it, the previous entry's digest, and this entry's (`ledger.digest`)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="ledger")
    day = models.DateField(_("day"))
    confirmed = models.JSONField(_("receipts confirmed"), default=list)
    invalidated = models.JSONField(_("receipts invalidated"), default=list)
    count = models.PositiveIntegerField(_("count"))
    previous = models.CharField(_("previous digest"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["petition", "day"]
        constraints = [models.UniqueConstraint(fields=["petition", "day"], name="one_entry_per_day")]

    def __str__(self) -> str:
        return f"{self.petition_id} {self.day} {self.count}"
