"""The volunteers' queue: approve or return letters, print the approved ones in one PDF with their
envelopes, mark them mailed, keep sealed letters and hand them over, upload replies. And the
editable data of letters: whether letters arrive, and the censor's rules."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from solidarity.audit.admin_mixins import AuditedAdmin, HistoryAdmin

from . import services
from .forms import MailedForm, ReasonForm, ReplyForm
from .models import Letter, Reachability, Reply, Rule, RuleSet


@admin.register(Reachability)
class ReachabilityAdmin(AuditedAdmin):
    list_display = ["__str__", "status", "as_of"]
    list_filter = ["status"]
    autocomplete_fields = ["person", "facility"]
    search_fields = ["person__last_name", "person__first_name", "facility__name"]
    date_hierarchy = "as_of"


class RuleInline(admin.StackedInline):
    model = Rule
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(AuditedAdmin):
    """Every change to a country's rules and their terms is in the ruleset's history."""

    list_display = ["country", "max_characters"]
    inlines = [RuleInline]


class ReplyInline(admin.TabularInline):
    model = Reply
    form = ReplyForm
    extra = 1
    fields = ["scan", "received_on", "first_read_on"]
    readonly_fields = ["received_on", "first_read_on"]

    def has_change_permission(self, request, obj=None):
        return False  # a scan is uploaded or deleted, never edited


@admin.register(Letter)
class LetterAdmin(HistoryAdmin):
    """A letter is never edited here: its actions and its replies go through `services`, which
    write its history, shown on its page."""

    list_display = [
        "pk",
        "person",
        "kind",
        "state",
        "sealed",
        "risk_accepted",
        "submitted_on",
        "decided_on",
        "printed_on",
        "mailed_on",
        "replies_received",
    ]
    list_filter = ["state", ("printed_on", admin.EmptyFieldListFilter), "kind", "sealed", "risk_accepted"]
    search_fields = ["person__last_name", "person__first_name"]
    list_select_related = ["person"]
    readonly_fields = [
        "person",
        "address",
        "kind",
        "design",
        "language",
        "body",
        "state",
        "sealed",
        "risk_accepted",
        "return_reason",
        "submitted_on",
        "decided_on",
        "decided_by",
        "printed_on",
        "mailed_on",
        "text_deleted_on",
        "replies_received",
    ]
    fields = readonly_fields
    inlines = [ReplyInline]
    actions = ["approve", "return_to_writer", "print_batch", "print_again", "mark_mailed", "hand_over_sealed"]

    @admin.display(description=_("address"))
    def address(self, letter: Letter) -> str:
        facility = letter.person.current_facility
        return facility.postal_address_cyrillic if facility else "—"

    def has_add_permission(self, request):
        return False  # letters come from writers only

    def get_urls(self):
        scan = self.admin_site.admin_view(self.scan_view)
        return [path("scan/<path:name>", scan, name="letters_reply_scan"), *super().get_urls()]

    def scan_view(self, request, name: str):
        """A reply's scan, for volunteers to check what they uploaded."""
        if not request.user.has_perm("letters.view_reply"):
            raise PermissionDenied
        reply = get_object_or_404(Reply, scan=name)
        response = FileResponse(reply.scan.open("rb"), content_type=reply.content_type, as_attachment=True)
        response["Cache-Control"] = "no-store"
        return response

    def save_model(self, request, obj, form, change):
        """Nothing to save: every field is read-only, and a full save would write back a state
        another volunteer may have changed meanwhile. The page saves its replies only."""

    def save_formset(self, request, form, formset, change):
        """Replies go through `services.attach_reply`, which checks what the file really is."""
        for reply_form in formset.forms:
            scan = reply_form.cleaned_data.get("scan") if reply_form.has_changed() else None
            if scan and not reply_form.instance.pk:
                try:
                    services.attach_reply(letter=form.instance, scan=scan, by=request.user)
                    messages.success(request, _("The reply was uploaded; the writer can read it now."))
                except services.LetterError as refusal:
                    messages.error(request, str(refusal))
        formset.deleted_objects = [form.instance for form in formset.deleted_forms if form.instance.pk]
        for reply in formset.deleted_objects:
            services.delete_reply(reply=reply, by=request.user)
        formset.new_objects, formset.changed_objects = [], []  # for the admin's change message

    def _done(self, request, count: int, message: str) -> None:
        self.message_user(
            request, message % {"count": count}, messages.SUCCESS if count else messages.WARNING
        )

    @admin.action(description=_("Approve the chosen letters"), permissions=["change"])
    def approve(self, request, queryset):
        count = services.approve(letters=queryset, by=request.user, day=timezone.localdate())
        self._done(
            request, count, ngettext("%(count)s letter approved.", "%(count)s letters approved.", count)
        )

    @admin.action(
        description=_("Return the chosen letters to their writers, with a reason"), permissions=["change"]
    )
    def return_to_writer(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            count = services.return_to_writer(
                letters=queryset,
                by=request.user,
                day=timezone.localdate(),
                reason=form.cleaned_data["reason"],
            )
            self._done(
                request, count, ngettext("%(count)s letter returned.", "%(count)s letters returned.", count)
            )
            return None
        return self._ask(request, queryset, form, "return_to_writer", _("Return letters to their writers"))

    @admin.action(description=_("Print the chosen letters with envelopes (PDF)"), permissions=["change"])
    def print_batch(self, request, queryset):
        return self._print(request, queryset, again=False)

    @admin.action(description=_("Print the chosen letters again (PDF)"), permissions=["change"])
    def print_again(self, request, queryset):
        return self._print(request, queryset, again=True)

    def _print(self, request, queryset, *, again: bool):
        """One PDF of approved and sealed letters with their envelopes. A letter is printed once
        unless asked again, so that a daily "print all" never puts a letter in the post twice."""
        letters = list(services.printable(queryset, again=again))
        if not letters:
            if again:
                refusal = _("Only letters printed before can be printed again; none was chosen.")
            else:
                refusal = _("None of the chosen letters is approved and not yet printed.")
            self.message_user(request, refusal, messages.WARNING)
            return None
        from .pdf import Sheet, document_for  # fpdf and its fonts load with the first letter printed

        today = timezone.localdate()
        sheets = [
            Sheet(
                person=letter.person,
                facility=letter.person.current_facility,
                kind=letter.kind,
                language=letter.language,
                body=letter.body,
                day=today,
                design=letter.design,
            )
            for letter in letters
        ]
        response = HttpResponse(document_for(sheets), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="letters-{today:%Y-%m-%d}.pdf"'
        services.mark_printed(
            letters=queryset.filter(pk__in=[letter.pk for letter in letters]), by=request.user, day=today
        )
        return response

    @admin.action(description=_("Mark the chosen printed letters mailed"), permissions=["change"])
    def mark_mailed(self, request, queryset):
        form = MailedForm(
            request.POST if "apply" in request.POST else None, initial={"day": timezone.localdate()}
        )
        if form.is_valid():
            count = services.mark_mailed(letters=queryset, by=request.user, day=form.cleaned_data["day"])
            self._done(
                request,
                count,
                ngettext("%(count)s letter marked mailed.", "%(count)s letters marked mailed.", count),
            )
            return None
        return self._ask(request, queryset, form, "mark_mailed", _("Mark letters mailed"))

    @admin.action(
        description=_("Hand over the chosen sealed letters to people released"), permissions=["change"]
    )
    def hand_over_sealed(self, request, queryset):
        count = services.hand_over_sealed(letters=queryset, by=request.user, day=timezone.localdate())
        self._done(
            request,
            count,
            ngettext("%(count)s sealed letter handed over.", "%(count)s sealed letters handed over.", count),
        )

    def _ask(self, request, queryset, form, action: str, title: str) -> TemplateResponse:
        """The intermediate page of an action that needs a reason or a date."""
        return TemplateResponse(
            request,
            "admin/letters/letter/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "letters": queryset.select_related("person"),
                "action": action,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
