"""The registry's public record in the open-data API: people (the list's filters and search),
their timelines and sentences, facilities and articles. Mounted by `api` under /api/v1/."""

import datetime
from typing import Literal

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from pydantic import BaseModel

from solidarity.core.pages import Problem, public_api
from solidarity.registry.models import Article, Event, Facility, Person, Sentence
from solidarity.registry.snapshot import (
    article_id,
    article_record,
    facility_record,
    translations,
)

from .forms import PeopleFilter
from .listing import card_people, in_order

router = Router(tags=["registry"])
MAX_LIMIT = 500
MAX_OFFSET = 1_000_000


class Output(BaseModel):
    """What the API answers, made from plain values: pydantic checks it alone. (A ninja `Schema`
    reads every field through its getter for model instances: a third of a page's time.)"""


class Names(Output):
    be: str
    ru: str
    latin: str


class FacilityRef(Output):
    id: str
    name: dict[str, str]


class PersonItem(Output):
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


class PeoplePage(Output):
    count: int
    limit: int
    offset: int
    items: list[PersonItem]


class EventOut(Output):
    date: datetime.date
    kind: str
    facility: FacilityRef | None
    source_url: str
    source_citation: str
    note_code: str = Field(description="A standard note (see the snapshot format), or empty.")
    note: str = Field(description="The note in the asked language: the standard one and an editor's words.")


class SentenceOut(Output):
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


class FacilityOut(Output):
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


class ArticleOut(Output):
    id: str
    code: str
    number: str
    part: str
    title: dict[str, str]


class PeopleQuery(Schema):
    q: str | None = Field(None, max_length=200, description="A name in any spelling; best match first.")
    status: Literal["now", "released", "all"] = Field("now", description="Held now, released, or all.")
    gender: Literal["female", "male"] | None = None
    region: str | None = Field(None, description="A region's id (`/facilities` lists them with theirs).")
    facility: str | None = Field(None, description="A facility's id, as in `/facilities`.")
    article: str | None = Field(None, description="An article's id, as in `/articles` (`criminal:342:1`).")
    age_min: int | None = Field(None, ge=0, le=120)
    age_max: int | None = Field(None, ge=0, le=120)
    birthday_within: int | None = Field(None, ge=0, le=366, description="Birthday within this many days.")
    interests: list[str] | None = None
    sort: Literal["newest", "name", "fewest_friends"] = "newest"
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


def _facility(facility: Facility | None) -> dict | None:
    return {"id": facility.slug, "name": translations(facility, "name")} if facility else None


def _profiles(request: HttpRequest) -> str:
    """Where profiles are, absolute: asked once per response, not once per person."""
    return request.build_absolute_uri(reverse("people_list"))


_LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# What an item of `/people` says of a person, read as plain values: no model to build per person.
ITEM_VALUES = [
    "pk",
    *(f"{part}_{code}" for code in _LANGUAGE_CODES for part in ("first_name", "patronymic", "last_name")),
    *("gender", "birth_date", "status", "imprisoned_since", "friend_count", "region__slug"),
    "current_facility__slug",
    *(f"current_facility__name_{code}" for code in _LANGUAGE_CODES),
]


def _name(row: dict, language: str) -> str:
    """As `Person.name_in`: first name, patronymic and last name in one language's columns."""
    parts = (row[f"{part}_{language}"] for part in ("first_name", "patronymic", "last_name"))
    return " ".join(part for part in parts if part)


def _item(profiles: str, row: dict) -> dict:
    facility = row["current_facility__slug"]
    return {
        "id": row["pk"],
        "names": {
            "be": _name(row, "be"),
            "ru": _name(row, "ru"),
            "latin": _name(row, settings.LATIN_LANGUAGE),
        },
        "gender": row["gender"],
        "birth_date": row["birth_date"],
        "status": row["status"],
        "facility": {
            "id": facility,
            "name": {code: row[f"current_facility__name_{code}"] or "" for code in _LANGUAGE_CODES},
        }
        if facility
        else None,
        "region": row["region__slug"],
        "in_custody_since": row["imprisoned_since"],
        "friend_count": row["friend_count"],
        "url": f"{profiles}{row['pk']}/",
    }


@router.get(
    "/people",
    response={200: PeoplePage, 422: Problem, 429: Problem},
    summary="People, filtered and searched",
)
@public_api
def people(request: HttpRequest, filters: Query[PeopleQuery]):
    """The list's filters; `q` searches names in any spelling and ranks the best match first."""
    form = PeopleFilter(request.GET)
    if not form.is_valid():
        raise HttpError(
            422, "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items())
        )
    people, ranking = form.order(form.filter(card_people(), timezone.localdate()))
    found = in_order(people.values(*ITEM_VALUES), ranking)
    count = found.count()
    page = list(found[filters.offset : filters.offset + filters.limit])
    profiles = _profiles(request)
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_item(profiles, person) for person in page],
    }


@router.get(
    "/people/{person_id}",
    response={200: PersonDetail, 404: Problem},
    summary="One person, with timeline and sentences",
)
@public_api
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
        **_item(_profiles(request), Person.objects.values(*ITEM_VALUES).get(pk=found.pk)),
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
                "note_code": event.note_code,
                "note": event.note_text,
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


@router.get("/facilities", response=list[FacilityOut], summary="Places of detention")
@public_api
def facilities(request: HttpRequest):
    return [facility_record(f) for f in Facility.objects.select_related("kind", "region")]


@router.get("/articles", response=list[ArticleOut], summary="Articles of the legal codes")
@public_api
def articles(request: HttpRequest):
    return [article_record(a) for a in Article.objects.all()]
