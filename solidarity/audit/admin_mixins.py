"""Admin classes that show a record's audit history on its page (`HistoryAdmin`), and whose every
add, change and delete (inlines included) leaves an audit entry (`AuditedAdmin`)."""

from django.contrib import admin
from django.db import models

from .models import AuditEntry
from .services import history_of, log_change, snapshot


def _fresh_snapshot(obj: models.Model) -> dict:
    return snapshot(type(obj)._default_manager.get(pk=obj.pk))


class AuditedInline(admin.TabularInline):
    """An inline whose objects belong to the parent's public record."""

    extra = 0
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class HistoryAdmin(admin.ModelAdmin):
    """Shows the audit history of the record on its page: for records whose changes are named
    operations (the letters' queue), audited by the operations themselves."""

    change_form_template = "audit/change_form_with_history.html"

    def audit_record(self, obj: models.Model) -> models.Model:
        """The public record a change to `obj` belongs to; the object itself by default."""
        return obj

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if obj is not None:
            extra_context["audit_history"] = history_of(self.audit_record(obj))[:200]
        return super().change_view(request, object_id, form_url, extra_context)


class AuditedAdmin(HistoryAdmin):
    """Audits the object, its many-to-many fields and its inlines, with the field diff.

    The object's state before the change is read from the database when the form is saved, and
    the state after once the related objects are saved too, so the diff includes everything.
    """

    # A source typed without a scheme is an https one (Django 6's default).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        obj._audit_before = _fresh_snapshot(obj) if change else {}
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        log_change(
            actor=request.user,
            actor_label=request.user.get_username(),
            obj=obj,
            action=AuditEntry.Action.UPDATE if change else AuditEntry.Action.CREATE,
            before=getattr(obj, "_audit_before", {}),
            after=_fresh_snapshot(obj),
            record=self.audit_record(obj),
        )
        self.after_audited_save(request, obj)

    def after_audited_save(self, request, obj) -> None:
        """A hook for work that follows a saved change (such as recomputing derived fields)."""

    def save_formset(self, request, form, formset, change):
        record = self.audit_record(form.instance)
        before = {
            f.instance.pk: _fresh_snapshot(f.instance)
            for f in formset.initial_forms
            if f.instance.pk and f.has_changed()
        }
        deleted = [(f.instance, snapshot(f.instance)) for f in formset.deleted_forms if f.instance.pk]
        instances = formset.save()
        user = request.user
        for obj, state in deleted:
            log_change(
                actor=user,
                actor_label=user.get_username(),
                obj=obj,
                action=AuditEntry.Action.DELETE,
                before=state,
                record=record,
            )
        for obj in instances:
            log_change(
                actor=user,
                actor_label=user.get_username(),
                obj=obj,
                action=AuditEntry.Action.UPDATE if obj.pk in before else AuditEntry.Action.CREATE,
                before=before.get(obj.pk, {}),
                after=_fresh_snapshot(obj),
                record=record,
            )

    def delete_model(self, request, obj):
        self._log_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._log_deletion(request, obj)
        super().delete_queryset(request, queryset)

    def _log_deletion(self, request, obj):
        log_change(
            actor=request.user,
            actor_label=request.user.get_username(),
            obj=obj,
            action=AuditEntry.Action.DELETE,
            before=snapshot(obj),
            record=self.audit_record(obj),
        )
