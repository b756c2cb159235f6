import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from solidarity.registry.models import Facility, Person

from .wording import detail_lines, summary_lines


class FacilityAlias(models.Model):
    """How the canonical list names one of our facilities (title and address), remembered once an
    import matched or created it, so that the next import finds it at once."""

    key = models.CharField(max_length=600, unique=True)
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="aliases")

    def __str__(self) -> str:
        return self.key


# Work on a batch (reading, applying) shows progress every few seconds, except while applying
# writes its one transaction (minutes for 20,000 new people on a busy machine) or while the batch
# waits in the queue behind another; a batch whose work has shown none for this long is stalled:
# its worker stopped (killed, restarted) and nobody is on it.
STALLED_AFTER = datetime.timedelta(minutes=10)


class ImportBatchQuerySet(models.QuerySet):
    def working(self):
        """Batches that a worker should be reading or applying now."""
        return self.filter(state__in=ImportBatch.WORKING)

    def stalled(self, *, older_than: datetime.timedelta = STALLED_AFTER):
        """Batches whose work showed no progress for `older_than`: nobody is working on them."""
        since = timezone.now() - older_than
        return self.working().filter(
            models.Q(progress_at__lte=since) | models.Q(progress_at__isnull=True, created_at__lte=since)
        )


class ImportBatch(models.Model):
    """An uploaded file on its way into the registry: read, planned, reviewed, applied."""

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting to be read")
        PLANNING = "planning", _("being read")
        READY = "ready", _("ready for review")
        APPLYING = "applying", _("being applied")
        APPLIED = "applied", _("applied")
        FAILED = "failed", _("could not be read")

    # The states in which a background task works on the batch.
    WORKING = frozenset({State.QUEUED, State.PLANNING, State.APPLYING})

    FORMAT_CHOICES = [
        ("auto", _("recognise by content")),
        ("snapshot", _("our snapshot (JSON)")),
        ("viasna-json", _("the list's JSON export")),
        ("viasna-csv", _("the list's CSV export")),
    ]

    file_name = models.CharField(_("file"), max_length=255)
    data = models.BinaryField()
    format = models.CharField(_("format"), max_length=20, choices=FORMAT_CHOICES, default="auto")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.QUEUED)
    error = models.TextField(_("error"), blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    progress = models.PositiveIntegerField(default=0)
    # The heartbeat: when the work on the batch last showed progress (or was queued).
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    # Which run of the work is the current one; a run that is no longer current writes nothing.
    attempt = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def working(self) -> bool:
        return self.state in self.WORKING

    def summary_lines(self) -> list[tuple[str, int]]:
        """The counts with their labels in the reader's language."""
        return summary_lines(self.summary or {})

    @property
    def stalled(self) -> bool:
        """Waiting for work that nobody does: no progress for STALLED_AFTER."""
        since = self.progress_at or self.created_at
        return self.working and since is not None and since <= timezone.now() - STALLED_AFTER


class ImportRow(models.Model):
    """One planned change of a batch, as the editors review it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("to review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("record"))
    source_ref = models.CharField(_("the list's id"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20)
    group = models.CharField(_("group"), max_length=20)
    name = models.CharField(_("name"), max_length=300, blank=True)
    person = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    details = models.JSONField(default=list)
    flags = models.JSONField(default=list)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["group", "number", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.kind} {self.name}"

    def detail_lines(self) -> list[str]:
        return detail_lines(self.details)
