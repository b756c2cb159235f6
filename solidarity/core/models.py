from django.db import models


class ChoreDay(models.Model):
    """A day whose daily chores a worker has taken on: however many queued runs of a day there are
    (each worker start queues one, and a queue may deliver twice), one does the chores."""

    day = models.DateField(unique=True)

    def __str__(self) -> str:
        return self.day.isoformat()
