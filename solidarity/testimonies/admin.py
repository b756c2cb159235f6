"""The legal team's side of the back office: testimonies unopened (when, how large, which consent,
status), their export as sealed bundles, the confirmation of receipt that deletes them here, and
questions to witnesses, sealed to the witness's key on sending. Nothing secret is shown: there is
nothing here to show it with."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .forms import QuestionForm
from .models import CustodyEvent, Testimony

EXPORT = "testimonies.export_testimony"


@admin.register(Testimony)
class TestimonyAdmin(admin.ModelAdmin):
    list_display = [
        "reference",
        "received_on",
        "status",
        "consent_legal_team",
        "consent_court",
        "consent_publication",
        "withdrawn_on",
        "sealed_size",
        "delete_after",
    ]
    list_filter = ["status", "received_on", "consent_court"]
    fields = [
        "reference",
        "received_on",
        "status",
        "consent_legal_team",
        "consent_court",
        "consent_publication",
        "withdrawn_on",
        "delete_after",
        "sealed_size",
        "custody",
    ]
    readonly_fields = fields
    actions = ["export_bundle", "confirm_received"]
    change_form_template = "admin/testimonies/testimony/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # deletion follows a confirmed export, or retention, and is recorded

    def has_export_permission(self, request) -> bool:
        return request.user.has_perm(EXPORT)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("parts", "files")

    @admin.display(description=_("sealed size"))
    def sealed_size(self, testimony: Testimony) -> str:
        total = sum(part.size for part in testimony.parts.all()) + sum(f.size for f in testimony.files.all())
        files = len(testimony.files.all())
        return ngettext("%(kb)s KB, %(files)s file", "%(kb)s KB, %(files)s files", files) % {
            "kb": max(1, total // 1024),
            "files": files,
        }

    @admin.display(description=_("chain of custody"))
    def custody(self, testimony: Testimony) -> str:
        return "; ".join(
            f"{event.on:%Y-%m-%d} {event.get_what_display()} ({event.get_role_display()})"
            for event in CustodyEvent.objects.filter(reference=testimony.reference)
        )

    @admin.action(description=_("Export the chosen testimonies as a sealed bundle"), permissions=["export"])
    def export_bundle(self, request, queryset):
        bundle = services.export(list(queryset.prefetch_related("parts", "files")))
        response = FileResponse(
            open(bundle, "rb"),  # noqa: SIM115 (FileResponse closes it)
            as_attachment=True,
            filename=f"testimonies-{timezone.localdate():%Y-%m-%d}.zip",
            content_type="application/zip",
        )
        bundle.unlink()  # the open file stays readable until it is sent; its name goes now
        return response

    @admin.action(
        description=_("Confirm the legal team holds the chosen exports (deletes them here)"),
        permissions=["export"],
    )
    def confirm_received(self, request, queryset):
        done = 0
        for testimony in queryset:
            try:
                services.confirm_received(testimony)
            except services.NotAllowed as refused:
                messages.error(request, f"{testimony.reference}: {refused}")
            else:
                done += 1
        if done:
            messages.success(
                request,
                ngettext(
                    "%(count)s testimony confirmed and deleted here.",
                    "%(count)s testimonies confirmed and deleted here.",
                    done,
                )
                % {"count": done},
            )

    def get_urls(self):
        view = self.admin_site.admin_view(self.ask_view)
        return [path("<int:pk>/ask/", view, name="testimonies_testimony_ask"), *super().get_urls()]

    def ask_view(self, request, pk: int):
        """A question to the witness, sealed to their key on sending."""
        if not self.has_export_permission(request):
            raise PermissionDenied
        testimony = get_object_or_404(Testimony, pk=pk)
        form = QuestionForm(request.POST or None)
        if form.is_valid():
            services.ask(testimony, text=form.cleaned_data["text"])
            messages.success(request, _("The question is sealed and waits for the witness."))
            return redirect("admin:testimonies_testimony_change", pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": testimony,
            "title": _("A question about %(reference)s") % {"reference": testimony.reference},
            "form": form,
        }
        return TemplateResponse(request, "admin/testimonies/testimony/ask.html", context)


@admin.register(CustodyEvent)
class CustodyEventAdmin(admin.ModelAdmin):
    list_display = ["reference", "what", "role", "on"]
    list_filter = ["what", "on"]
    search_fields = ["reference"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
