"""The fund's yearly summary as a server-drawn SVG chart, in the statistics' style."""

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.utils.translation import gettext as _
from pygal import Bar

from solidarity.stats.charts import COMMON, NARROW_WIDTH, WIDTH, finish

from . import money

svg_policy = csp_replace({"style-src": [UNSAFE_INLINE], "script-src": [NONE], "img-src": [NONE]})


def yearly_bars(rows, currency: str, *, narrow: bool = False) -> str:
    """Raised and paid out per year, in one currency's major units (drawn for a phone if `narrow`)."""
    rows = sorted(rows, key=lambda row: row.year)
    title = _("Raised and paid out to families each year, %(currency)s") % {"currency": currency}
    width = NARROW_WIDTH if narrow else WIDTH
    chart = Bar(**{**COMMON, "show_legend": True, "width": width}, title=title, legend_at_bottom=True)
    chart.x_labels = [str(row.year) for row in rows]
    chart.add(_("raised"), [float(money.to_major(row.raised, currency)) for row in rows])
    chart.add(_("paid out"), [float(money.to_major(row.paid_out, currency)) for row in rows])
    return finish(chart, _("%(title)s, %(count)s years.") % {"title": title, "count": len(rows)})
