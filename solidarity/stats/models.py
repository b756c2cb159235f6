from django.db import models
from django.utils.translation import gettext_lazy as _


class PublishedFigure(models.Model):
    """A figure the registry cannot derive, as another organisation published it: shown beside our
    own counts with its definition, date and source, never added to them."""

    label = models.CharField(_("what is counted"), max_length=200)
    definition = models.TextField(_("definition"), blank=True)
    value = models.PositiveIntegerField(_("value"))
    value_max = models.PositiveIntegerField(
        _("upper value"), null=True, blank=True, help_text=_("For a range: the upper end.")
    )
    date = models.DateField(_("as of"))
    source_name = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "-date"]
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"
