import csv
import datetime

from csp.constants import NONE, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt

from solidarity.core.page_cache import cached_page, kept_fragment
from solidarity.core.pages import for_every_origin
from solidarity.core.spreadsheets import spreadsheet_safe
from solidarity.registry.models import Article, Facility, Region
from solidarity.registry.snapshot import article_id

from . import charts, computations
from .computations import AGE_GROUPS, GROUP_LABELS, SERIES_START, SERVED_GROUPS, TERM_GROUPS
from .models import PublishedFigure


def public_page(view):
    """Statistics change at most daily: proxies may keep them ten minutes (and we keep them whole)."""
    return cache_control(public=True, max_age=600)(cached_page(view))


# A chart is an image of its own: pygal styles it from inside, and no script may run in it.
svg_policy = csp_replace({"style-src": [UNSAFE_INLINE], "script-src": [NONE], "img-src": [NONE]})
TOP = 15


def _as_of(request: HttpRequest) -> datetime.date:
    """The date asked for (?date=YYYY-MM-DD), within the series; today otherwise."""
    today = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return today
    return min(max(day, SERIES_START), today)


def _grouped(counts: dict, groups) -> list[tuple[str, str, int]]:
    keys = [key for _low, _high, key in groups] + ["unknown"]
    return [(key, str(GROUP_LABELS[key]), counts[key]) for key in keys if counts.get(key)]


def _named(counts: dict, names: dict[int, tuple[str, str]]) -> list[tuple[str, str, int]]:
    """Rows of (id, name, count), largest first; a key no longer in the registry is "unknown"."""
    unknown = ("unknown", _("not known"))
    rows = [(*names.get(key, unknown), count) for key, count in counts.items()]
    return sorted(rows, key=lambda row: (-row[2], row[1]))


def breakdown_rows(day: datetime.date) -> dict[str, dict]:
    """Each breakdown on `day`: a title and every row as (id, label, count). The ids are the
    open-data API's (an article's `criminal:342:1`, a facility's or region's slug, a group's key);
    the labels are in the reader's language."""
    data = computations.breakdowns(day)
    articles = {a.pk: (article_id(a), f"{a.label} {a.title}") for a in Article.objects.all()}
    facilities = {f.pk: (f.slug, str(f)) for f in Facility.objects.all()}
    regions = {r.pk: (r.slug, str(r)) for r in Region.objects.all()}
    gender = [
        (key, str(GROUP_LABELS[key]), data["gender"][key])
        for key in ("female", "male", "unknown")
        if data["gender"].get(key)
    ]
    return {
        "gender": {"title": _("By gender"), "rows": gender},
        "age": {"title": _("By age"), "rows": _grouped(data["age"], AGE_GROUPS)},
        "term": {"title": _("By length of sentence"), "rows": _grouped(data["term"], TERM_GROUPS)},
        "served": {"title": _("By time already served"), "rows": _grouped(data["served"], SERVED_GROUPS)},
        "region": {"title": _("By region"), "rows": _named(data["region"], regions)},
        "facility": {"title": _("By place of detention"), "rows": _named(data["facility"], facilities)},
        "article": {"title": _("By article"), "rows": _named(data["article"], articles)},
    }


def _charted(rows: list[tuple[str, str, int]], short: dict[str, str]) -> list[tuple[str, int]]:
    """What a chart shows: the largest rows, and the rest summed as one "others" row; a row
    whose id has a `short` label is charted with it (an article's number, not its title)."""
    shown = [(short.get(row_id, label), count) for row_id, label, count in rows[:TOP]]
    rest = rows[TOP:]
    if rest:
        others = ngettext("%(count)d other", "%(count)d others", len(rest)) % {"count": len(rest)}
        shown.append((others, sum(count for _id, _label, count in rest)))
    return shown


def labelled_breakdowns(day: datetime.date) -> dict[str, dict]:
    """Each breakdown on `day` as charted: a title, rows of (label, count) for its table and for its
    chart (where an article is only its number), the chart's size."""
    charted = {}
    short = {article_id(a): a.label for a in Article.objects.all()}
    for name, breakdown in breakdown_rows(day).items():
        rows = _charted(breakdown["rows"], {})
        charted[name] = {
            "title": breakdown["title"],
            "rows": rows,
            "chart_rows": _charted(breakdown["rows"], short) if name == "article" else rows,
            "height": charts.breakdown_height(rows),
            "width": charts.BREAKDOWN_WIDTH,
        }
    return charted


def _statistics(day: datetime.date, origin: str) -> str:
    series = computations.daily_series(SERIES_START, day)
    total = computations.breakdowns(day)
    return render_to_string(
        "stats/_statistics.html",
        {
            "day": day,
            "is_today": day == timezone.localdate(),
            "total": total["total"],
            "women": total["gender"].get("female", 0),
            "minors": total["age"].get("minors", 0),
            "elderly": total["age"].get("60-69", 0) + total["age"].get("70+", 0),
            "peak": max(series, key=lambda item: item[1]),
            "yearly": [(d, c) for d, c in series if d.day == 1 and d.month in (1, 7)] + [series[-1]],
            "yearly_headings": [_("date"), _("political prisoners")],
            "month_headings": [_("month"), _("became political prisoners"), _("released"), _("died")],
            "breakdown_headings": ["", _("political prisoners")],
            "month_rows": [
                (m["month"], m["arrivals"], m["releases"], m["deaths"])
                for m in computations.monthly_flows(SERIES_START, day)[-24:]
            ],
            "breakdowns": labelled_breakdowns(day),
            "figures": PublishedFigure.objects.all(),
            "date_param": "" if day == timezone.localdate() else f"?date={day.isoformat()}",
            "narrow_width": charts.NARROW_WIDTH,
            "origin": origin,  # of the embed codes: the address this page was asked on
        },
    )


@public_page
def statistics(request: HttpRequest) -> HttpResponse:
    """The page's content is kept per day shown and address (`kept_fragment`): a miss of the page
    cache (another query, a visitor with a cookie) only renders the frame around it."""
    day = _as_of(request)
    origin = f"{request.scheme}://{request.get_host()}"
    content = kept_fragment(f"statistics:{day.isoformat()}:{origin}", lambda: _statistics(day, origin))
    return render(request, "stats/statistics.html", {"content": mark_safe(content)})  # noqa: S308 (our template)


def _svg(svg: str) -> HttpResponse:
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@public_page
@svg_policy
def chart(request: HttpRequest, name: str) -> HttpResponse:
    """A chart as SVG; `?size=narrow` draws it for a phone's width (the page offers both)."""
    day = _as_of(request)
    narrow = request.GET.get("size") == "narrow"
    width = charts.NARROW_WIDTH if narrow else charts.WIDTH
    if name == "daily":
        series = computations.daily_series(SERIES_START, day)
        return _svg(charts.daily_line(series, _("Political prisoners on each day"), width))
    if name == "monthly":
        # A phone's chart has room for a year of bars, a wide one for two.
        months = computations.monthly_flows(SERIES_START, day)[-12 if narrow else -24 :]
        return _svg(
            charts.monthly_bars(months, _("Each month: new political prisoners, releases, deaths"), width)
        )
    breakdowns = labelled_breakdowns(day)
    if name not in breakdowns:
        raise Http404
    width = charts.NARROW_WIDTH if narrow else charts.BREAKDOWN_WIDTH
    return _svg(charts.breakdown_bars(breakdowns[name]["chart_rows"], breakdowns[name]["title"], width))


@public_page
def data_csv(request: HttpRequest, name: str) -> HttpResponse:
    """Every chart's data, whole: breakdowns list every row (not only those charted), each with
    the API's id beside its name, and the date in a column of its own."""
    day = _as_of(request)
    if name not in ("daily", "monthly"):
        breakdown = breakdown_rows(day).get(name)
        if breakdown is None:
            raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{day.isoformat()}.csv"'
    response.write("\ufeff")  # as in people.csv: the BOM makes spreadsheets read UTF-8
    writer = csv.writer(response)
    if name == "daily":
        writer.writerow(["date", "count"])
        writer.writerows((d.isoformat(), count) for d, count in computations.daily_series(SERIES_START, day))
    elif name == "monthly":
        writer.writerow(["month", "arrivals", "releases", "deaths"])
        writer.writerows(
            (m["month"], m["arrivals"], m["releases"], m["deaths"])
            for m in computations.monthly_flows(SERIES_START, day)
        )
    else:
        writer.writerow(["date", name, "name", "count"])
        writer.writerows(
            (day.isoformat(), key, spreadsheet_safe(label), count) for key, label, count in breakdown["rows"]
        )
    return response


@public_page
@for_every_origin
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed_counter(request: HttpRequest) -> HttpResponse:
    """A small counter that partner sites may show in an iframe: no cookie, no script, no tracking."""
    day = timezone.localdate()
    return render(
        request, "stats/embed_counter.html", {"day": day, "total": computations.breakdowns(day)["total"]}
    )


@public_page
@for_every_origin
@svg_policy
def embed_chart(request: HttpRequest) -> HttpResponse:
    """The daily chart as an image that partner sites may link to."""
    day = timezone.localdate()
    series = computations.daily_series(SERIES_START, day)
    return _svg(charts.daily_line(series, _("Political prisoners on each day")))
