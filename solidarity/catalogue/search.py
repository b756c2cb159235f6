"""Finding a person (or a facility, or a city) whatever the spelling.

Two libraries do the general work:
- anyascii turns any script into ASCII (Cyrillic, Łacinka's diacritics...). It is small, has no
  dependencies, is permissively licensed and covers every Unicode block, so Belarusian і/ў and
  Russian ё/ъ all get a Latin form without a table of our own.
- rapidfuzz computes edit distances in C++ (optimal string alignment: a swap of neighbours is
  one edit, as in typing), fast enough to compare a query word with the whole
  vocabulary of names on every keystroke: that is what forgives typos.

What is ours is the folding of the spellings people confuse (below, `skeleton`): the Belarusian
and Russian forms of one name (Бабарыка/Бабарико, Дзмітрый/Дмитрий), the transliteration systems
(kh/h/ch, ts/c, zh/ž, -skiy/-sky/-ski), е/ё/э, и/і/ы, у/ў, soft signs and doubled letters. Both the
names and the query are folded the same way, then matched word by word: exactly, as a prefix
(part of a name) or within one or two edits (typos), in any word order.

The index lives in each process's memory and is made again when the registry's version changes
(`registry.versioning`), by one process, which shares it with the others (`core.derived`); it
gives the same results on SQLite and PostgreSQL.
"""

import re
from array import array
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from anyascii import anyascii
from django.conf import settings
from rapidfuzz import process
from rapidfuzz.distance import OSA

from solidarity.core.derived import Derived
from solidarity.registry import versioning
from solidarity.registry.models import Facility, Person, Status

# Applied in order to lower-case ASCII. Multi-letter spellings of one sound first; ці/ти is the
# Belarusian and Russian form of one syllable (Ціханоўская, Тихановская).
_FOLDS = [
    ("shch", "s"),
    ("sch", "s"),
    ("tch", "c"),
    ("ch", "c"),
    ("sh", "s"),
    ("zh", "z"),
    ("kh", "h"),
    ("ts", "c"),
    ("tz", "c"),
    ("ci", "ti"),
    ("dz", "d"),
    ("ck", "k"),
    ("ph", "f"),
    ("x", "ks"),
    ("q", "k"),
    ("g", "h"),
    ("w", "u"),
    ("v", "u"),
    ("j", "i"),
    ("y", "i"),
    ("o", "a"),
]
# Then, with doubled letters already single: the iotated vowels я/ё/е/ю (ia, ya, ja, io, ie, iu...).
_IOTATED = [("ia", "e"), ("ie", "e"), ("iu", "u")]
_NOT_LETTERS = re.compile(r"[^a-z0-9 ]+")
_DOUBLES = re.compile(r"(.)\1+")

EXACT, PREFIX, ONE_EDIT, TWO_EDITS = 1.0, 0.8, 0.75, 0.55
MIN_PREFIX = 3
# A three-letter word forgives one edit only against short surnames (Los ~ Les, Iln ~ Ilin), and
# counts for less: against every word it would find half the vocabulary (Ale ~ Ales, Alen, Ala...).
SHORT_EDIT, SHORT_WORD, SHORT_SURNAME = 0.5, 3, 5


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """The folded form of one word: every spelling of a name should fold to (nearly) the same."""
    folded = _NOT_LETTERS.sub("", anyascii(word).lower())
    for spelling, sound in _FOLDS:
        folded = folded.replace(spelling, sound)
    folded = _DOUBLES.sub(r"\1", folded)
    for spelling, sound in _IOTATED:
        folded = folded.replace(spelling, sound)
    return _DOUBLES.sub(r"\1", folded)


def words(text: str) -> list[str]:
    """The folded words of a text, in order, without empty ones."""
    return [s for s in (skeleton(w) for w in re.split(r"[\s,.;:/()«»\"'’ʼ-]+", text or "")) if s]


@dataclass
class Index:
    """Folded words of every published person and facility, and who has each. Built in sets, kept
    in arrays of ids: a set of one id weighs twenty-seven times its eight bytes in an array, and a
    file of arrays reads back without an integer object per id and word (a tuple would make one
    each). Who is held now has postings of their own as well: a search among them (the list's and
    the API's default) reads a fiftieth of the postings at 50,000 people."""

    version: str
    vocabulary: list[str] = field(default_factory=list)  # sorted, for prefixes and edit distance
    people: dict[str, array] = field(default_factory=dict)
    surname_of: dict[str, array] = field(default_factory=dict)  # whose surname the word is
    held_people: dict[str, array] = field(default_factory=dict)  # the same, of the held only
    held_surname_of: dict[str, array] = field(default_factory=dict)
    facilities: dict[str, array] = field(default_factory=dict)
    held: set[int] = field(default_factory=set)  # political prisoners now, shown first on ties
    short_surnames: list[str] = field(default_factory=list)  # of at most SHORT_SURNAME letters


def _build(version: str) -> Index:
    index = Index(version=version)
    people: dict[str, set[int]] = defaultdict(set)
    surname_of: dict[str, set[int]] = defaultdict(set)
    facilities: dict[str, set[int]] = defaultdict(set)
    codes = [code for code, _name in settings.LANGUAGES]
    columns = [f"{part}_{code}" for part in ("first_name", "patronymic", "last_name") for code in codes]
    for row in Person.objects.published().values("pk", "status", *columns).iterator(chunk_size=5000):
        pk = row["pk"]
        for column in columns:
            for word in words(row[column]):
                people[word].add(pk)
                if column.startswith("last_name"):
                    surname_of[word].add(pk)
        if row["status"] == Status.POLITICAL_PRISONER:
            index.held.add(pk)
    facility_columns = [f"{part}_{code}" for part in ("name", "city") for code in codes]
    for row in Facility.objects.values("pk", "code_cyrillic", "code_latin", *facility_columns):
        for column in ("code_cyrillic", "code_latin", *facility_columns):
            for word in words(row[column]):
                facilities[word].add(row["pk"])
    index.vocabulary = sorted(people.keys() | facilities.keys())
    spelled = {word: word for word in index.vocabulary}  # one string per word, wherever it is used

    def postings(found: dict[str, set[int]], among: set[int] | None = None) -> dict[str, array]:
        kept = {word: pks & among if among is not None else pks for word, pks in found.items()}
        return {spelled[word]: array("q", sorted(pks)) for word, pks in kept.items() if pks}

    index.people = postings(people)
    index.surname_of = postings(surname_of)
    index.held_people = postings(people, index.held)
    index.held_surname_of = postings(surname_of, index.held)
    index.facilities = postings(facilities)
    index.short_surnames = sorted(word for word in index.surname_of if len(word) <= SHORT_SURNAME)
    return index


def _build_current() -> Index:
    return _build(versioning.current_version())


# Made by one process per change of the registry and shared with the others (`core.derived`).
INDEX = Derived("search-index", build=_build_current, version=versioning.current_version)


def current_index() -> Index:
    """The index of the registry as it is (or, for a moment after a change, as it was)."""
    return INDEX.current()


def _matches(index: Index, word: str) -> dict[str, float]:
    """Vocabulary words that `word` may mean, with how sure we are."""
    found: dict[str, float] = {}
    if len(word) >= MIN_PREFIX:
        start = bisect_left(index.vocabulary, word)
        for candidate in index.vocabulary[start:]:
            if not candidate.startswith(word):
                break
            found[candidate] = PREFIX
    allowed = 0 if len(word) < 4 else 1 if len(word) < 7 else 2
    if allowed:
        for candidate, distance, _position in process.extract(
            word, index.vocabulary, scorer=OSA.distance, score_cutoff=allowed, limit=None
        ):
            score = ONE_EDIT if distance == 1 else TWO_EDITS
            found[candidate] = max(found.get(candidate, 0), score)
    elif len(word) == SHORT_WORD:
        for candidate, _distance, _position in process.extract(
            word, index.short_surnames, scorer=OSA.distance, score_cutoff=1, limit=None
        ):
            found[candidate] = max(found.get(candidate, 0), SHORT_EDIT)
    if word in index.people or word in index.facilities:
        found[word] = EXACT
    return found


@dataclass(frozen=True)
class Hit:
    pk: int
    score: float


def _scores(index: Index, word: str, postings: dict[str, array], surname_of: dict[str, array]) -> dict:
    """Who matches one query word, and how well: the best of their words' scores, a surname's a
    little more than a first name's. Applied from the lowest score up, so the best one stays; each
    posting list goes into the dict in one call (in C), not id by id."""
    weighted = []
    for candidate, score in _matches(index, word).items():
        weighted.append((score, postings.get(candidate, ())))
        weighted.append((score + 0.05, surname_of.get(candidate, ())))
    weighted.sort(key=lambda pair: pair[0])
    scores: dict[int, float] = {}
    for score, pks in weighted:
        scores.update(dict.fromkeys(pks, score))
    return scores


def _rank(
    query_words: list[str],
    index: Index,
    limit: int | None,
    postings: dict[str, array],
    surname_of: dict[str, array] | None = None,
    first: set[int] = frozenset(),
) -> list[Hit]:
    per_word = [_scores(index, word, postings, surname_of or {}) for word in query_words]
    if len(per_word) == 1:
        totals = per_word[0]  # every match matched every word
        found = list(totals)
    else:
        totals = defaultdict(float)
        matched: dict[int, int] = defaultdict(int)
        for scores in per_word:
            for pk, score in scores.items():
                totals[pk] += score
                matched[pk] += 1
        if not totals:
            return []
        # Every word should match; if none does for everyone (a stray word), the most words win.
        best = max(matched.values())
        found = [pk for pk, count in matched.items() if count == best]
    # Best score first; on a tie, those in `first` (who is held now), then the older record. A short
    # prefix matches tens of thousands at scale: they are grouped by score (a handful of values)
    # and only the groups that reach `limit` are sorted.
    by_score: dict[float, list[int]] = defaultdict(list)
    for pk in found:
        by_score[totals[pk]].append(pk)
    ranked: list[Hit] = []
    for score in sorted(by_score, reverse=True):
        group = by_score[score]
        ordered = sorted(pk for pk in group if pk in first) + sorted(pk for pk in group if pk not in first)
        ranked += (Hit(pk, score) for pk in ordered)
        if limit and len(ranked) >= limit:
            return ranked[:limit]
    return ranked


def search_people(query: str, limit: int | None = None, *, held_only: bool = False) -> list[Hit]:
    """Published people matching the query, best first; `held_only`: among those held now."""
    query_words = words(query)
    if not query_words:
        return []
    index = current_index()
    if held_only:
        return _rank(query_words, index, limit, index.held_people, index.held_surname_of)  # all held
    return _rank(query_words, index, limit, index.people, index.surname_of, index.held)


def search_facilities(query: str, limit: int | None = None) -> list[Hit]:
    """Facilities whose name, short name or town matches the query, best first."""
    query_words = words(query)
    if not query_words:
        return []
    index = current_index()
    return _rank(query_words, index, limit, index.facilities)
