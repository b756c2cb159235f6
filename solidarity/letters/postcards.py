"""Our postcard designs: SVG drawings of our own in `static/letters/postcards/`, A6 landscape."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Design:
    slug: str
    title: Promise
    occasion: Promise

    @property
    def static_path(self) -> str:
        return f"letters/postcards/{self.slug}.svg"


DESIGNS = (
    Design("birthday", _("Birthday cake"), _("for a birthday")),
    Design("new-year", _("Winter fir tree"), _("for New Year and Christmas")),
    Design("spring", _("Spring flowers"), _("for spring and Easter")),
    Design("birds", _("Birds on a blossoming branch"), _("for any day")),
    Design("forest", _("Forest lake at sunrise"), _("for any day")),
    Design("tea-books", _("Tea and books"), _("for any day")),
    Design("cat", _("A cat on the windowsill"), _("for any day")),
)
BY_SLUG = {design.slug: design for design in DESIGNS}
