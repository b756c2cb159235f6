"""The magazine: articles about the registry's people, their images, the safety review that must
precede publication, and a revision for every save. Staff write here; visitors only read, and
nothing here records a reader."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarity.registry.models import Person


class Author(models.Model):
    name = models.CharField(_("name"), max_length=120, help_text=_("A pen name is fine."))
    about = models.TextField(_("about"), blank=True)

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    slug = models.SlugField(_("address"), unique=True, max_length=60)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name or self.slug


class Article(models.Model):
    class Kind(models.TextChoices):
        STORY = "story", _("story")
        MONOLOGUE = "monologue", _("monologue")
        INTERVIEW = "interview", _("interview")
        LETTER = "letter", _("letter from prison")
        NEWS = "news", _("news")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        IN_REVIEW = "in_review", _("in review")
        APPROVED = "approved", _("approved")
        SCHEDULED = "scheduled", _("scheduled")
        PUBLISHED = "published", _("published")
        RETRACTED = "retracted", _("retracted")

    slug = models.SlugField(
        _("address"), unique=True, max_length=120, help_text=_("Latin letters, digits, hyphens.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STORY)
    # Translated per interface language (modeltranslation): title_be, title_ru, title_en...
    title = models.CharField(_("title"), max_length=200, blank=True)
    lead = models.TextField(_("lead"), blank=True, help_text=_("One or two sentences under the title."))
    body = models.TextField(_("text"), blank=True, help_text=_("Markdown. An image: ![](image:NUMBER)."))
    # Each language's words, folded as the registry's search folds them, for the magazine's search.
    search_words = models.TextField(blank=True, editable=False)
    authors = models.ManyToManyField(Author, verbose_name=_("authors"), blank=True, related_name="articles")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    subjects = models.ManyToManyField(
        Person,
        verbose_name=_("about"),
        blank=True,
        related_name="articles",
        help_text=_("The people the article is about: it shows on their profiles."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)
    retraction_reason = models.TextField(_("why it was retracted"), blank=True, editable=False)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-pk"]
        permissions = [("review_article", _("Can review, schedule, publish and retract articles"))]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self) -> str:
        return self.title or self.slug

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def languages(self) -> list[str]:
        """The interface languages it is written in: a title and a text in that language."""
        return [
            code
            for code, _name in settings.LANGUAGES
            if getattr(self, f"title_{code}", "") and getattr(self, f"body_{code}", "")
        ]


class Image(models.Model):
    """A picture for an article, kept only as our own re-encoded copies in a few widths: the
    uploaded file, with whatever its camera wrote into it, is never stored."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images")
    alt = models.CharField(
        _("description for those who cannot see it"),
        max_length=300,
        blank=True,
        help_text=_("What the picture shows, in words: required."),
    )
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    credit = models.CharField(_("credit"), max_length=120, blank=True)
    name = models.CharField(max_length=40, editable=False)  # the files' stem under MEDIA_ROOT/magazine/
    widths = models.JSONField(default=list, editable=False)  # the widths made, smallest first
    width = models.PositiveIntegerField(default=0, editable=False)  # of the widest copy
    height = models.PositiveIntegerField(default=0, editable=False)
    blurred = models.TextField(
        _("areas blurred"),
        blank=True,
        editable=False,
        help_text=_("Areas blurred when it was uploaded, in percent of the picture: left top width height."),
    )

    class Meta:
        verbose_name = _("image")
        verbose_name_plural = _("images")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"image:{self.pk}"

    def url(self, width: int) -> str:
        return f"{settings.MEDIA_URL}magazine/{self.name}-{width}.jpg"


class SafetyReview(models.Model):
    """What an editor checked before an article could be approved, for one revision of it."""

    class ConsentFrom(models.TextChoices):
        SUBJECT = "subject", _("the person it is about")
        FAMILY = "family", _("their family")
        LAWYER = "representative", _("their representative")
        NOT_NEEDED = "public", _("not needed: only what is already public")

    class Scope(models.TextChoices):
        THIS = "this", _("this article on our site")
        PARTNERS = "partners", _("our site and partners' republication")
        ANY = "any", _("any republication")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="reviews"
    )
    revision = models.ForeignKey(
        "Revision", verbose_name=_("revision"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    consent_from = models.CharField(_("consent given by"), max_length=16, choices=ConsentFrom.choices)
    consent_scope = models.CharField(_("consent covers"), max_length=10, choices=Scope.choices)
    consent_note = models.CharField(
        _("how consent was given"),
        max_length=300,
        blank=True,
        help_text=_("When and how, without anything that identifies who gave it."),
    )
    others_protected = models.BooleanField(
        _("no one else still inside can be identified"),
        default=False,
        help_text=_("Names of other prisoners, guards, cellmates, witnesses."),
    )
    places_and_dates_safe = models.BooleanField(
        _("no place or date points to a source inside"),
        default=False,
        help_text=_("A cell, a shift, the day a letter was passed on."),
    )
    faces_blurred = models.BooleanField(
        _("faces of third parties are blurred in every image (or no image shows one)"),
        default=False,
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("safety review")
        verbose_name_plural = _("safety reviews")
        ordering = ["-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article} · {self.reviewed_at:%Y-%m-%d}"

    @property
    def complete(self) -> bool:
        return self.others_protected and self.places_and_dates_safe and self.faces_blurred


class Revision(models.Model):
    """The article's content as one save left it: every language's title, lead and text, its
    kind, tags and subjects."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(default=timezone.now)
    content = models.JSONField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="one_revision_number")]

    def __str__(self) -> str:
        return f"{self.article} #{self.number}"
