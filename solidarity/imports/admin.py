from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from solidarity.audit.services import history_of

from . import services, tasks
from .forms import RowDecisions, UploadForm
from .models import ImportBatch

GROUPS = [
    ("new", _("New people")),
    ("facility", _("Changed facility")),
    ("sentence", _("Changed sentence")),
    ("status", _("Changed status (release, death)")),
    ("changed", _("Other changes")),
    ("missing", _("Missing from the new list: check, possibly released")),
    ("rejected", _("Rejected records")),
]
ROWS_PREFIX = "rows"


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
                file_name=upload.name,
                data=upload.read(),
                fmt=form.cleaned_data["format"],
                by=request.user,
                read_later=tasks.plan_batch_task.enqueue,
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
        if request.method != "POST":
            return self._review(request, batch, RowDecisions(queryset=self._rows(batch), prefix=ROWS_PREFIX))
        if not self.has_change_permission(request, batch) or batch.state != ImportBatch.State.READY:
            raise PermissionDenied
        formset = RowDecisions(request.POST, queryset=self._rows(batch), prefix=ROWS_PREFIX)
        if not formset.is_valid():
            messages.error(
                request, _("Some decisions could not be read: nothing was saved. Please check them.")
            )
            return self._review(request, batch, formset)
        decisions = {
            form.instance.pk: (form.cleaned_data["decision"], form.cleaned_data["note"]) for form in formset
        }
        try:
            services.decide(batch=batch, decisions=decisions, by=request.user)
            if "accept_all" in request.POST:
                services.accept_all(batch=batch, by=request.user)
            if "accept_all" in request.POST or "apply" in request.POST:
                result = services.apply_batch(batch=batch, by=request.user)
                messages.success(
                    request, _("Applied %(count)d accepted records.") % {"count": result["applied"]}
                )
            else:
                messages.success(request, _("Decisions saved."))
        except services.BatchError as refusal:
            messages.error(request, str(refusal))
        return redirect("admin:imports_importbatch_change", batch.pk)

    def _rows(self, batch: ImportBatch):
        return batch.rows.select_related("person")

    def _review(self, request, batch: ImportBatch, formset) -> TemplateResponse:
        groups = [
            (key, label, [form for form in formset if form.instance.group == key]) for key, label in GROUPS
        ]
        context = {
            **self.admin_site.each_context(request),
            "batch": batch,
            "formset": formset,
            "groups": [group for group in groups if group[2]],
            "title": str(batch),
            "opts": self.model._meta,
            "can_apply": batch.state == ImportBatch.State.READY
            and self.has_change_permission(request, batch),
            "working": batch.state in {ImportBatch.State.QUEUED, ImportBatch.State.PLANNING},
            "history": history_of(batch),
        }
        return TemplateResponse(request, "admin/imports/review.html", context)
