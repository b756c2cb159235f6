"""Editors keep the parcel rules true: each change audited, the stale ones (not confirmed for a
year) found with a filter."""

import datetime

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from solidarity.audit.admin_mixins import AuditedAdmin

from .models import DeviationReport, ParcelRule
from .services import STALE_DAYS


class StaleFilter(admin.SimpleListFilter):
    title = _("confirmation")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("not confirmed for a year"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(
                confirmed_on__lt=timezone.localdate() - datetime.timedelta(days=STALE_DAYS)
            )
        return queryset


class ReportInline(admin.TabularInline):
    """Visitors' reports that this rule was not applied, beside the rule."""

    model = DeviationReport
    extra = 0
    fields = ["facility", "happened_on", "what", "received_on", "reviewed"]
    readonly_fields = ["facility", "happened_on", "what", "received_on"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DeviationReport)
class DeviationReportAdmin(AuditedAdmin):
    list_display = ["received_on", "facility", "rule", "happened_on", "reviewed"]
    list_select_related = ["facility", "rule__facility"]
    list_filter = ["reviewed", "facility"]
    readonly_fields = ["facility", "happened_on", "what", "received_on"]
    fields = ["facility", "rule", "happened_on", "what", "received_on", "reviewed"]

    def has_add_permission(self, request):
        return False


@admin.register(ParcelRule)
class ParcelRuleAdmin(AuditedAdmin, TranslationAdmin):
    inlines = [ReportInline]
    list_display = [
        "key",
        "facility_kind",
        "regime",
        "conditions",
        "facility",
        "counts",
        "per_year",
        "kg_per_month",
        "confirmed_on",
        "stale",
    ]
    list_filter = [StaleFilter, "facility_kind", "counts", "regime"]
    search_fields = ["key", "source_citation"]
    autocomplete_fields = ["facility"]
    list_select_related = ["facility"]

    @admin.display(boolean=True, description=_("stale"))
    def stale(self, rule: ParcelRule) -> bool:
        return rule.is_stale(timezone.localdate(), STALE_DAYS)
