"""Charts drawn on the server as SVG with pygal, the well-kept Python SVG chart library.

They are served as images of their own (`<img>`), so no script runs and the page's strict policy
is untouched; each carries a title and a description, and the page puts its data table beside it.
Colours are few and differ in lightness too, so that the charts read in grey.
"""

from django.utils.translation import gettext as _
from pygal import Bar, HorizontalBar, Line
from pygal.style import Style

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1d1d1f",
    foreground_strong="#1d1d1f",
    foreground_subtle="#8d8a83",
    colors=("#8a1c1c", "#6b6963", "#1d1d1f"),
    opacity=".45",  # light fills: value labels in dark ink stay readable on them
    opacity_hover=".6",
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', Arial, sans-serif",
    title_font_size=18,
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=13,
    value_font_size=12,
)
WIDTH = 900
COMMON = {
    "style": STYLE,
    "js": [],  # pygal's interactive script would come from another host
    "disable_xml_declaration": True,
    "show_legend": False,
    "width": WIDTH,
    "height": 420,
    "margin": 16,
    "print_values": False,
}


def finish(chart, description: str) -> str:
    svg = chart.render(is_unicode=True)
    # An accessible name and description for the image as a whole.
    return svg.replace(">", f' role="img" aria-label="{_escape(description)}">', 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


BREAKDOWN_WIDTH = 600
# The width of every chart drawn for a phone's screen: drawn at 1:1, its labels stay readable.
NARROW_WIDTH = 360


def daily_line(series: list[tuple], title: str, width: int = WIDTH) -> str:
    chart = Line(
        **{**COMMON, "width": width},
        title=title,
        show_dots=False,
        fill=True,
        x_label_rotation=0,
        show_minor_x_labels=False,
        truncate_label=-1,
        stroke_style={"width": 2.5},
    )
    # Every day is a point; only the years are written under the axis.
    chart.x_labels = [
        str(day.year) if (day.month, day.day) == (1, 1) else day.isoformat() for day, _c in series
    ]
    chart.x_labels_major = [str(day.year) for day, _count in series if (day.month, day.day) == (1, 1)]
    chart.add(_("political prisoners"), [count for _day, count in series])
    first, last = series[0], series[-1]
    peak = max(series, key=lambda item: item[1])
    description = _(
        "%(title)s: %(first)s on %(first_day)s, %(last)s on %(last_day)s, highest %(peak)s on %(peak_day)s."
    ) % {
        "title": title,
        "first": first[1],
        "first_day": first[0],
        "last": last[1],
        "last_day": last[0],
        "peak": peak[1],
        "peak_day": peak[0],
    }
    return finish(chart, description)


def monthly_bars(months: list[dict], title: str, width: int = WIDTH) -> str:
    chart = Bar(
        **{**COMMON, "show_legend": True, "width": width},
        title=title,
        legend_at_bottom=True,
        x_label_rotation=0,
        show_minor_x_labels=False,
        truncate_label=-1,
    )
    chart.x_labels = [month["month"] for month in months]
    chart.x_labels_major = [month["month"] for month in months if month["month"].endswith("-01")]
    chart.add(_("became political prisoners"), [month["arrivals"] for month in months])
    chart.add(_("released"), [month["releases"] for month in months])
    chart.add(_("died"), [month["deaths"] for month in months])
    description = _("%(title)s, %(count)s months.") % {"title": title, "count": len(months)}
    return finish(chart, description)


def breakdown_height(rows: list) -> int:
    return max(180, 40 * len(rows) + 90)


# Longer labels are cut with "…" in a chart; its table and CSV keep them whole.
LABEL_CHARACTERS = {BREAKDOWN_WIDTH: 36, NARROW_WIDTH: 18}


def breakdown_bars(rows: list[tuple[str, int]], title: str, width: int = BREAKDOWN_WIDTH) -> str:
    chart = HorizontalBar(
        **{**COMMON, "height": breakdown_height(rows), "width": width, "print_values": True},
        title=title,
        truncate_label=LABEL_CHARACTERS[width],
    )
    chart.x_labels = [label for label, _count in reversed(rows)]
    chart.add(title, [count for _label, count in reversed(rows)])
    description = "; ".join(f"{label}: {count}" for label, count in rows)
    return finish(chart, f"{title}. {description}")
