"""The letter checker in the open-data API, for partner sites and bots: the one POST, which
reads a text and keeps nothing of it. Mounted by `api` under /api/v1/letters/."""

from typing import Literal

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from solidarity.core import ratelimit
from solidarity.core.middleware import visitor_language
from solidarity.core.pages import Problem
from solidarity.registry.models import Person

from . import checker

router = Router(tags=["letters"])


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
    summary: str = Field(description="One sentence: nothing found, or how many things to change.")
    counted: str = Field(description="The length against the most it should be, as a sentence.")
    findings: list[LetterFinding]


# A writer's page checks as they type (a pause of 0.6 s): an hour of writing asks a few hundred
# times. The worst text takes about 0.3 s to check (`make bench`), so a client can't take a core.
CHECKS_PER_HOUR = 600


@router.post(
    "/check",
    response={200: LetterCheckOut, 422: Problem, 429: Problem, 503: Problem},
    summary="Check a letter against the censor's rules",
)
def check_letter(request: HttpRequest, payload: LetterCheckIn):
    """What in the text would make the censor destroy the letter, each finding with its rule, a
    message and a fix in the asked language, and its place in the text (`start`, `end`: offsets
    in characters). The text is not stored or logged."""
    try:
        allowed = ratelimit.hit(
            "letters:check", ratelimit.client_key(request), limit=CHECKS_PER_HOUR, window=3600
        )
    except ratelimit.Unavailable as outage:
        raise HttpError(503, str(outage)) from outage
    if not allowed:
        raise HttpError(429, "Too many checks from here; try again in an hour.")
    languages = {code for code, _name in settings.LANGUAGES}
    language = payload.lang if payload.lang in languages else visitor_language(request)
    addressee = Person.objects.filter(pk=payload.person).first() if payload.person else None
    with translation.override(language):
        return checker.check(
            payload.text, country=payload.country, kind=payload.kind, addressee=addressee
        ).as_dict()
