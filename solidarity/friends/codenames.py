"""Codenames: seven words from the EFF long word list (7,776 words, 12.9 bits each, 90.5 bits in
all), drawn with `secrets`. The server keeps only keyed hashes of them."""

import hashlib
import hmac
import math
import re
import secrets
from functools import cache
from importlib import resources

from django.conf import settings

WORDS_PER_CODENAME = 7


@cache
def word_list() -> tuple[str, ...]:
    # The list ships with the xkcdpass package; we only read its file, and draw with `secrets`.
    text = resources.files("xkcdpass").joinpath("static/eff-long").read_text(encoding="utf-8")
    # Only plain words: a codename must survive being typed with any separators ("felt-tip" would not).
    candidates = {line.split()[-1].strip().lower() for line in text.splitlines() if line.strip()}
    words = tuple(sorted(word for word in candidates if word.isalpha() and word.isascii()))
    if len(words) < 7000:
        raise RuntimeError("The codename word list is too short.")
    return words


def entropy_bits() -> float:
    return WORDS_PER_CODENAME * math.log2(len(word_list()))


def new_codename() -> str:
    words = word_list()
    return " ".join(secrets.choice(words) for _ in range(WORDS_PER_CODENAME))


def normalise(codename: str) -> str:
    """However it was typed (case, dashes, extra spaces, line breaks), the same words."""
    return " ".join(re.findall(r"[a-z]+", (codename or "").lower()))


def _pepper(purpose: str) -> bytes:
    secret = getattr(settings, "FRIENDS_PEPPER", "") or settings.SECRET_KEY
    return hmac.new(secret.encode(), f"friends:{purpose}".encode(), hashlib.sha256).digest()


def key_hash(codename: str) -> str:
    return hmac.new(_pepper("key"), normalise(codename).encode(), hashlib.sha256).hexdigest()


def calendar_token(codename: str) -> str:
    """The secret in the calendar feed's address: derived from the codename, shown only to its holder."""
    return hmac.new(_pepper("calendar"), normalise(codename).encode(), hashlib.sha256).hexdigest()[:40]


def calendar_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _remember_tag(calendar: str) -> str:
    return hmac.new(_pepper("remember"), calendar.encode(), hashlib.sha256).hexdigest()


def remember_token(calendar: str) -> str:
    """What the remember-me cookie holds instead of the codename: the calendar token (which names
    the friend by its hash, and gives back the calendar's address) with a keyed tag, so that only
    this server can make one; those who know the calendar's address (a calendar service) cannot."""
    return f"{calendar}.{_remember_tag(calendar)}"


def remembered_calendar_token(token: str) -> str | None:
    """The calendar token of a remember-me token this server made, or None."""
    calendar, _dot, tag = token.partition(".")
    return calendar if hmac.compare_digest(tag.encode(), _remember_tag(calendar).encode()) else None
