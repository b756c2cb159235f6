"""Published magazine articles in the open-data API, each in every language it is written in.
Mounted by `api` under /api/v1/magazine."""

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import translation
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field

from solidarity.core.pages import Problem, public_api

from . import reading
from .models import Article

router = Router(tags=["magazine"])
LIMIT = 500


class MagazineArticleOut(BaseModel):
    slug: str
    kind: str
    languages: list[str]
    title: dict[str, str]  # by language
    lead: dict[str, str]
    url: dict[str, str]
    authors: list[str]
    tags: list[str]
    subjects: list[int]  # people of the registry (/api/v1/people/{id})
    published: datetime.datetime
    updated: datetime.datetime


class MagazineFilters(Schema):
    person: int | None = Field(None, ge=1, le=2**63 - 1, description="A person's id, as in `/people`.")
    tag: str | None = None
    kind: Article.Kind | None = None


def _out(request: HttpRequest, article: Article) -> MagazineArticleOut:
    written = article.languages()
    urls = {}
    for code in written:
        with translation.override(code):
            urls[code] = request.build_absolute_uri(reverse("magazine_article", args=[article.slug]))
    return MagazineArticleOut(
        slug=article.slug,
        kind=article.kind,
        languages=written,
        title={code: getattr(article, f"title_{code}") for code in written},
        lead={code: getattr(article, f"lead_{code}") for code in written},
        url=urls,
        authors=[author.name for author in article.authors.all()],
        tags=[tag.slug for tag in article.tags.all()],
        subjects=[person.pk for person in article.subjects.all()],
        published=article.published_at,
        updated=max(article.updated_at, article.published_at),
    )


def _articles():
    return reading.listed(reading.published()).prefetch_related("tags", "subjects")


@router.get("/articles", response=list[MagazineArticleOut], summary="Published articles, newest first")
@public_api
def magazine_articles(request: HttpRequest, filters: Query[MagazineFilters]):
    found = _articles()
    if filters.person is not None:
        found = found.filter(subjects=filters.person)
    if filters.tag:
        found = found.filter(tags__slug=filters.tag)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    return [_out(request, article) for article in found[:LIMIT]]


@router.get(
    "/articles/{slug}", response={200: MagazineArticleOut, 404: Problem}, summary="One published article"
)
@public_api
def magazine_article(request: HttpRequest, slug: str):
    return _out(request, get_object_or_404(_articles(), slug=slug))
