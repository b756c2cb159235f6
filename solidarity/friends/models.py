"""Anonymous friends: a codename's keyed hash, the people it befriended, and dated marks.

Nothing here identifies a visitor: no name, no address, no e-mail, no IP, no time of day (marks
and friendships keep dates only). The codename itself is never stored.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from solidarity.registry.models import Person


class Friend(models.Model):
    key_hash = models.CharField(max_length=64, unique=True)  # HMAC of the codename with a pepper
    calendar_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the calendar token
    created_on = models.DateField(auto_now_add=True)

    class Meta:
        verbose_name = _("friend")
        verbose_name_plural = _("friends")

    def __str__(self) -> str:
        return f"friend #{self.pk}"


class Friendship(models.Model):
    friend = models.ForeignKey(Friend, on_delete=models.CASCADE, related_name="friendships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="friendships")
    created_on = models.DateField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["friend", "person"], name="one_friendship_per_codename")
        ]
        verbose_name = _("friendship")
        verbose_name_plural = _("friendships")

    def __str__(self) -> str:
        return f"{self.friend} → {self.person_id}"


class Mark(models.Model):
    """ "I wrote" or "I sent a parcel" on a date: no content, no time of day."""

    class Kind(models.TextChoices):
        LETTER = "letter", _("I wrote")
        PARCEL = "parcel", _("I sent a parcel")

    friendship = models.ForeignKey(Friendship, on_delete=models.CASCADE, related_name="marks")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    date = models.DateField()

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["friendship", "kind", "-date"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"
