"""Letters: whether letters reach a person, the censor's rules as data, letters handed to volunteers
and the replies they bring back.

A writer is never identified: a letter is followed by a keyed hash of a codename (the writer's
friend codename, or one made for the letter), and carries dates, never times of day. Texts and
reply scans are deleted when their purpose is served (`services.purge`); only the counts remain.
"""

import datetime
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from solidarity.friends.models import Friend
from solidarity.registry.models import SOURCE_REQUIRED, Facility, Person, Sourced, has_source

from .rules import term_errors


class Reachability(Sourced):
    """What is known of letters reaching a person, or everyone in a facility, as of a date."""

    class Status(models.TextChoices):
        ARRIVE = "arrive", _("letters arrive")
        RELATIVES_ONLY = "relatives_only", _("only letters from relatives are handed over")
        INCOMMUNICADO = "incommunicado", _("held incommunicado: letters are not handed over")
        UNKNOWN = "unknown", _("not known")

    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reachability",
        verbose_name=_("person"),
    )
    facility = models.ForeignKey(
        Facility,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reachability",
        verbose_name=_("facility"),
    )
    status = models.CharField(_("letters"), max_length=20, choices=Status.choices)
    as_of = models.DateField(_("as of"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-as_of", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, facility__isnull=True)
                | Q(person__isnull=True, facility__isnull=False),
                name="reachability_of_person_or_facility",
                violation_error_message=_("Choose a person or a facility, not both."),
            ),
            models.CheckConstraint(
                condition=has_source(),
                name="reachability_has_source",
                violation_error_message=SOURCE_REQUIRED,
            ),
        ]
        verbose_name = _("whether letters arrive")
        verbose_name_plural = _("whether letters arrive")

    def __str__(self) -> str:
        return f"{self.person or self.facility}: {self.get_status_display()} ({self.as_of})"


class RuleSet(models.Model):
    """A country's censorship rules: the longest letter it passes, and the word lists below."""

    country = models.CharField(_("country"), max_length=2, unique=True, help_text=_("ISO code, e.g. BY."))
    max_characters = models.PositiveIntegerField(
        _("longest letter (characters)"),
        default=3000,
        help_text=_("Longer letters wait for weeks or are thrown away."),
    )
    # The fingerprint of the rules as last loaded from the country's file: while the stored rules
    # still match it, nobody has edited them, and a newer file may replace them.
    loaded_digest = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["country"]
        verbose_name = _("censorship rules of a country")
        verbose_name_plural = _("censorship rules")

    def __str__(self) -> str:
        return self.country


class Rule(models.Model):
    """One list of terms a censor objects to. Terms, one per line: `word` (that word only),
    `stem*` (any word starting so), `two words` (a phrase), `re:<regular expression>`, or
    `sentence: a | b & c & !d` (words together in one sentence, unless one marked ! is there too)."""

    class Category(models.TextChoices):
        POLITICS = "politics", _("politics")
        ALLUSION = "allusion", _("hints at politics")
        WAR = "war", _("the war")
        CASE = "case", _("the case or the trial")
        OFFICIAL = "official", _("officials")
        ABBREVIATION = "abbreviation", _("abbreviations")
        LINK = "link", _("links")

    class Language(models.TextChoices):
        ANY = "", _("any language")
        RU = "ru", _("Russian")
        BE = "be", _("Belarusian")

    ruleset = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, blank=True)
    terms = models.TextField(
        _("terms"),
        help_text=_(
            "One per line: a word (matches that word only), a stem ending in * (any word starting so), "
            "a phrase of several words, re: followed by a regular expression, or sentence: followed by "
            "parts joined by & that must all be in one sentence (each part's choices joined by |; a part "
            "starting with ! must not be there). Case and ё/е do not matter."
        ),
    )

    class Meta:
        ordering = ["ruleset", "category", "language"]
        verbose_name = _("rule")
        verbose_name_plural = _("rules")

    def __str__(self) -> str:
        return f"{self.ruleset} {self.get_category_display()} ({self.language or '*'})"

    def clean(self) -> None:
        errors = term_errors(self.terms)
        if errors:
            raise ValidationError({"terms": errors})


class PrivateStorage(FileSystemStorage):
    """Outside MEDIA_ROOT: these files are served only by views that check who asks (the writer's
    with the codename, the back office's to volunteers). The folder is read from settings on every
    use, so that tests can move it."""

    @property
    def base_location(self):
        return settings.PRIVATE_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        return reverse("admin:letters_reply_scan", args=[name])


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


class LetterQuerySet(models.QuerySet):
    def followed_by(self, key_hash: str) -> "LetterQuerySet":
        """The letters whose writer holds the codename with this keyed hash."""
        return self.filter(Q(codename_hash=key_hash) | Q(friend__key_hash=key_hash))


class Letter(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("letter")
        POSTCARD = "postcard", _("postcard")

    class State(models.TextChoices):
        WAITING = "waiting", _("waiting for a volunteer")
        APPROVED = "approved", _("approved, to be printed and mailed")
        SEALED = "sealed", _("approved, kept sealed until release")
        RETURNED = "returned", _("returned to the writer")
        MAILED = "mailed", _("mailed")
        HANDED_OVER = "handed_over", _("handed over on release")

    class Language(models.TextChoices):
        RU = "ru", _("Russian")
        BE = "be", _("Belarusian")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="letters", verbose_name=_("to"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LETTER)
    design = models.CharField(_("postcard design"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.RU)
    body = models.TextField(_("text"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.WAITING)
    sealed = models.BooleanField(
        _("to be kept sealed"), default=False, help_text=_("Handed over on release instead of mailed.")
    )
    risk_accepted = models.BooleanField(
        _("sent knowing the risk"),
        default=False,
        help_text=_("The checker marked something, and the writer handed the letter over even so."),
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    friend = models.ForeignKey(
        Friend, on_delete=models.SET_NULL, null=True, blank=True, related_name="letters"
    )
    codename_hash = models.CharField(max_length=64, blank=True, db_index=True)
    submitted_on = models.DateField(_("handed over on"), auto_now_add=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    printed_on = models.DateField(_("printed on"), null=True, blank=True)
    mailed_on = models.DateField(_("mailed on"), null=True, blank=True)
    text_deleted_on = models.DateField(_("text deleted on"), null=True, blank=True)
    replies_received = models.PositiveIntegerField(_("replies received"), default=0)

    objects = LetterQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_on", "id"]
        indexes = [models.Index(fields=["state", "submitted_on"])]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self) -> str:
        return _("%(kind)s #%(number)s to %(name)s") % {
            "kind": self.get_kind_display(),
            "number": self.pk,
            "name": self.person.full_name,
        }

    @property
    def text_kept_until(self) -> datetime.date | None:
        ended = self.mailed_on or (self.decided_on if self.state == self.State.RETURNED else None)
        if ended is None or self.text_deleted_on:
            return None
        return ended + datetime.timedelta(days=settings.LETTERS_TEXT_DAYS)


class Reply(models.Model):
    """A scan of a prisoner's reply, brought back by a volunteer for the writer alone to read."""

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="replies", verbose_name=_("letter")
    )
    scan = models.FileField(_("scan"), storage=private_storage, upload_to="replies/")
    content_type = models.CharField(max_length=50, editable=False)
    received_on = models.DateField(_("received on"), auto_now_add=True)
    first_read_on = models.DateField(_("first read on"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["received_on", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return _("reply to %(letter)s") % {"letter": self.letter}

    @property
    def kept_until(self) -> datetime.date | None:
        if self.first_read_on is None:
            return None
        return self.first_read_on + datetime.timedelta(days=settings.LETTERS_REPLY_DAYS)


def delete_scan_file(sender, instance: Reply, **kwargs) -> None:
    """A reply's file goes with its row, however the row goes (deleted reply, letter or person),
    once the deletion is committed: a deletion rolled back keeps its file."""
    storage, name = instance.scan.storage, instance.scan.name
    transaction.on_commit(lambda: storage.delete(name))


post_delete.connect(delete_scan_file, sender=Reply, dispatch_uid="letters-reply-file")
