"""Campaigns in the open-data API, with their figures as the public pages show them (raised in
coarse steps, paid out). Mounted by `api` under /api/v1/campaigns."""

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router
from pydantic import BaseModel

from solidarity.core.pages import Problem, public_api

from . import services
from .models import Campaign

router = Router(tags=["donations"])


class CampaignOut(BaseModel):
    id: int
    title: str
    person_id: int | None
    currency: str
    goal: int  # in minor units
    raised: int  # in minor units, rounded down to a twentieth of the goal, at most an hour old
    paid_out: int
    deadline: datetime.date | None
    status: str
    url: str


def _out(request: HttpRequest, campaign: Campaign) -> CampaignOut:
    return CampaignOut(
        id=campaign.pk,
        title=campaign.title,
        person_id=campaign.person_id,
        currency=campaign.currency,
        goal=campaign.goal,
        raised=services.shown_progress(campaign),
        paid_out=services.paid_out(campaign),
        deadline=campaign.deadline,
        status=campaign.status,
        url=request.build_absolute_uri(reverse("campaign", args=[campaign.pk])),
    )


@router.get("", response=list[CampaignOut], summary="Campaigns for families and for the fund")
@public_api
def campaigns(request: HttpRequest):
    return [_out(request, c) for c in Campaign.objects.order_by("-created_on", "-pk")[:500]]


@router.get("/{campaign_id}", response={200: CampaignOut, 404: Problem}, summary="One campaign")
@public_api
def campaign(request: HttpRequest, campaign_id: int):
    return _out(request, get_object_or_404(Campaign, pk=campaign_id))
