"""Testimonies, as the server keeps them: sealed. Nothing here can be read without the legal
team's private key, which the server never holds, except what the legal team needs to handle a
testimony without opening it (the day it arrived, its sizes, the consent the witness gave, its
status). Days only: no time of day says when a witness was at a computer."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Testimony(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        EXPORTED = "exported", _("exported")
        CONFIRMED = "confirmed", _("confirmed by the legal team")

    reference = models.CharField(_("reference"), max_length=12, unique=True)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RECEIVED)
    consent_legal_team = models.BooleanField(_("the legal team may use it"), default=False)
    consent_court = models.BooleanField(_("it may be submitted to a court"), default=False)
    consent_publication = models.BooleanField(_("it may be published without names"), default=False)
    withdrawn_on = models.DateField(_("consent withdrawn on"), null=True, blank=True)
    # The witness's codename as a keyed hash (a key of its own, not the friends'), and the public
    # half of the key pair derived from it, to which the legal team's questions are sealed.
    follow_up = models.CharField(max_length=64, unique=True)
    witness_salt = models.BinaryField(max_length=16)
    witness_key = models.BinaryField(max_length=32)
    delete_after = models.DateField(_("deleted after"))

    class Meta:
        verbose_name = _("testimony")
        verbose_name_plural = _("testimonies")
        ordering = ["-received_on", "-pk"]
        permissions = [("export_testimony", _("Can export sealed testimonies and confirm their receipt"))]

    def __str__(self) -> str:
        return self.reference


class SealedPart(models.Model):
    """Answers to the questionnaire, or what the witness added later: a sealed box of JSON."""

    class Kind(models.TextChoices):
        ANSWERS = "answers", _("answers")
        ADDITION = "addition", _("addition")

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    added_on = models.DateField(_("added on"), default=timezone.localdate)
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("sealed part")
        verbose_name_plural = _("sealed parts")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.testimony} {self.kind} {self.added_on}"

    @property
    def size(self) -> int:
        return len(self.sealed)


class SealedFile(models.Model):
    """An attachment, sealed as it arrived; its name, type and SHA-256 are sealed beside it, and
    so is the key of the file's stream. Its ciphertext lives in the database (`SealedChunk`), not
    in files: a file system would date each file to the second, in times nobody can reset.
    Until the submission it came with is stored, it belongs to no testimony (pending); pending
    files of a post that never went through are deleted with it, or by `purge` after a day."""

    testimony = models.ForeignKey(
        Testimony, on_delete=models.CASCADE, related_name="files", null=True, blank=True
    )
    stored_name = models.CharField(max_length=64, unique=True)  # its name in an exported bundle
    added_on = models.DateField(_("added on"), default=timezone.localdate)
    sealed_key = models.BinaryField(default=b"")
    sealed_meta = models.BinaryField(default=b"")
    size = models.BigIntegerField(_("size, sealed"), default=0)

    class Meta:
        verbose_name = _("sealed file")
        verbose_name_plural = _("sealed files")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.testimony} {self.stored_name}"


class SealedChunk(models.Model):
    """A run of a sealed file's ciphertext (about a megabyte), in order: joined, they are the
    file's secret stream, header first."""

    file = models.ForeignKey(SealedFile, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["file", "number"], name="one_chunk_per_place")]
        ordering = ["file", "number"]

    def __str__(self) -> str:
        return f"{self.file_id}/{self.number}"


class UploadTicket(models.Model):
    """A used upload ticket (`uploads.new_ticket`), as a hash: a form page lets its files be sealed
    once, and a post that no page of ours handed out seals nothing."""

    digest = models.CharField(max_length=64, unique=True)
    used_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return self.digest[:12]


class Question(models.Model):
    """The legal team's question to the witness, sealed to the witness's key: the server keeps
    only what it cannot read."""

    testimony = models.ForeignKey(Testimony, on_delete=models.CASCADE, related_name="questions")
    asked_on = models.DateField(_("asked on"), default=timezone.localdate)
    sealed = models.BinaryField()

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.testimony} {self.asked_on}"


class CustodyEvent(models.Model):
    """The chain of custody: received, exported, confirmed, deleted; by which role, on which day.
    It names the testimony by its reference, so that a deletion is recorded after the rows go."""

    class Role(models.TextChoices):
        SITE = "site", _("the site")
        WITNESS = "witness", _("the witness")
        LEGAL = "legal team", _("the legal team")
        RETENTION = "retention", _("retention")

    class What(models.TextChoices):
        RECEIVED = "received", _("received")
        ADDED = "added", _("added to by the witness")
        WITHDRAWN = "withdrawn", _("consent withdrawn")
        ASKED = "asked", _("question sent")
        EXPORTED = "exported", _("exported")
        CONFIRMED = "confirmed", _("receipt confirmed")
        DELETED = "deleted", _("deleted")

    reference = models.CharField(_("reference"), max_length=12, db_index=True)
    what = models.CharField(_("what"), max_length=10, choices=What.choices)
    role = models.CharField(_("role"), max_length=40, choices=Role.choices)
    on = models.DateField(_("on"), default=timezone.localdate)

    class Meta:
        verbose_name = _("custody event")
        verbose_name_plural = _("custody events")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.reference} {self.what} {self.on}"
