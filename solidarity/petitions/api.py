"""Petitions in the open-data API: each one's count, its count by country (countries with fewer
than five signers together) and the head of its public ledger. Mounted under /api/v1/petitions."""

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router
from pydantic import BaseModel

from solidarity.core.pages import Problem, public_api

from . import services
from .models import Petition

router = Router(tags=["petitions"])


class LedgerHead(BaseModel):
    day: datetime.date
    count: int
    digest: str


class PetitionOut(BaseModel):
    slug: str
    title: str
    addressees: str
    status: str
    goal: int
    deadline: datetime.date | None
    signatures: int  # confirmed, as of the hour (`figures_as_of`): no figure moves with one signer
    figures_as_of: datetime.datetime | None
    by_country: dict[str, int]  # ISO 3166 codes
    other_countries: int  # signers of countries with fewer than five each
    people: list[int]  # the registry's people it names (/api/v1/people/{id})
    url: str
    ledger: str
    ledger_head: LedgerHead | None


def _out(request: HttpRequest, petition: Petition) -> PetitionOut:
    petition = services.shown_figures(petition)
    shown, others = services.by_country(petition.shown_countries)
    head = petition.ledger.order_by("-day").first()
    return PetitionOut(
        slug=petition.slug,
        title=petition.title,
        addressees=petition.addressees,
        status=petition.status,
        goal=petition.goal,
        deadline=petition.deadline,
        signatures=petition.shown_count,
        figures_as_of=petition.shown_as_of,
        by_country=dict(shown),
        other_countries=others,
        people=[person.pk for person in petition.people.all()],
        url=request.build_absolute_uri(reverse("petition", args=[petition.slug])),
        ledger=request.build_absolute_uri(reverse("petition_ledger_json", args=[petition.slug])),
        ledger_head=LedgerHead(day=head.day, count=head.count, digest=head.digest) if head else None,
    )


def _public():
    return Petition.objects.exclude(status=Petition.Status.DRAFT).prefetch_related("people")


@router.get("", response=list[PetitionOut], summary="Petitions, newest first")
@public_api
def petitions(request: HttpRequest):
    return [_out(request, petition) for petition in _public().order_by("-opened_on", "-pk")]


@router.get("/{slug}", response={200: PetitionOut, 404: Problem}, summary="One petition")
@public_api
def petition(request: HttpRequest, slug: str):
    return _out(request, get_object_or_404(_public(), slug=slug))
