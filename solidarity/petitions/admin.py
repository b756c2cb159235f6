"""The petitions' back office: editors write petitions and their milestones, open them, look at
signatures (never an address: none is kept), invalidate them in bulk exactly as previewed, and
export what goes to the addressees. Counts move only through `services`."""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from solidarity.audit.admin_mixins import AuditedAdmin

from . import delivery, services
from .forms import InvalidationForm
from .models import Invalidation, LedgerEntry, Milestone, Petition, Signature


class MilestoneInline(TranslationTabularInline):
    model = Milestone
    extra = 1
    readonly_fields = ["reached_on"]


@admin.register(Petition)
class PetitionAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["title", "status", "signature_count", "goal", "deadline", "moderate_link"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["people"]
    readonly_fields = ["signature_count", "opened_on", "delivered_on"]
    inlines = [MilestoneInline]
    actions = ["open_chosen", "close_chosen", "export_pdf", "export_csv", "mark_delivered"]

    def get_readonly_fields(self, request, obj=None):
        # Opening and delivery are named steps (the actions), so that their days are recorded.
        fixed = [*super().get_readonly_fields(request, obj), "status"]
        if obj is not None and obj.status != Petition.Status.DRAFT:
            # What people signed stays as they signed it; the address is in every mail and the ledger.
            fixed += [
                "slug",
                *(
                    f"{field}_{code}"
                    for field in ("title", "text", "addressees")
                    for code, _n in settings.LANGUAGES
                ),
            ]
        return fixed

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.status != Petition.Status.DRAFT else self.prepopulated_fields

    @admin.display(description=_("signatures"))
    def moderate_link(self, petition: Petition) -> str:
        url = reverse("admin:petitions_petition_moderate", args=[petition.pk])
        return format_html('<a href="{}">{}</a>', url, _("moderate"))

    def _may_moderate(self, request) -> bool:
        return request.user.has_perm("petitions.moderate_petition")

    @admin.action(description=_("Open the chosen petitions for signatures"), permissions=["change"])
    def open_chosen(self, request, queryset):
        for petition in queryset.filter(status=Petition.Status.DRAFT):
            services.open_petition(petition)
        self.message_user(request, _("Opened."), messages.SUCCESS)

    @admin.action(description=_("Close the chosen petitions to signatures"), permissions=["change"])
    def close_chosen(self, request, queryset):
        for petition in queryset.filter(status=Petition.Status.OPEN):
            services.close_petition(petition)
        self.message_user(request, _("Closed."), messages.SUCCESS)

    @admin.action(description=_("Mark the chosen petitions delivered"), permissions=["moderate"])
    def mark_delivered(self, request, queryset):
        for petition in queryset.exclude(status=Petition.Status.DRAFT):
            services.mark_delivered(petition)
        self.message_user(request, _("Marked delivered."), messages.SUCCESS)

    def has_moderate_permission(self, request) -> bool:
        return self._may_moderate(request)

    def _export(self, request, queryset, kind: str):
        if queryset.count() != 1:
            self.message_user(request, _("Choose one petition to export."), messages.ERROR)
            return None
        petition = queryset.get()
        language = translation.get_language()
        if kind == "pdf":
            content, content_type = delivery.as_pdf(petition, language), "application/pdf"
        else:
            content, content_type = delivery.as_csv(petition, language), "text/csv; charset=utf-8"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{petition.slug}.{kind}"'
        return response

    @admin.action(description=_("Export for delivery (PDF)"), permissions=["moderate"])
    def export_pdf(self, request, queryset):
        return self._export(request, queryset, "pdf")

    @admin.action(description=_("Export for delivery (CSV)"), permissions=["moderate"])
    def export_csv(self, request, queryset):
        return self._export(request, queryset, "csv")

    def get_urls(self):
        view = self.admin_site.admin_view(self.moderate_view)
        return [path("<int:pk>/moderate/", view, name="petitions_petition_moderate"), *super().get_urls()]

    def moderate_view(self, request, pk: int):
        """Invalidation in bulk: a preview of what matches (counts, domains, hours), then the
        invalidation of exactly that."""
        if not self._may_moderate(request):
            raise PermissionDenied
        petition = get_object_or_404(Petition, pk=pk)
        form = InvalidationForm(request.POST or request.GET or None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "petition": petition,
            "form": form,
            "bursts": services.bursts(petition),
            "invalidations": petition.invalidations.all()[:20],
        }
        if form.is_bound and form.is_valid():
            criteria = form.criteria()
            if request.method == "POST" and "invalidate" in request.POST:
                try:
                    invalidation = services.invalidate(
                        petition,
                        criteria,
                        fingerprint=form.cleaned_data["fingerprint"],
                        reason=form.cleaned_data["reason"],
                        by=request.user,
                    )
                except services.NotAllowed as refused:
                    messages.error(request, str(refused))
                else:
                    messages.success(
                        request,
                        _(
                            "%(n)s signatures invalidated, %(confirmed)s of them confirmed: "
                            "the count is updated."
                        )
                        % {"n": invalidation.invalidated, "confirmed": invalidation.confirmed},
                    )
                    petition.refresh_from_db()
                    context["bursts"] = services.bursts(petition)
            if not criteria.empty:
                found = services.preview(petition, criteria)
                context["preview"] = found
                form.data = form.data.copy()
                form.data["fingerprint"] = found.fingerprint
        return TemplateResponse(request, "admin/petitions/petition/moderate.html", context)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Signature)
class SignatureAdmin(ReadOnly):
    list_display = ["petition", "status", "country", "email_domain", "signed_hour", "confirmed_on", "name"]
    list_filter = ["petition", "status", "country"]
    search_fields = ["email_domain"]
    exclude = ["address_hash", "token_hash", "receipt_digest"]


@admin.register(Invalidation)
class InvalidationAdmin(ReadOnly):
    list_display = ["petition", "on", "invalidated", "confirmed", "reason", "by"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ["petition", "day", "count", "digest"]
