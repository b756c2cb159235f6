"""Keeping bots from public forms (befriending, handing over a letter, and the forms to come),
with nothing from a third party.

A visitor with JavaScript solves a proof-of-work puzzle in the ALTCHA protocol (our own small
script, `static/js/pow.js`, computes it; the `altcha` library makes and checks the signed
challenge). A visitor without JavaScript answers a small question instead, behind a stricter limit.
Both are limited per client on an opaque, day-salted key (`core.ratelimit`), a solution counts
once (its marker, in the ledger, names the challenge: however the solution is written again, it is
the same), and a hidden honeypot field catches form-filling robots. A post with none of this
changes nothing, and while the ledger cannot be reached no post goes ahead.

A form of such a post extends `GuardForm`; its page includes `core/_guard.html` with `context()`.
"""

import base64
import binascii
import datetime
import hashlib
import hmac
import json
import secrets

from altcha import v1 as altcha  # the classic protocol: sha256(salt + number), signed with HMAC
from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import caches
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ratelimit

POW_MAX_NUMBER = 150_000  # about 75,000 hashes on average: a fraction of a second in a browser
VALID_FOR = datetime.timedelta(minutes=20)
HONEYPOT = "website"
QUESTION_SALT = "guard.question"
WINDOW = 3600


def _key() -> str:
    return hmac.new(settings.SECRET_KEY.encode(), b"guard:altcha", hashlib.sha256).hexdigest()


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


def context() -> dict:
    """What `core/_guard.html` shows: a new challenge, a new question and the honeypot's name."""
    return {"challenge": new_challenge(), "question": new_question(), "honeypot": HONEYPOT}


def _once(what: str) -> bool:
    """A solution (or an answer) is good for one post only."""
    return caches["ledger"].add(
        f"guard:used:{hashlib.sha256(what.encode()).hexdigest()}",
        1,
        timeout=int(VALID_FOR.total_seconds()) + 60,
    )


def _solution_of(payload: str) -> dict | None:
    """The solution's fields, read as `altcha` reads them, or None if they can't be (or are not
    text where `altcha` needs text)."""
    try:
        fields = json.loads(base64.b64decode(payload).decode())
    except (binascii.Error, ValueError, TypeError):
        return None
    texts = ("algorithm", "challenge", "salt", "signature")
    if not isinstance(fields, dict) or not all(isinstance(fields.get(name), str) for name in texts):
        return None
    return fields


def _solved_once(payload: str) -> bool:
    """A valid solution of a challenge of ours, used for the first time. Its marker is the
    challenge's salt (as verified: `altcha` adds the final "&" when it is missing) and signature,
    so no other writing of the same solution (spaces, another key, the number as text) counts
    again."""
    fields = _solution_of(payload)
    if fields is None:
        return False
    ok, _error = altcha.verify_solution(fields, _key(), check_expires=True)
    salt = fields["salt"] if fields["salt"].endswith("&") else fields["salt"] + "&"
    return ok and _once(f"{salt}\n{fields['signature']}")


def _limited(request: HttpRequest, scope: str, limit: int) -> str | None:
    if ratelimit.hit(scope, ratelimit.client_key(request), limit=limit, window=WINDOW):
        return None
    return _("Too many requests from here. Please try again in an hour.")


def _check(request: HttpRequest, data: dict) -> str | None:
    """None if the post may go ahead; otherwise the message to show. Only a valid solution, or an
    answer to a question still open, counts against the client's limit."""
    if data.get(HONEYPOT):
        return _("This form was filled in by a program. Nothing was done.")
    payload = data.get("altcha") or ""
    if payload:
        if not _solved_once(payload):
            return _("The automatic check did not succeed. Please try again.")
        return _limited(request, "guard:pow", settings.FRIENDS_LIMIT_PER_HOUR)
    answer, token = (data.get("answer") or "").strip(), data.get("question_token") or ""
    if not token:
        return _("Please answer the question.")
    try:
        expected = signing.loads(token, salt=QUESTION_SALT, max_age=VALID_FOR.total_seconds())["answer"]
    except (signing.BadSignature, KeyError, TypeError):
        return _("The question has expired. Please answer the new one.")
    refused = _limited(request, "guard:question", settings.FRIENDS_LIMIT_PER_HOUR_WITHOUT_JS)
    if refused:
        return refused
    if answer != str(expected) or not _once(token):
        return _("That answer is not right. Please try the new question.")
    return None


class GuardForm(forms.Form):
    """The guard's fields, as `core/_guard.html` writes them: valid when the post may go ahead.
    The check runs last, and only when the rest of the form is valid, so that a post refused for
    its content spends neither the solution nor the client's limit."""

    altcha = forms.CharField(required=False)
    answer = forms.CharField(required=False)
    question_token = forms.CharField(required=False)
    website = forms.CharField(required=False)  # the honeypot (HONEYPOT)

    def __init__(self, *args, request: HttpRequest, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                error = _check(self.request, data)
            except ratelimit.Unavailable as outage:
                error = str(outage)
            if error:
                raise forms.ValidationError(error, code="guard")
        return data
