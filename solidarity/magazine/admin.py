"""The magazine's back office: authors write and send for review; editors review the article's
safety, approve, schedule, publish, retract, and restore older revisions. Every move is a named
operation (`services`); every save keeps a revision."""

import difflib

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline

from solidarity.audit.admin_mixins import AuditedAdmin

from . import images, reading, safety, services, tasks
from .models import Article, Author, Image, Revision, SafetyReview, Tag


class ImageForm(forms.ModelForm):
    upload = forms.ImageField(
        label=_("picture"),
        required=False,
        help_text=_(
            "JPEG, PNG, WebP or GIF. Only its pixels are kept: location, camera and time are dropped."
        ),
    )
    blur = forms.CharField(
        label=_("blur these areas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            'One area per line, in percent of the picture: left top width height ("40 10 20 25"). '
            "Blurred before anything is stored: the unblurred picture is never kept."
        ),
    )

    class Meta:
        model = Image
        fields = ["alt", "caption", "credit"]

    def clean(self):
        data = super().clean()
        upload, blur = data.get("upload"), data.get("blur", "")
        self.prepared = None
        if upload is None and not self.instance.name:
            if self.has_changed():
                self.add_error("upload", _("Choose the picture."))
            return data
        if upload is None and blur.strip():
            # Our copies hold no unblurred original to blur again: the picture itself must come.
            self.add_error("blur", _("Upload the picture again to blur it."))
        if not any(value for name, value in data.items() if name.startswith("alt_")) and not data.get("alt"):
            self.add_error(None, _("Describe the picture for those who cannot see it."))
        try:
            images.parse_areas(blur)
        except images.Refused as refused:
            self.add_error("blur", str(refused))
            return data
        if upload is not None:
            try:
                upload.seek(0)
                self.prepared = images.prepare(upload, blur)
            except images.Refused as refused:
                self.add_error("upload", str(refused))
        return data

    def save(self, commit=True):
        image = super().save(commit=False)
        if self.prepared is not None:
            old = (image.name, image.widths) if image.name else None
            stored = images.save(self.prepared)
            image.name, image.widths, image.width, image.height = (
                stored.name,
                stored.widths,
                stored.width,
                stored.height,
            )
            image.blurred = self.cleaned_data.get("blur", "")
            if old:
                images.delete(*old)
        if commit:
            image.save()
        return image


class ImageInline(TranslationStackedInline):
    model = Image
    form = ImageForm
    extra = 0
    fields = ["preview", "upload", "blur", "alt", "caption", "credit", "blurred"]
    readonly_fields = ["preview", "blurred"]

    @admin.display(description=_("in the text"))
    def preview(self, image: Image) -> str:
        if not image.name:
            return "—"
        return format_html(
            '<img src="{}" alt="" width="160"> <code>![]({})</code>', image.url(image.widths[0]), image
        )


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["slug", "kind", "title", "lead", "body", "authors", "tags", "subjects"]
        widgets = {"authors": forms.CheckboxSelectMultiple, "tags": forms.CheckboxSelectMultiple}


@admin.register(Article)
class ArticleAdmin(AuditedAdmin, TranslationAdmin):
    form = ArticleForm
    change_form_template = "admin/magazine/article/change_form.html"
    list_display = ["__str__", "kind", "status", "publish_at", "published_at"]
    list_filter = ["status", "kind", "tags"]
    search_fields = ["title_be", "title_ru", "title_en", "slug"]
    autocomplete_fields = ["subjects"]
    readonly_fields = ["status", "publish_at", "published_at"]
    inlines = [ImageInline]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None or request.user.has_perm(services.REVIEW_PERMISSION):
            return allowed
        return obj.status in (Article.Status.DRAFT, Article.Status.IN_REVIEW)  # authors: before approval

    def save_model(self, request, obj, form, change):
        if not change:
            obj.written_by = request.user
        else:
            # The workflow's fields as they are now: a move made while this form was open
            # (approval, publication) is not undone by the state the form was loaded with.
            current = (
                Article.objects.select_for_update().filter(pk=obj.pk).values(*services.WORKFLOW_FIELDS).get()
            )
            for name, value in current.items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)

    def after_audited_save(self, request, obj) -> None:
        before = obj.status
        services.save_revision(obj, by=request.user)
        obj.refresh_from_db()
        if obj.status != before:
            messages.warning(request, _("The text changed after approval: the article is back in review."))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/workflow/", view(self.workflow_view), name="magazine_article_workflow"),
            path(
                "<int:pk>/preview/<str:language>/", view(self.preview_view), name="magazine_article_preview"
            ),
            path(
                "<int:pk>/revisions/<int:number>/", view(self.revision_view), name="magazine_article_revision"
            ),
            *super().get_urls(),
        ]

    def _article(self, request, pk: int) -> Article:
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_permission(request, article):
            raise PermissionDenied
        return article

    def workflow_view(self, request, pk: int):
        """The article's state, what it lacks, the reviewer's notes and form, and the moves."""
        article = self._article(request, pk)
        latest = services.latest_revision(article)
        review_form = ReviewForm(
            request.POST if request.POST.get("move") == "review" else None,
            initial={"revision_number": latest.number if latest else None},
        )
        if request.method == "POST":
            done = self._move(request, article, request.POST.get("move", ""), review_form)
            if done:
                return redirect("admin:magazine_article_workflow", pk)
            article.refresh_from_db()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": _("Workflow: %(title)s") % {"title": article},
            "editor": request.user.has_perm(services.REVIEW_PERMISSION),
            "missing": services.missing_for_review(article),
            "notes": safety.notes_for(article) if article.status == Article.Status.IN_REVIEW else [],
            "review_form": review_form,
            "reviews": article.reviews.select_related("revision", "reviewed_by"),
            "reviewed": services.review_of_latest(article),
            "revisions": article.revisions.select_related("saved_by"),
            "now": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "images": article.images.count(),
            "languages": article.languages(),
        }
        return TemplateResponse(request, "admin/magazine/article/workflow.html", context)

    def _move(self, request, article: Article, move: str, review_form) -> bool:
        by = request.user
        try:
            if move == "submit":
                services.submit(article, by=by)
                messages.success(request, _("Sent for review."))
            elif move == "review":
                if not review_form.is_valid():
                    return False
                answers = dict(review_form.cleaned_data)
                services.record_review(
                    article, by=by, revision_number=answers.pop("revision_number"), **answers
                )
                messages.success(request, _("The safety review is recorded."))
            elif move == "approve":
                services.approve(article, by=by)
                messages.success(request, _("Approved."))
            elif move == "schedule":
                at = forms.DateTimeField(input_formats=["%Y-%m-%dT%H:%M"]).clean(request.POST.get("at"))
                services.schedule(article, at=at, by=by, publish_later=tasks.publish_later)
                messages.success(request, _("Scheduled."))
            elif move == "publish":
                services.publish(article, by=by)
                messages.success(request, _("Published."))
            elif move == "retract":
                services.retract(article, by=by, reason=request.POST.get("reason", ""))
                messages.success(request, _("Retracted: it is gone from every page, feed and issue."))
            elif move == "send_back":
                services.send_back(article, by=by, reason=request.POST.get("reason", ""))
                messages.success(request, _("Sent back to draft."))
            else:
                messages.error(request, _("Unknown step."))
                return False
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
            return False
        except forms.ValidationError:
            messages.error(request, _("Enter the date and time to publish."))
            return False
        return True

    def preview_view(self, request, pk: int, language: str):
        article = self._article(request, pk)
        if language not in article.languages():
            raise Http404
        context = {
            **reading.page_of(article, language),
            "translated": True,
            "preview": True,
            "subjects": list(article.subjects.all()),
        }
        return TemplateResponse(request, "magazine/article.html", context)  # never cached: admin_view

    def revision_view(self, request, pk: int, number: int):
        """One revision beside the one before it, word by word; an editor may restore it."""
        article = self._article(request, pk)
        revision = get_object_or_404(Revision, article=article, number=number)
        if request.method == "POST":
            try:
                services.restore(article, revision, by=request.user)
            except services.NotAllowed as refused:
                messages.error(request, str(refused))
            else:
                messages.success(
                    request, _("Revision %(number)s is restored as the newest.") % {"number": number}
                )
                return redirect("admin:magazine_article_workflow", pk)
        previous = Revision.objects.filter(article=article, number__lt=number).order_by("-number").first()
        before = previous.content if previous else {}
        changes = [
            (key, _word_diff(str(before.get(key, "")), str(value)))
            for key, value in revision.content.items()
            if before.get(key) != value
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": article,
            "title": _("Revision %(number)s of “%(title)s”") % {"number": number, "title": article},
            "revision": revision,
            "previous": previous,
            "changes": changes,
            "editor": request.user.has_perm(services.REVIEW_PERMISSION),
        }
        return TemplateResponse(request, "admin/magazine/article/revision.html", context)


def _word_diff(old: str, new: str) -> str:
    """The change from `old` to `new`, word by word, with <del> and <ins>."""
    old_words, new_words = old.split(" "), new.split(" ")
    shown: list[str] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(
        None, old_words, new_words, autojunk=False
    ).get_opcodes():
        if op == "equal":
            shown.append(escape(" ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            shown.append(format_html("<del>{}</del>", " ".join(old_words[a1:a2])))
        if b2 > b1:
            shown.append(format_html("<ins>{}</ins>", " ".join(new_words[b1:b2])))
    return format_html_join(" ", "{}", ((piece,) for piece in shown))


class ReviewForm(forms.ModelForm):
    # The revision the editor read: a review covers it and no later one.
    revision_number = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = SafetyReview
        fields = [
            "consent_from",
            "consent_scope",
            "consent_note",
            "others_protected",
            "places_and_dates_safe",
            "faces_blurred",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


@admin.register(Author)
class AuthorAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["name"]
    search_fields = ["name"]


@admin.register(Tag)
class TagAdmin(AuditedAdmin, TranslationAdmin):
    list_display = ["slug", "name"]
    search_fields = ["slug", "name"]
    prepopulated_fields = {"slug": ["name_en"]}


@admin.register(SafetyReview)
class SafetyReviewAdmin(admin.ModelAdmin):
    """Reviews are recorded on the article's workflow page and never edited."""

    list_display = [
        "article",
        "revision",
        "reviewed_by",
        "reviewed_at",
        "consent_from",
        "consent_scope",
        "complete",
    ]
    list_filter = ["consent_from", "consent_scope"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description=_("complete"))
    def complete(self, review: SafetyReview) -> bool:
        return review.complete
