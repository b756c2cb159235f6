"""A country's rules for parcels as dated, sourced data: how many of which kind a person may
receive in a kind of facility, under a regime and conditions, who may send them and how heavy
they may be; a facility's own rule overrides its kind's."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from solidarity.registry.models import Facility, Sentence


class ParcelRule(models.Model):
    class Counts(models.TextChoices):
        # One number for both: the Code's "посылки или передачи".
        PARCELS = "parcels", _("parcels, posted or handed in")
        POSTED = "posted", _("posted parcels")
        HANDED = "handed", _("parcels handed in")
        PACKETS = "packets", _("small packets")

    class Conditions(models.TextChoices):
        ANY = "", _("any conditions")
        ORDINARY = "ordinary", _("ordinary conditions")
        IMPROVED = "improved", _("improved conditions")
        STRICT = "strict", _("strict conditions")

    class Senders(models.TextChoices):
        ANYONE = "anyone", _("anyone")
        RELATIVES_AFTER_VERDICT = "relatives_after_verdict", _("relatives only, once the verdict is in force")
        RELATIVES = "relatives", _("relatives only")

    country = models.CharField(_("country"), max_length=2, default=settings.COUNTRY)
    facility_kind = models.CharField(
        _("kind of facility"), max_length=50, help_text=_("Its slug: colony, pretrial…")
    )
    regime = models.CharField(
        _("regime"),
        max_length=20,
        choices=Sentence.Regime.choices,
        blank=True,
        help_text=_("Empty: every regime of this kind of facility."),
    )
    conditions = models.CharField(_("conditions"), max_length=20, choices=Conditions.choices, blank=True)
    facility = models.ForeignKey(
        Facility,
        verbose_name=_("only in this facility"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="parcel_rules",
        help_text=_("An override of the rule of its kind."),
    )
    counts = models.CharField(_("what it counts"), max_length=20, choices=Counts.choices)
    per_year = models.PositiveSmallIntegerField(
        _("how many a year"), null=True, blank=True, help_text=_("Empty: no limit on the number.")
    )
    kg_per_month = models.DecimalField(
        _("kilograms a month, all together"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    kg_each = models.DecimalField(
        _("kilograms each at most"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    spaced_evenly = models.BooleanField(
        _("spaced evenly over the year"),
        default=False,
        help_text=_("The next may go only after twelve months divided by the yearly number."),
    )
    senders = models.CharField(
        _("who may send"), max_length=30, choices=Senders.choices, default=Senders.ANYONE
    )
    exemptions = models.CharField(_("who is exempt from the weight limit"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    source_citation = models.CharField(_("citation"), max_length=300)
    effective_from = models.DateField(_("in force since"), null=True, blank=True)
    confirmed_on = models.DateField(_("last confirmed on"))
    key = models.SlugField(
        _("key"), max_length=100, unique=True, help_text=_("How the country's data file names it.")
    )

    class Meta:
        verbose_name = _("parcel rule")
        verbose_name_plural = _("parcel rules")
        ordering = ["country", "facility_kind", "regime", "conditions", "counts"]

    def __str__(self) -> str:
        where = self.facility.name if self.facility_id else self.facility_kind
        return f"{where} · {self.get_regime_display() or '*'} · {self.get_counts_display()}"

    def is_stale(self, today, days: int) -> bool:
        return (today - self.confirmed_on).days > days


class DeviationReport(models.Model):
    """ "This rule was not applied here": a facility, the day it happened, what happened. Nothing
    about who reported it, not even the hour."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.CASCADE, related_name="parcel_reports"
    )
    rule = models.ForeignKey(
        ParcelRule,
        verbose_name=_("rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    happened_on = models.DateField(_("when it happened"))
    what = models.TextField(_("what happened"), max_length=2000)
    received_on = models.DateField(_("received on"), auto_now_add=True)
    reviewed = models.BooleanField(_("reviewed"), default=False)

    class Meta:
        verbose_name = _("report that a rule was not applied")
        verbose_name_plural = _("reports that a rule was not applied")
        ordering = ["reviewed", "-received_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.facility} · {self.happened_on}"
