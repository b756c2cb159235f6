"""Codenames: words drawn with `secrets` from a list in the visitor's language, enough of them for
at least 90 bits (`entropy_bits`): seven from the EFF long list in English (7,776 words, less
those in `data/codewords/en-excluded.txt`, which read as politics, prison or harm), nine
from our own lists of common, neutral Belarusian and Russian words (`data/codewords/`, over
1,024 each). A codename typed in any of the lists is accepted. The server keeps only keyed hashes
of them."""

import hashlib
import hmac
import math
import re
import secrets
import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

WORDS_PER_CODENAME = {"en": 7, "be": 9, "ru": 9}
CODEWORDS = Path(__file__).parent / "data" / "codewords"
MINIMUM_BITS = 90


@cache
def word_list(language: str = "en") -> tuple[str, ...]:
    if language == "en":
        # The list ships with the xkcdpass package; we only read its file, and draw with `secrets`.
        text = resources.files("xkcdpass").joinpath("static/eff-long").read_text(encoding="utf-8")
        candidates = {line.split()[-1].strip().lower() for line in text.splitlines() if line.strip()}
        # A codename may be found on paper: none of its words may read as politics, prison or harm.
        candidates -= set((CODEWORDS / "en-excluded.txt").read_text(encoding="utf-8").split())
    else:
        candidates = set((CODEWORDS / f"{language}.txt").read_text(encoding="utf-8").split())
    # Only plain words: a codename must survive being typed with any separators ("felt-tip" would not).
    words = tuple(sorted(word for word in candidates if word.isalpha()))
    if WORDS_PER_CODENAME[language] * math.log2(len(words)) < MINIMUM_BITS:
        raise RuntimeError(f"The {language} codename word list is too short.")
    return words


def entropy_bits(language: str = "en") -> float:
    return WORDS_PER_CODENAME[language] * math.log2(len(word_list(language)))


def codename_language(language: str | None = None) -> str:
    """The list a new codename is drawn from: the interface language's, else English."""
    language = language or get_language() or "en"
    return language if language in WORDS_PER_CODENAME else "en"


def new_codename(language: str | None = None) -> str:
    """A new codename in `language` (by default the active one)."""
    language = codename_language(language)
    words = word_list(language)
    return " ".join(secrets.choice(words) for _ in range(WORDS_PER_CODENAME[language]))


# Typed on another keyboard, the same word: ё as е, ў as у, і as и.
_FOLDED = str.maketrans({"ё": "е", "ў": "у", "і": "и"})


def normalise(codename: str) -> str:
    """However it was typed (case, dashes, extra spaces, line breaks, ё or е, a letter and its
    accent composed or not), the same words."""
    composed = unicodedata.normalize("NFC", codename or "")
    return " ".join(re.findall(r"[^\W\d_]+", composed.lower().translate(_FOLDED)))


def looks_like_codename(codename: str) -> bool:
    """As many words as a codename of one of the lists has: anything else is not looked up."""
    return len(normalise(codename).split()) in set(WORDS_PER_CODENAME.values())


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
