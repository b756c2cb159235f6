"""The censor's rules as data: the term syntax and its compiler, from plain data to the patterns
the checker runs (`compile_rules`). Nothing here reads the database: the models validate terms with
it, and the checker compiles a country's `Rule`s with it (`checker.rules_for`).

The checker compiles a country's rules once per process and rules version: saving or deleting a
rule bumps `VERSION` (in the shared cache), so every process recompiles on its next check.
"""

import bisect
import json
import re
import re._constants as _constants
import re._parser as _parser
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from solidarity.core.versions import CacheVersion

VERSION = CacheVersion("letters:rules-version")
DEFAULT_MAX_CHARACTERS = 3000
SENTENCE_TERM = "sentence:"
SENTENCE_END = re.compile(r"[.!?…\n]")


class RuleError(ValueError):
    pass


def fold(text: str) -> str:
    """Spellings the censor reads alike, made alike character for character (offsets are kept):
    ё as е, the apostrophes, and a word's first ў as у (Belarusian writes "у" as "ў" after a vowel:
    "сям'ю ўцекачоў" is the word "уцекачы")."""
    return _WORD_INITIAL_U_SHORT.sub(_u, text.translate(_FOLD))


_FOLD = str.maketrans({"ё": "е", "Ё": "Е", "’": "'", "ʼ": "'", "‘": "'"})
_WORD_INITIAL_U_SHORT = re.compile(r"(?<!\w)[ўЎ]")


def _u(match: re.Match) -> str:
    return "у" if match.group() == "ў" else "У"


def compile_term(term: str) -> str:
    """One line of a rule's terms as a regular expression (see `models.Rule`); a sentence term
    is several (`sentence_parts`)."""
    if term.startswith(SENTENCE_TERM):
        raise RuleError(f"{term}: a sentence term is several patterns, see sentence_parts")
    if term.startswith("re:"):
        pattern = term[3:]
        try:
            # As one alternative among others, as the checker joins them: a global flag such as
            # (?i) or a named group would break the joined pattern, and every check with it.
            re.compile(f"(?:{pattern})|(?:{pattern})", re.IGNORECASE)
        except re.error as error:
            raise RuleError(f"{term}: {error}") from error
        return pattern
    return _plain_term(term, term)


def _plain_term(words_term: str, line: str) -> str:
    """A word, a stem* or a phrase of them, as a pattern that starts at a word's start."""
    words = fold(words_term).split()
    if not words:
        raise RuleError(f"{line!r}: empty term")
    parts = []
    for word in words:
        stem = word.endswith("*")
        word = word.rstrip("*")
        if not word:
            raise RuleError(f"{line}: a stem needs letters before *")
        parts.append(re.escape(word) + (r"\w*" if stem else ""))
    tail = "" if words[-1].endswith("*") else r"(?!\w)"
    return r"(?<!\w)" + r"\s+".join(parts) + tail


def sentence_parts(term: str) -> tuple[tuple[bool, tuple[str, ...]], ...]:
    """`sentence: a* | b & c d* & !e`: found where one sentence holds every part joined by `&`,
    each being any of its alternatives joined by `|` (words, stems, phrases; no re:), in any order,
    and none of the parts marked `!` (the context that makes it harmless: a referee at a match).
    A hint is often no word at all but words together: the yard, tea and "back then"."""
    parts = []
    for part in term[len(SENTENCE_TERM) :].split("&"):
        wanted = not part.strip().startswith("!")
        options = part.strip().removeprefix("!").split("|")
        parts.append((wanted, tuple(_plain_term(option, term) for option in options)))
    if len(parts) < 2 or not any(wanted for wanted, _ in parts):
        raise RuleError(f"{term}: a sentence term needs two parts or more, joined by &, one without !")
    return tuple(parts)


def term_errors(terms: str) -> list[str]:
    """What is wrong with a rule's terms, one message per bad line (none: they compile)."""
    errors = []
    for line in terms.splitlines():
        if line.strip():
            try:
                _compile_line(line.strip())
            except RuleError as error:
                errors.append(str(error))
    return errors


def _compile_line(line: str) -> str | tuple[tuple[bool, tuple[str, ...]], ...]:
    return sentence_parts(line) if line.startswith(SENTENCE_TERM) else compile_term(line)


@dataclass(frozen=True)
class SentenceRules:
    """Sentence terms, found in one pass: `finder` stops at every word start where any part's
    alternative may begin (zero-width, so no alternative hides another starting inside it), where
    the alternatives beginning with that letter are tried (`by_first_letter`: (id, pattern)); each
    term is its category and, per part, whether it is wanted (or must be absent) and the ids of its
    alternatives."""

    finder: re.Pattern
    by_first_letter: dict[str, tuple[tuple[int, re.Pattern], ...]]
    terms: tuple[tuple[str, tuple[tuple[bool, frozenset[int]], ...]], ...]

    def matches(self, folded_text: str) -> Iterator[tuple[str, int, int]]:
        found: dict[int, list[tuple[int, int]]] = {}
        for position in self.finder.finditer(folded_text):
            start = position.start()
            for alternative, pattern in self.by_first_letter.get(folded_text[start].lower(), ()):
                match = pattern.match(folded_text, start)
                if match:
                    found.setdefault(alternative, []).append((start, match.end()))
        if not found:
            return
        ends = [end.start() for end in SENTENCE_END.finditer(folded_text)]
        for category, parts in self.terms:
            # sentence -> for each part, the spans of its alternatives found there
            sentences: dict[int, list[list[tuple[int, int]]]] = {}
            for index, (_wanted, alternatives) in enumerate(parts):
                for alternative in alternatives:
                    for span in found.get(alternative, ()):
                        sentence = bisect.bisect(ends, span[0])
                        sentences.setdefault(sentence, [[] for _ in parts])[index].append(span)
            for spans in sentences.values():
                if all(
                    bool(found_here) == wanted for (wanted, _), found_here in zip(parts, spans, strict=True)
                ):
                    wanted_spans = [
                        span
                        for (wanted, _), part in zip(parts, spans, strict=True)
                        if wanted
                        for span in part
                    ]
                    yield category, min(s for s, _ in wanted_spans), max(e for _, e in wanted_spans)


def _sentence_rules(
    terms: list[tuple[str, tuple[tuple[bool, tuple[str, ...]], ...]]],
) -> SentenceRules | None:
    if not terms:
        return None
    ids: dict[str, int] = {}
    compiled = []
    for category, parts in terms:
        ids_of_parts = tuple(
            (wanted, frozenset(ids.setdefault(a, len(ids)) for a in part)) for wanted, part in parts
        )
        compiled.append((category, ids_of_parts))
    by_first_letter: dict[str, list[tuple[int, re.Pattern]]] = {}
    for alternative, number in ids.items():
        # A plain term is (?<!\w) then its first word escaped: its first letter comes next.
        first = alternative[len(WORD_START) :].lstrip("\\")[0].lower()
        by_first_letter.setdefault(first, []).append((number, re.compile(alternative, re.IGNORECASE)))
    alternatives = _by_first_letter([a[len(WORD_START) :] for a in ids])
    return SentenceRules(
        re.compile(f"{WORD_START}(?=(?:{alternatives}))", re.IGNORECASE),
        {letter: tuple(found) for letter, found in by_first_letter.items()},
        tuple(compiled),
    )


@dataclass(frozen=True)
class CompiledRules:
    max_characters: int
    # One pattern per category and language: the terms joined as alternatives. Every language's
    # lists apply to every letter: writers mix Russian and Belarusian, and so do censors.
    patterns: tuple[tuple[str, str, re.Pattern], ...]
    sentences: SentenceRules | None = None

    def matches(self, folded_text: str):
        for category, _language, pattern in self.patterns:
            for match in pattern.finditer(folded_text):
                if match.end() > match.start():
                    yield category, match.start(), match.end()
        if self.sentences:
            yield from self.sentences.matches(folded_text)


def compile_rules(max_characters: int, rules: Iterable[tuple[str, str, str]]) -> CompiledRules:
    """A country's rules, given as (category, language, terms), compiled. A bad term is left out:
    the admin refuses them, and one that slipped in (a data file, the shell) must not stop the checker."""
    grouped: dict[tuple[str, str], list[str]] = {}
    sentences: list[tuple[str, tuple[tuple[bool, tuple[str, ...]], ...]]] = []
    for category, language, terms in rules:
        for line in terms.splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                pattern = _compile_line(line)
            except RuleError:
                continue
            if isinstance(pattern, tuple):
                sentences.append((category, pattern))
                continue
            if line.startswith("re:") and _alternates_at_top_level(pattern):
                pattern = f"(?:{pattern})"  # kept whole: its leading check binds one branch only
            grouped.setdefault((category, language), []).append(pattern)
    patterns = tuple(
        (category, language, re.compile(_alternatives(terms), re.IGNORECASE))
        for (category, language), terms in sorted(grouped.items())
    )
    return CompiledRules(max_characters, patterns, _sentence_rules(sentences))


NO_RULES = CompiledRules(DEFAULT_MAX_CHARACTERS, ())


WORD_START = r"(?<!\w)"


def _alternates_at_top_level(pattern: str) -> bool:
    """Whether `a|b` splits the whole pattern (outside any group or character class)."""
    depth, escaped, in_class = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
    return False


def _alternatives(terms: list[str]) -> str:
    """One pattern of many terms. The word-start check that nearly every term begins with is
    asked once, before the alternatives: most positions in a text are not a word's start, and there
    the whole pattern fails at once instead of trying every term (about 5x faster on letters).
    Terms whose first character is a letter or digit are asked one more check first, that one
    stands there (a text of twenty thousand dashes is twenty thousand word starts)."""
    at_word_start = [t[len(WORD_START) :] for t in terms if t.startswith(WORD_START)]
    anywhere = [t for t in terms if not t.startswith(WORD_START)]
    wordy = [t for t in at_word_start if _begins_with_a_word_character(t)]
    others = [f"(?:{t})" for t in at_word_start if not _begins_with_a_word_character(t)]
    starts = ([rf"(?=\w)(?:{_by_first_letter(wordy)})"] if wordy else []) + others
    parts = [f"{WORD_START}(?:{'|'.join(starts)})"] if starts else []
    parts += [f"(?:{t})" for t in anywhere]
    return "|".join(parts)


def _by_first_letter(patterns: list[str]) -> str:
    r"""Alternatives that begin with a letter, grouped by it (`а(?:дрэс|ртыкул\w*)|б(?:...)`):
    at a word's start the engine then tests a few dozen letters, not every term (a text of
    twenty thousand dashes, each a word's start, took 430 ms). Within a letter the order is kept."""
    grouped: dict[str, list[str]] = {}
    others = []
    for pattern in patterns:
        first = pattern[:1]
        if first.isalnum() and pattern[1:2] not in ("*", "+", "?", "{"):  # not a repeated letter
            grouped.setdefault(first.lower(), []).append(pattern[1:])
        else:
            others.append(f"(?:{pattern})")
    letters = [f"{first}(?:{'|'.join(rests)})" for first, rests in grouped.items()]
    return "|".join(letters + others)


def _begins_with_a_word_character(pattern: str) -> bool:
    """Whether every match of `pattern` begins with a letter, a digit or _ (read from the parsed
    expression; False where unsure)."""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return False
    return _first_is_word(list(parsed))


def _first_is_word(items) -> bool:
    for op, av in items:
        if op in (_constants.ASSERT, _constants.ASSERT_NOT, _constants.AT):
            continue  # takes no character
        if op is _constants.LITERAL:
            return chr(av).isalnum() or chr(av) == "_"
        if op is _constants.IN:
            return all(_word_class_item(item_op, item_av) for item_op, item_av in av)
        if op is _constants.SUBPATTERN:
            return _first_is_word(list(av[3]))
        if op is _constants.BRANCH:
            return all(_first_is_word(list(branch)) for branch in av[1])
        if op in (_constants.MAX_REPEAT, _constants.MIN_REPEAT):
            return av[0] > 0 and _first_is_word(list(av[2]))
        return False
    return False


def _word_class_item(op, av) -> bool:
    if op is _constants.LITERAL:
        return chr(av).isalnum() or chr(av) == "_"
    if op is _constants.RANGE:
        return all(chr(code).isalnum() for code in av)
    return op is _constants.CATEGORY and av is _constants.CATEGORY_WORD


def country_file(country: str) -> dict:
    path = resources.files("solidarity.letters").joinpath(f"data/rules/{country.lower()}.json")
    return json.loads(path.read_text(encoding="utf-8"))
