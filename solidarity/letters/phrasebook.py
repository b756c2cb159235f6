"""The phrasebook: phrases shown in the visitor's language, written into the letter in correct
Russian or Belarusian. The phrases are data (`data/phrasebook.json`); holiday phrases are offered
in their season only."""

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

LETTER_LANGUAGES = ("ru", "be")
# Phrases of these topics open and close the letter; the rest make its middle, a paragraph each.
OPENING, CLOSING = "greetings", "closing"


@dataclass(frozen=True)
class Phrase:
    id: str
    topic: str
    texts: dict  # language -> text, or {"m": ..., "f": ...} where it agrees with the recipient
    months: tuple[int, ...] = ()
    gender: str = ""

    def shown_in(self, language: str, gender: str, name: str) -> str:
        """The phrase as the visitor reads it: in their language, or in English."""
        return self._text(language if language in self.texts else "en", gender).replace("{name}", name)

    def written_in(self, language: str, gender: str, name: str) -> str:
        return self._text(language, gender).replace("{name}", name)

    def _text(self, language: str, gender: str) -> str:
        text = self.texts[language]
        if isinstance(text, dict):
            return text["f" if gender == "female" else "m"]
        return text


@dataclass(frozen=True)
class Topic:
    slug: str
    titles: dict
    phrases: tuple[Phrase, ...]

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles["en"]


@cache
def topics() -> tuple[Topic, ...]:
    path = resources.files("solidarity.letters").joinpath("data/phrasebook.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Topic(
            slug=topic["slug"],
            titles=topic["title"],
            phrases=tuple(
                Phrase(
                    id=item["id"],
                    topic=topic["slug"],
                    texts={code: item[code] for code in ("en", "ru", "be")},
                    months=tuple(item.get("months", ())),
                    gender=item.get("gender", ""),
                )
                for item in topic["phrases"]
            ),
        )
        for topic in data["topics"]
    )


def offered(month: int, gender: str) -> list[Topic]:
    """The topics and phrases to offer this month, for a recipient of this gender."""
    chosen = []
    for topic in topics():
        phrases = tuple(
            p
            for p in topic.phrases
            if (not p.months or month in p.months) and (not p.gender or p.gender[:1] == gender[:1])
        )
        if phrases:
            chosen.append(Topic(topic.slug, topic.titles, phrases))
    return chosen


def by_id() -> dict[str, Phrase]:
    return {phrase.id: phrase for topic in topics() for phrase in topic.phrases}


def assemble(ids: list[str], *, language: str, gender: str, name: str) -> str:
    """The chosen phrases as a letter: greeting lines, a paragraph per topic, the closing last."""
    known = by_id()
    chosen = [known[i] for i in dict.fromkeys(ids) if i in known]
    order = [t.slug for t in topics()]
    paragraphs = []
    for slug in order:
        sentences = [p.written_in(language, gender, name) for p in chosen if p.topic == slug]
        if sentences:
            paragraphs.append(("\n" if slug in (OPENING, CLOSING) else " ").join(sentences))
    return "\n\n".join(paragraphs)


def append(body: str, addition: str) -> str:
    body = re.sub(r"\s+$", "", body or "")
    return f"{body}\n\n{addition}" if body and addition else body or addition
