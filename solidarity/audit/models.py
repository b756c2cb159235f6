from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import actions


class AuditEntry(models.Model):
    """One change to the public record or one named operation: who, when, what, and the
    field-by-field difference (`changes`) or the operation's details (`data`).

    `action` is `create`, `update` or `delete` for an edit, or a named action (`actions.named`,
    such as `letters.letter.approved`). `record` is the public record the change belongs to (the
    person, for a change to one of their events; the letter, for a reply), so that a record's page
    can show the whole history of everything about it.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("deleted")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # The staff member's username, or the name of the process (an import, the demo data).
    actor_label = models.CharField(_("by"), max_length=200)
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    record_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    record_id = models.CharField(max_length=64)
    changes = models.JSONField(_("changes"), default=dict)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id", "-created_at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit history")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    @property
    def action_label(self) -> str:
        if self.action in self.Action.values:
            return str(self.Action(self.action).label)
        return actions.label(self.action)
