"""The back office of donations: editors write campaigns; the treasurer enters offline gifts and
payouts (audited), checks gifts against their providers, exports them for the accountant and
replays webhook events that failed. What a provider reported is never edited by hand."""

import csv

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from solidarity.audit.admin_mixins import AuditedAdmin, HistoryAdmin
from solidarity.core.spreadsheets import spreadsheet_safe

from . import money, providers, services
from .models import OFFLINE, Campaign, Gift, MonthlyGift, Payout, Provider, ProviderEvent


class InMajorUnits(forms.ModelForm):
    """Amounts typed as people write them (1250.50), kept in minor units; the currency is the
    campaign's."""

    money_fields: tuple[str, ...] = ("amount",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.money_fields:
            if name not in self.fields:  # shown read-only
                continue
            old = self.fields[name]
            self.fields[name] = forms.DecimalField(
                label=old.label,
                min_value=0,
                max_digits=15,
                help_text=_("In the campaign's currency: 1250.50"),
            )
            if self.instance.pk and getattr(self.instance, name) is not None:
                self.initial[name] = money.to_major(getattr(self.instance, name), self._currency() or "EUR")

    def _currency(self) -> str | None:
        campaign = self.cleaned_data.get("campaign") if hasattr(self, "cleaned_data") else None
        campaign = campaign or getattr(self.instance, "campaign", None)
        return getattr(campaign, "currency", None)

    def clean(self):
        data = super().clean()
        currency = self._currency()
        for name in self.money_fields:
            if name not in self.fields or data.get(name) is None or currency is None:
                continue
            try:
                data[name] = money.to_minor(data[name], currency)
            except ValueError:
                self.add_error(name, _("This currency has no units that small."))
                continue
            if data[name] <= 0:
                self.add_error(name, _("Enter an amount above zero."))
        return data


class CampaignForm(InMajorUnits):
    money_fields = ("goal",)

    def _currency(self):
        return (
            self.cleaned_data.get("currency") if hasattr(self, "cleaned_data") else None
        ) or self.instance.currency


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin, TranslationAdmin):
    form = CampaignForm
    list_display = ["title", "person", "status", "goal_shown", "raised", "paid_out_shown", "deadline"]
    list_filter = ["status", "currency"]
    search_fields = ["title"]
    autocomplete_fields = ["person"]

    def get_readonly_fields(self, request, obj=None):
        # Amounts are stored in the campaign's currency: once any are, it stays.
        if obj is not None and (obj.gifts.exists() or obj.payouts.exists()):
            return ["currency", *super().get_readonly_fields(request, obj)]
        return super().get_readonly_fields(request, obj)

    @admin.display(description=_("goal"))
    def goal_shown(self, campaign: Campaign) -> str:
        return money.shown(campaign.goal, campaign.currency)

    @admin.display(description=_("raised (exact)"))
    def raised(self, campaign: Campaign) -> str:
        return money.shown(campaign.gifts.net_total(), campaign.currency)

    @admin.display(description=_("paid out"))
    def paid_out_shown(self, campaign: Campaign) -> str:
        return money.shown(services.paid_out(campaign), campaign.currency)


class PayoutForm(forms.Form):
    payout = forms.RegexField(label=_("Stripe payout"), regex=r"^po_[A-Za-z0-9]{1,250}$", max_length=255)


class OfflineGiftForm(InMajorUnits):
    class Meta:
        model = Gift
        fields = ["campaign", "provider", "amount", "received_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "provider" in self.fields:  # not when shown read-only
            self.fields["provider"].choices = [(p.value, p.label) for p in Provider if p in OFFLINE]


@admin.register(Gift)
class GiftAdmin(AuditedAdmin):
    form = OfflineGiftForm
    list_display = ["received_on", "campaign", "provider", "amount_shown", "refunded_shown", "net_shown"]
    list_filter = ["provider", "campaign"]
    date_hierarchy = "received_on"
    actions = ["check_with_provider", "export_csv"]

    def has_change_permission(self, request, obj=None):
        # A provider's gift changes only as the provider says (`check_with_provider`).
        if obj is not None and obj.provider not in OFFLINE:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("amount"))
    def amount_shown(self, gift: Gift) -> str:
        return money.shown(gift.amount, gift.campaign.currency)

    @admin.display(description=_("refunded or disputed"))
    def refunded_shown(self, gift: Gift) -> str:
        return money.shown(gift.refunded + gift.disputed, gift.campaign.currency)

    @admin.display(description=_("counts"))
    def net_shown(self, gift: Gift) -> str:
        return money.shown(gift.net, gift.campaign.currency)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("campaign")

    def get_urls(self):
        view = self.admin_site.admin_view(self.reconcile_payout)
        return [path("reconcile-payout/", view, name="donations_reconcile_payout"), *super().get_urls()]

    def reconcile_payout(self, request):
        """One Stripe payout beside the gifts we counted: what the bank got, line by line."""
        if not request.user.has_perm("donations.view_gift"):
            raise PermissionDenied
        form = PayoutForm(request.POST or None)
        context = {**self.admin_site.each_context(request), "form": form, "opts": self.model._meta}
        if form.is_valid():
            try:
                check = services.check_stripe_payout(form.cleaned_data["payout"])
            except providers.Unavailable as error:
                context["trouble"] = _("Stripe could not be reached: %(error)s") % {"error": error}
            else:
                if check is None:
                    context["trouble"] = _("Stripe knows no such payout.")
                else:
                    shown = lambda minor: money.shown(minor, check.currency or "EUR")  # noqa: E731
                    context.update(
                        check=check,
                        amount=shown(check.amount),
                        lines_net=shown(check.net_of_lines),
                        adds_up=check.amount == check.net_of_lines,
                        rows=[
                            {
                                **vars(line),
                                "amount": shown(line.amount),
                                "fee": shown(line.fee),
                                "net": shown(line.net),
                            }
                            for line in check.lines
                        ],
                    )
        return TemplateResponse(request, "admin/donations/gift/reconcile_payout.html", context)

    @admin.action(description=_("Check the chosen gifts with their provider"), permissions=["view"])
    def check_with_provider(self, request, queryset):
        try:
            corrected = services.check_with_provider(gifts=queryset, by=request.user)
        except (providers.Unavailable, services.Failed) as error:
            self.message_user(
                request, _("A provider could not be reached: %(error)s") % {"error": error}, messages.ERROR
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)s gift corrected from its provider.",
                "%(count)s gifts corrected from their providers.",
                corrected,
            )
            % {"count": corrected},
            messages.SUCCESS if corrected else messages.INFO,
        )

    @admin.action(description=_("Download the chosen gifts as CSV, for the accountant"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="gifts.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                "received_on",
                "campaign",
                "provider",
                "currency",
                "amount",
                "refunded",
                "disputed",
                "net",
                "receipt_number",
                "reference",
            ]
        )
        for gift in queryset.select_related("campaign").order_by("received_on", "pk"):
            currency = gift.campaign.currency
            writer.writerow(
                [
                    gift.received_on.isoformat(),
                    spreadsheet_safe(gift.campaign.title),
                    gift.provider,
                    currency,
                    *(
                        money.decimal_string(value, currency)
                        for value in (gift.amount, gift.refunded, gift.disputed, gift.net)
                    ),
                    services.receipt_number(gift),
                    spreadsheet_safe(gift.reference),
                ]
            )
        return response


@admin.register(Payout)
class PayoutAdmin(AuditedAdmin):
    form = InMajorUnits
    fields = ["campaign", "amount", "paid_on"]
    list_display = ["paid_on", "campaign", "amount_shown"]
    list_filter = ["campaign"]
    date_hierarchy = "paid_on"

    @admin.display(description=_("amount"))
    def amount_shown(self, payout: Payout) -> str:
        return money.shown(payout.amount, payout.campaign.currency)


@admin.register(MonthlyGift)
class MonthlyGiftAdmin(HistoryAdmin):
    list_display = ["campaign", "started_on", "stopped_on"]
    list_filter = ["campaign"]
    readonly_fields = ["campaign", "started_on", "stopped_on"]
    fields = readonly_fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProviderEvent)
class ProviderEventAdmin(HistoryAdmin):
    list_display = ["received_on", "provider", "kind", "state", "attempts", "error_start"]
    list_filter = ["state", "provider", "kind"]
    readonly_fields = [
        "provider",
        "event_id",
        "kind",
        "object_id",
        "state",
        "attempts",
        "error",
        "received_on",
    ]
    fields = readonly_fields
    actions = ["replay"]

    @admin.display(description=_("error"))
    def error_start(self, event: ProviderEvent) -> str:
        return event.error[:120]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(
        description=_("Replay the chosen failed events from their provider"), permissions=["change"]
    )
    def replay(self, request, queryset):
        done, failing = services.replay(events=queryset, by=request.user)
        self.message_user(
            request,
            _("Replayed: %(done)s done, %(failing)s still failing.") % {"done": done, "failing": failing},
            messages.SUCCESS if not failing else messages.WARNING,
        )
