from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import ImportBatch, ImportRow
from .readers import MAX_BYTES

GROUPS = [
    ("new", _("New people")),
    ("facility", _("Changed facility")),
    ("sentence", _("Changed sentence")),
    ("status", _("Changed status (release, death)")),
    ("changed", _("Other changes")),
    ("missing", _("Missing from the new list: check, possibly released")),
    ("rejected", _("Rejected records")),
]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Snapshot file"))
    format = forms.ChoiceField(label=_("Format"), choices=ImportBatch.FORMAT_CHOICES, initial="auto")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "state", "created_at", "created_by", "counts"]
    list_filter = ["state"]

    @admin.display(description=_("summary"))
    def counts(self, batch: ImportBatch) -> str:
        return ", ".join(f"{count} {kind}" for kind, count in batch.summary.items())

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            batch = services.upload(
                file_name=upload.name, data=upload.read(), fmt=form.cleaned_data["format"], user=request.user
            )
            return redirect("admin:imports_importbatch_change", batch.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Upload a snapshot"),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/imports/upload.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = get_object_or_404(ImportBatch, pk=object_id)
        if not self.has_view_or_change_permission(request, batch):
            raise PermissionDenied
        if request.method == "POST":
            if not self.has_change_permission(request, batch) or batch.state != ImportBatch.State.READY:
                raise PermissionDenied
            return self._decide(request, batch)
        rows = list(batch.rows.select_related("person"))
        groups = [(key, label, [row for row in rows if row.group == key]) for key, label in GROUPS]
        context = {
            **self.admin_site.each_context(request),
            "batch": batch,
            "groups": [group for group in groups if group[2]],
            "title": str(batch),
            "opts": self.model._meta,
            "can_apply": batch.state == ImportBatch.State.READY
            and self.has_change_permission(request, batch),
            "working": batch.state in {ImportBatch.State.QUEUED, ImportBatch.State.PLANNING},
            "decisions": ImportRow.Decision.choices,
        }
        return TemplateResponse(request, "admin/imports/review.html", context)

    def _decide(self, request, batch: ImportBatch):
        decisions = {}
        for row in batch.rows.all():
            decision = request.POST.get(f"decision-{row.pk}", row.decision)
            if decision not in ImportRow.Decision.values:
                decision = row.decision
            if "accept_all" in request.POST and row.kind in {"new", "changed"}:
                decision = ImportRow.Decision.ACCEPTED
            decisions[row.pk] = (decision, request.POST.get(f"note-{row.pk}", row.note)[:500])
        services.decide(batch=batch, decisions=decisions)
        if "accept_all" in request.POST or "apply" in request.POST:
            result = services.apply_batch(batch=batch, user=request.user)
            messages.success(request, _("Applied %(count)d accepted records.") % {"count": result["applied"]})
        else:
            messages.success(request, _("Decisions saved."))
        return redirect("admin:imports_importbatch_change", batch.pk)
