"""Keeping bots from inflating friend counts, with nothing from a third party.

A visitor with JavaScript solves a proof-of-work puzzle in the ALTCHA protocol (our own small
script computes it; the `altcha` library makes and checks the signed challenge). A visitor without
JavaScript answers a small question instead, behind a stricter limit. Both are limited per client
on an opaque, day-salted key (`core.ratelimit`), a solution counts once, and a hidden honeypot field
catches form-filling robots. A post with none of this changes nothing.
"""

import datetime
import hashlib
import hmac
import secrets

from altcha import v1 as altcha  # the classic protocol: sha256(salt + number), signed with HMAC
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from solidarity.core import ratelimit

POW_MAX_NUMBER = 150_000  # about 75,000 hashes on average: a fraction of a second in a browser
VALID_FOR = datetime.timedelta(minutes=20)
HONEYPOT = "website"
QUESTION_SALT = "friends.question"


def _key() -> str:
    return hmac.new(settings.SECRET_KEY.encode(), b"friends:altcha", hashlib.sha256).hexdigest()


def new_challenge() -> dict:
    challenge = altcha.create_challenge(
        hmac_key=_key(), max_number=POW_MAX_NUMBER, expires=timezone.now() + VALID_FOR
    )
    return {
        "algorithm": challenge.algorithm,
        "challenge": challenge.challenge,
        "maxnumber": challenge.max_number,
        "salt": challenge.salt,
        "signature": challenge.signature,
    }


def new_question() -> dict:
    """A sum to answer without JavaScript, its answer sealed in a signed token."""
    a, b = secrets.randbelow(8) + 2, secrets.randbelow(8) + 2
    token = signing.dumps({"answer": a + b, "nonce": secrets.token_hex(8)}, salt=QUESTION_SALT)
    return {"text": _("How much is %(a)s plus %(b)s?") % {"a": a, "b": b}, "token": token}


def _once(proof: str) -> bool:
    """A solution is good for one post only."""
    return cache.add(
        f"guard:used:{hashlib.sha256(proof.encode()).hexdigest()}",
        1,
        timeout=int(VALID_FOR.total_seconds()) + 60,
    )


def check(request: HttpRequest, data) -> str | None:
    """None if the post may go ahead; otherwise the message to show (nothing has changed)."""
    client = ratelimit.client_key(request)
    if data.get(HONEYPOT):
        return _("This form was filled in by a program. Nothing was done.")
    payload = data.get("altcha") or ""
    if payload:
        if ratelimit.exceeded("friends:pow", client, settings.FRIENDS_LIMIT_PER_HOUR):
            return _("Too many requests from here. Please try again in an hour.")
        ok, _error = altcha.verify_solution(payload, _key(), check_expires=True)
        if not ok or not _once(payload):
            return _("The automatic check did not succeed. Please try again.")
        ratelimit.record("friends:pow", client, 3600)
        return None
    answer, token = (data.get("answer") or "").strip(), data.get("question_token") or ""
    if not token:
        return _("Please answer the question.")
    if ratelimit.exceeded("friends:question", client, settings.FRIENDS_LIMIT_PER_HOUR_WITHOUT_JS):
        return _("Too many requests from here. Please try again in an hour.")
    try:
        expected = signing.loads(token, salt=QUESTION_SALT, max_age=VALID_FOR.total_seconds())["answer"]
    except (signing.BadSignature, KeyError, TypeError):
        return _("The question has expired. Please answer the new one.")
    ratelimit.record("friends:question", client, 3600)
    if answer != str(expected) or not _once(token):
        return _("That answer is not right. Please try the new question.")
    return None
