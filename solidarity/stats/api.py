"""Statistics in the open-data API: the daily count, monthly flows and breakdowns on a date.
Mounted by `api` under /api/v1/stats/."""

import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from solidarity.core.pages import Problem, public_api
from solidarity.registry.models import Article, Facility, Region
from solidarity.registry.snapshot import article_id, find_article

from .computations import SERIES_START, breakdowns, daily_series, monthly_flows

router = Router(tags=["statistics"])


class DayCount(Schema):
    date: datetime.date
    count: int


class DailySeries(Schema):
    series: list[DayCount]


class MonthFlow(Schema):
    month: str
    arrivals: int
    releases: int
    deaths: int


class Breakdowns(Schema):
    date: datetime.date
    total: int
    gender: dict[str, int]
    age: dict[str, int]
    article: dict[str, int]
    region: dict[str, int]
    facility: dict[str, int]
    term: dict[str, int]
    served: dict[str, int]


def _stats_day(value: datetime.date | None, default: datetime.date) -> datetime.date:
    day = value or default
    if not SERIES_START <= day <= timezone.localdate():
        raise HttpError(422, f"dates must lie between {SERIES_START} and today")
    return day


@router.get("/daily", response={200: DailySeries, 422: Problem}, summary="Political prisoners on each day")
@public_api
def stats_daily(
    request: HttpRequest,
    from_: datetime.date | None = Query(None, alias="from"),  # noqa: B008 (django-ninja declares parameters so)
    to: datetime.date | None = None,
    gender: Literal["female", "male"] | None = None,
    region: str = "",
    article: str = Query("", description="An article's id, as in `/articles` (`criminal:342:1`)."),  # noqa: B008
):
    """The registry's rule on every day from `from` to `to` (both included; default: the whole
    series), optionally only women or men, one region (its id) or one article (its id)."""
    start = _stats_day(from_, SERIES_START)
    end = _stats_day(to, timezone.localdate())
    if start > end:
        raise HttpError(422, "from must not be after to")
    article_pk = None
    if article:
        found = find_article(article)
        if found is None:
            raise HttpError(422, f"no article {article!r} (see /articles)")
        article_pk = found.pk
    region_id = None
    if region:
        region_id = Region.objects.filter(slug=region).values_list("pk", flat=True).first()
        if region_id is None:
            raise HttpError(422, f"unknown region {region!r}")
    series = daily_series(start, end, gender=gender or "", region_id=region_id, article_id=article_pk)
    return {"series": [{"date": day, "count": count} for day, count in series]}


@router.get(
    "/monthly",
    response={200: list[MonthFlow]},
    summary="New political prisoners, releases and deaths per month",
)
@public_api
def stats_monthly(request: HttpRequest):

    return monthly_flows(SERIES_START, timezone.localdate())


@router.get(
    "/breakdowns",
    response={200: Breakdowns, 422: Problem},
    summary="Who the political prisoners were on a date",
)
@public_api
def stats_breakdowns(request: HttpRequest, date: datetime.date | None = None):
    """Counts by gender, age group, article, region, facility (ids or slugs), sentence length and
    time served, on `date` (default today)."""

    day = _stats_day(date, timezone.localdate())
    data = breakdowns(day)
    slugs = {f.pk: f.slug for f in Facility.objects.only("slug")}
    regions = dict(Region.objects.values_list("pk", "slug"))
    articles = {a.pk: article_id(a) for a in Article.objects.all()}
    return {
        "date": day,
        "total": data["total"],
        "gender": data["gender"],
        "age": data["age"],
        "term": data["term"],
        "served": data["served"],
        "article": {articles.get(k, "unknown"): v for k, v in data["article"].items()},
        "region": {regions.get(k, "unknown"): v for k, v in data["region"].items()},
        "facility": {slugs.get(k, "unknown"): v for k, v in data["facility"].items()},
    }
