"""What the reviewer should look at before approving: the details in an article that most often
endanger people still inside, found in every language it is written in. The review itself is the
editor's judgement (`services.record_review`); these notes only point at the places to read."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from solidarity.letters.checker import prisoner_names

from .models import Article

MONTHS = (
    "январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|декабр"
    "|студзен|лют|сакавік|красавік|мая|чэрвен|ліпен|жнів|верас|кастрычнік|лістапад|снеж"
    "|january|february|march|april|may|june|july|august|september|october|november|december"
)
DATE = re.compile(
    rf"\b\d{{1,2}}[./]\d{{1,2}}(?:[./]\d{{2,4}})?\b|\b\d{{1,2}}\s+(?:{MONTHS})\w*", re.IGNORECASE
)
# Where inside: a cell, a unit, a barrack, a shift, a numbered colony. Beside a name or a date
# these tell the administration who talked.
PLACE = re.compile(
    r"\b(?:камер\w*|отряд\w*|атрад\w*|барак\w*|смен[аеуы]\w*|змен\w*|карцер\w*|шизо|пкт"
    r"|cell|unit|barrack\w*|shift|solitary)\b|\b(?:ИК|ПК|СИЗО|ЛТП)[-\s№]*\d+",
    re.IGNORECASE,
)
AROUND = 40


@dataclass(frozen=True)
class Note:
    what: str
    language: str
    excerpt: str


def _excerpt(text: str, start: int, end: int) -> str:
    left, right = max(0, start - AROUND), min(len(text), end + AROUND)
    return ("…" if left else "") + text[left:right].replace("\n", " ") + ("…" if right < len(text) else "")


def notes_for(article: Article) -> list[Note]:
    subjects = frozenset(article.subjects.values_list("pk", flat=True))
    notes = []
    pictures = list(article.images.all())
    for language in article.languages():
        text = "\n\n".join(
            [getattr(article, f"{name}_{language}") for name in ("title", "lead", "body")]
            + [
                getattr(image, f"{name}_{language}") or ""
                for image in pictures
                for name in ("alt", "caption")
            ]
        )
        for finding in prisoner_names(text, subjects):
            notes.append(
                Note(str(_("names someone held now")), language, _excerpt(text, finding.start, finding.end))
            )
        for found in PLACE.finditer(text):
            notes.append(Note(str(_("a place inside")), language, _excerpt(text, found.start(), found.end())))
        for found in DATE.finditer(text):
            notes.append(Note(str(_("a date")), language, _excerpt(text, found.start(), found.end())))
    return notes
