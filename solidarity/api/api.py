"""The open-data API: read-only JSON about the public record, described by OpenAPI 3, and the
letter checker for partner sites and bots (the one POST: it reads a text and keeps nothing of it).

Only what the public pages show: the prisoners' public record, never anything about visitors
or staff. Responses are cacheable by any proxy for five minutes. django-ninja builds the
OpenAPI description from the same type hints that validate the parameters; its interactive docs
page is off, because it would load scripts from a CDN.
"""

import datetime
from typing import Literal

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import cache_control
from ninja import Field, NinjaAPI, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import HttpError

from solidarity.catalogue.forms import PeopleFilter
from solidarity.core import ratelimit
from solidarity.letters import checker
from solidarity.registry.models import Article, Event, Facility, Person, Sentence
from solidarity.registry.snapshot import article_id, facility_record, translations

api = NinjaAPI(
    title="Political prisoners: open data",
    version="1",
    description="The registry's public record: people, their timelines and sentences, facilities, articles.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
)
cacheable = decorate_view(cache_control(public=True, max_age=300))
MAX_LIMIT = 500


class Names(Schema):
    be: str
    ru: str
    latin: str


class FacilityRef(Schema):
    id: str
    name: dict[str, str]


class PersonItem(Schema):
    id: int
    names: Names
    gender: str
    birth_date: datetime.date | None
    status: str
    facility: FacilityRef | None
    region: str | None
    in_custody_since: datetime.date | None
    friend_count: int
    url: str


class PeoplePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[PersonItem]


class EventOut(Schema):
    date: datetime.date
    kind: str
    facility: FacilityRef | None
    source_url: str
    source_citation: str
    note: str


class SentenceOut(Schema):
    verdict_date: datetime.date | None
    term_months: int | None
    regime: str
    articles: list[str]
    court: str
    judge: str
    source_url: str
    source_citation: str


class PersonDetail(PersonItem):
    description: dict[str, str]
    story: dict[str, str]
    interests: list[str]
    timeline: list[EventOut]
    sentences: list[SentenceOut]


class FacilityOut(Schema):
    id: str
    kind: str
    name: dict[str, str]
    code: dict[str, str]
    city: dict[str, str]
    region: str | None
    postal_code: str
    street: dict[str, str]
    postal_address: dict[str, str]
    holds_women: bool


class ArticleOut(Schema):
    id: str
    code: str
    number: str
    part: str
    title: dict[str, str]


class PeopleQuery(Schema):
    q: str | None = None
    status: str | None = None
    gender: str | None = None
    region: str | None = None
    facility: str | None = None
    article: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    birthday_within: int | None = None
    interests: list[str] | None = None
    sort: str | None = None
    limit: int = 50
    offset: int = 0


def _name(person: Person, code: str) -> str:
    return " ".join(
        part
        for part in (getattr(person, f"{f}_{code}") for f in ("first_name", "patronymic", "last_name"))
        if part
    )


def _facility(facility: Facility | None) -> dict | None:
    return {"id": facility.slug, "name": translations(facility, "name")} if facility else None


def _item(request: HttpRequest, person: Person) -> dict:
    return {
        "id": person.pk,
        "names": {
            "be": _name(person, "be"),
            "ru": _name(person, "ru"),
            "latin": _name(person, settings.LATIN_LANGUAGE),
        },
        "gender": person.gender,
        "birth_date": person.birth_date,
        "status": person.status,
        "facility": _facility(person.current_facility),
        "region": person.region.slug if person.region else None,
        "in_custody_since": person.imprisoned_since,
        "friend_count": person.friend_count,
        "url": request.build_absolute_uri(reverse("person_detail", args=[person.pk])),
    }


@api.get("/people", response=PeoplePage, summary="People, filtered and searched")
@cacheable
def people(request: HttpRequest, filters: Query[PeopleQuery]):
    """The list's filters; `q` searches names in any spelling and ranks the best match first.
    `status` is `now` (default), `released` or `all`."""
    if not 1 <= filters.limit <= MAX_LIMIT or filters.offset < 0:
        raise HttpError(422, f"limit must be 1-{MAX_LIMIT} and offset at least 0")
    form = PeopleFilter(request.GET)
    if not form.is_valid():
        raise HttpError(
            422, "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        )
    base = Person.objects.published().select_related("current_facility", "region")
    found, ranked = form.order(form.filter(base, timezone.localdate()))
    if ranked is not None:
        wanted = set(found.values_list("pk", flat=True))
        ordered = [pk for pk in ranked if pk in wanted]
        window = ordered[filters.offset : filters.offset + filters.limit]
        by_pk = base.in_bulk(window)
        page, count = [by_pk[pk] for pk in window], len(ordered)
    else:
        count = found.count()
        page = list(found[filters.offset : filters.offset + filters.limit])
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_item(request, person) for person in page],
    }


@api.get("/people/{person_id}", response=PersonDetail, summary="One person, with timeline and sentences")
@cacheable
def person(request: HttpRequest, person_id: int):
    found = get_object_or_404(
        Person.objects.published()
        .select_related("current_facility", "region")
        .prefetch_related(
            "interests",
            Prefetch("events", queryset=Event.objects.select_related("facility").order_by("date", "id")),
            Prefetch(
                "sentences", queryset=Sentence.objects.prefetch_related("articles").order_by("verdict_date")
            ),
        ),
        pk=person_id,
    )
    return {
        **_item(request, found),
        "description": translations(found, "description"),
        "story": translations(found, "story"),
        "interests": [interest.slug for interest in found.interests.all()],
        "timeline": [
            {
                "date": event.date,
                "kind": event.kind,
                "facility": _facility(event.facility),
                "source_url": event.source_url,
                "source_citation": event.source_citation,
                "note": event.note,
            }
            for event in found.events.all()
        ],
        "sentences": [
            {
                "verdict_date": sentence.verdict_date,
                "term_months": sentence.term_months,
                "regime": sentence.regime,
                "articles": [article_id(article) for article in sentence.articles.all()],
                "court": sentence.court,
                "judge": sentence.judge,
                "source_url": sentence.source_url,
                "source_citation": sentence.source_citation,
            }
            for sentence in found.sentences.all()
        ],
    }


@api.get("/facilities", response=list[FacilityOut], summary="Places of detention")
@cacheable
def facilities(request: HttpRequest):
    return [facility_record(f) for f in Facility.objects.select_related("kind", "region")]


@api.get("/articles", response=list[ArticleOut], summary="Articles of the legal codes")
@cacheable
def articles(request: HttpRequest):
    return [
        {
            "id": article_id(a),
            "code": a.code,
            "number": a.number,
            "part": a.part,
            "title": translations(a, "title"),
        }
        for a in Article.objects.all()
    ]


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
    from solidarity.stats.computations import SERIES_START

    day = value or default
    if not SERIES_START <= day <= timezone.localdate():
        raise HttpError(422, f"dates must lie between {SERIES_START} and today")
    return day


@api.get("/stats/daily", response=DailySeries, summary="Political prisoners on each day")
@cacheable
def stats_daily(
    request: HttpRequest,
    from_: datetime.date | None = Query(None, alias="from"),  # noqa: B008 (django-ninja declares parameters so)
    to: datetime.date | None = None,
    gender: str = "",
    region: str = "",
    article: int | None = None,
):
    """The registry's rule on every day from `from` to `to` (both included; default: the whole
    series), optionally only women or men, one region (slug) or one article (id)."""
    from solidarity.registry.models import Region
    from solidarity.stats.computations import SERIES_START, daily_series

    start = _stats_day(from_, SERIES_START)
    end = _stats_day(to, timezone.localdate())
    if start > end:
        raise HttpError(422, "from must not be after to")
    if gender not in {"", "female", "male"}:
        raise HttpError(422, "gender is female or male")
    region_id = None
    if region:
        region_id = Region.objects.filter(slug=region).values_list("pk", flat=True).first()
        if region_id is None:
            raise HttpError(422, f"unknown region {region!r}")
    series = daily_series(start, end, gender=gender, region_id=region_id, article_id=article)
    return {"series": [{"date": day, "count": count} for day, count in series]}


@api.get(
    "/stats/monthly",
    response=list[MonthFlow],
    summary="New political prisoners, releases and deaths per month",
)
@cacheable
def stats_monthly(request: HttpRequest):
    from solidarity.stats.computations import SERIES_START, monthly_flows

    return monthly_flows(SERIES_START, timezone.localdate())


@api.get("/stats/breakdowns", response=Breakdowns, summary="Who the political prisoners were on a date")
@cacheable
def stats_breakdowns(request: HttpRequest, date: datetime.date | None = None):
    """Counts by gender, age group, article, region, facility (ids or slugs), sentence length and
    time served, on `date` (default today)."""
    from solidarity.registry.models import Region
    from solidarity.stats.computations import breakdowns

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


class LetterCheckIn(Schema):
    text: str = Field(max_length=checker.MAX_TEXT)
    country: str | None = Field(
        None, min_length=2, max_length=2, description="ISO code; the site's own by default."
    )
    kind: Literal["letter", "postcard"] = "letter"
    person: int | None = Field(None, description="The addressee: their own name is not another prisoner's.")
    lang: str | None = Field(
        None, description="The language of the messages: be, ru or en (default: Accept-Language)."
    )


class LetterFinding(Schema):
    rule: str
    message: str
    fix: str
    start: int
    end: int
    text: str


class LetterCheckOut(Schema):
    ok: bool
    language: str | None
    characters: int
    max_characters: int
    findings: list[LetterFinding]


# A writer's page checks as they type (a pause of 0.6 s): an hour of writing asks a few hundred
# times. The worst text takes about 0.3 s to check (`make bench`), so a client can't take a core.
CHECKS_PER_HOUR = 600


@api.post("/letters/check", response=LetterCheckOut, summary="Check a letter against the censor's rules")
def check_letter(request: HttpRequest, payload: LetterCheckIn):
    """What in the text would make the censor destroy the letter, each finding with its rule, a
    message and a fix in the asked language, and its place in the text (`start`, `end`: offsets
    in characters). The text is not stored or logged."""
    client = ratelimit.client_key(request)
    if ratelimit.exceeded("letters:check", client, CHECKS_PER_HOUR):
        raise HttpError(429, "Too many checks from here; try again in an hour.")
    ratelimit.record("letters:check", client, 3600)
    languages = {code for code, _name in settings.LANGUAGES}
    language = payload.lang if payload.lang in languages else translation.get_language_from_request(request)
    addressee = Person.objects.filter(pk=payload.person).first() if payload.person else None
    with translation.override(language):
        return checker.check(
            payload.text, country=payload.country, kind=payload.kind, addressee=addressee
        ).as_dict()
