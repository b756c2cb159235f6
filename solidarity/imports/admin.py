from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solidarity.audit.services import history_of

from . import services, tasks
from .forms import ROWS_PER_PAGE, ReviewPage, RowDecisions, UploadForm
from .models import ImportBatch, ImportRow

GROUP_LABELS = {
    "new": _("New people"),
    "facility": _("Changed facility"),
    "sentence": _("Changed sentence"),
    "status": _("Changed status (release, death)"),
    "changed": _("Other changes"),
    "missing": _("Missing from the new list: check, possibly released"),
    "rejected": _("Rejected records"),
}
ROWS_PREFIX = "rows"
# The review page shows the newest entries of the batch's history, not all of a 20,000-row review.
HISTORY_SHOWN = 100


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["file_name", "status", "created_at", "created_by", "counts"]
    list_filter = ["state"]
    actions = ["resume_stalled"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data")

    @admin.display(description=_("summary"))
    def counts(self, batch: ImportBatch) -> str:
        return ", ".join(f"{count} {label}" for label, count in batch.summary_lines())

    @admin.display(description=_("state"), ordering="state")
    def status(self, batch: ImportBatch) -> str:
        if batch.stalled:
            return _("%(state)s: stalled at %(progress)d%%") % {
                "state": batch.get_state_display(),
                "progress": batch.progress,
            }
        if batch.working:
            return f"{batch.get_state_display()} ({batch.progress}%)"
        return batch.get_state_display()

    # An editor deletes an import that was not applied and that no worker is on (a stalled one,
    # for instance); the import's own history keeps who deleted it.
    def has_delete_permission(self, request, obj=None):
        return obj is not None and self.has_change_permission(request, obj) and services.deletable(obj)

    def get_deleted_objects(self, objs, request):
        # The rows go with their import; a confirmation listing 20,000 of them would help nobody.
        rows = ImportRow.objects.filter(batch__in=objs).count()
        counted = ngettext("%(count)d row of its review", "%(count)d rows of its review", rows)
        deleted = [item for batch in objs for item in (str(batch), [counted % {"count": rows}])]
        counts = {ImportBatch._meta.verbose_name_plural: len(objs)}
        return deleted, counts, set(), []

    def delete_model(self, request, obj):
        try:
            services.delete_batch(batch=obj, by=request.user)
        except services.BatchError as refusal:
            messages.error(request, str(refusal))

    @admin.action(description=_("Resume the selected stalled imports"), permissions=["change"])
    def resume_stalled(self, request, queryset):
        resumed = 0
        for batch in queryset:
            try:
                services.resume(batch=batch, by=request.user, read_later=tasks.plan_batch_task.enqueue)
            except services.BatchError:
                continue
            resumed += 1
        if resumed:
            message = ngettext("Resumed %(count)d import.", "Resumed %(count)d imports.", resumed)
            messages.success(request, message % {"count": resumed})
        else:
            messages.warning(request, _("None of the selected imports is stalled: nothing was changed."))

    def get_urls(self):
        resume = path(
            "<path:object_id>/resume/",
            self.admin_site.admin_view(self.resume_view),
            name="imports_importbatch_resume",
        )
        return [resume, *super().get_urls()]

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

    def _batch(self, request, object_id) -> ImportBatch:
        if not (str(object_id).isdigit() and len(str(object_id)) < 19):
            raise Http404
        batch = get_object_or_404(ImportBatch.objects.defer("data"), pk=object_id)
        if not self.has_view_or_change_permission(request, batch):
            raise PermissionDenied
        return batch

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self._batch(request, object_id)
        where = ReviewPage(request.GET)
        rows = services.rows_for_review(batch, where.group_key)
        page = Paginator(rows, ROWS_PER_PAGE).get_page(where.page_number)
        page_rows = rows.filter(pk__in=list(page.object_list.values_list("pk", flat=True)))
        if request.method != "POST":
            formset = RowDecisions(queryset=page_rows, prefix=ROWS_PREFIX)
            return self._review(request, batch, formset, page, where.group_key)
        if not self.has_change_permission(request, batch) or batch.state != ImportBatch.State.READY:
            raise PermissionDenied
        formset = RowDecisions(request.POST, queryset=page_rows, prefix=ROWS_PREFIX)
        if not formset.is_valid():
            messages.error(
                request, _("Some decisions could not be read: nothing was saved. Please check them.")
            )
            return self._review(request, batch, formset, page, where.group_key)
        decisions = {
            form.instance.pk: (form.cleaned_data["decision"], form.cleaned_data["note"])
            for form in formset
            if form.instance.pk
        }
        try:
            services.decide(batch=batch, decisions=decisions, by=request.user)
            if "accept_all" in request.POST:
                services.accept_all(batch=batch, by=request.user)
            if "accept_all" in request.POST or "apply" in request.POST:
                result = services.apply(
                    batch=batch, by=request.user, apply_later=tasks.apply_batch_task.enqueue
                )
                if result is None:
                    messages.success(request, _("The accepted records are being applied in the background."))
                else:
                    messages.success(
                        request, _("Applied %(count)d accepted records.") % {"count": result["applied"]}
                    )
            else:
                messages.success(request, _("Decisions saved."))
        except services.BatchError as refusal:
            messages.error(request, str(refusal))
        return redirect(request.get_full_path())

    def resume_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        batch = self._batch(request, object_id)
        if not self.has_change_permission(request, batch):
            raise PermissionDenied
        try:
            services.resume(batch=batch, by=request.user, read_later=tasks.plan_batch_task.enqueue)
            messages.success(request, _("The import was resumed."))
        except services.BatchError as refusal:
            messages.error(request, str(refusal))
        return redirect("admin:imports_importbatch_change", batch.pk)

    def _review(self, request, batch: ImportBatch, formset, page, group: str) -> TemplateResponse:
        counts = services.group_counts(batch)
        groups = [
            (
                key,
                GROUP_LABELS[key],
                counts.get(key, 0),
                [form for form in formset if form.instance.group == key],
            )
            for key in services.GROUP_ORDER
        ]
        history = history_of(batch)
        context = {
            **self.admin_site.each_context(request),
            "batch": batch,
            "formset": formset,
            "groups": [entry for entry in groups if entry[3]],
            "group_links": [
                (key, GROUP_LABELS[key], counts[key]) for key in services.GROUP_ORDER if key in counts
            ],
            "group": group,
            "page": page,
            "title": str(batch),
            "opts": self.model._meta,
            "can_apply": batch.state == ImportBatch.State.READY
            and self.has_change_permission(request, batch),
            "can_resume": batch.stalled and self.has_change_permission(request, batch),
            "can_delete": self.has_delete_permission(request, batch),
            "working": batch.working and not batch.stalled,
            "history": history[:HISTORY_SHOWN],
            "history_count": history.count(),
            "history_shown": HISTORY_SHOWN,
        }
        return TemplateResponse(request, "admin/imports/review.html", context)
