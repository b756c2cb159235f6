"""The censor's rules as data: the term syntax and its compiler, from plain data to the patterns
the checker runs (`compile_rules`). Nothing here reads the database: the models validate terms with
it, and the checker compiles a country's `Rule`s with it (`checker.rules_for`).

The checker compiles a country's rules once per process and rules version: saving or deleting a
rule bumps `VERSION` (in the shared cache), so every process recompiles on its next check.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from solidarity.core.versions import CacheVersion

VERSION = CacheVersion("letters:rules-version")
DEFAULT_MAX_CHARACTERS = 3000


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
    """One line of a rule's terms as a regular expression (see `models.Rule`)."""
    if term.startswith("re:"):
        pattern = term[3:]
        try:
            # As one alternative among others, as the checker joins them: a global flag such as
            # (?i) or a named group would break the joined pattern, and every check with it.
            re.compile(f"(?:{pattern})|(?:{pattern})", re.IGNORECASE)
        except re.error as error:
            raise RuleError(f"{term}: {error}") from error
        return pattern
    words = fold(term).split()
    if not words:
        raise RuleError(f"{term!r}: empty term")
    parts = []
    for word in words:
        stem = word.endswith("*")
        word = word.rstrip("*")
        if not word:
            raise RuleError(f"{term}: a stem needs letters before *")
        parts.append(re.escape(word) + (r"\w*" if stem else ""))
    tail = "" if words[-1].endswith("*") else r"(?!\w)"
    return r"(?<!\w)" + r"\s+".join(parts) + tail


def term_errors(terms: str) -> list[str]:
    """What is wrong with a rule's terms, one message per bad line (none: they compile)."""
    errors = []
    for line in terms.splitlines():
        if line.strip():
            try:
                compile_term(line.strip())
            except RuleError as error:
                errors.append(str(error))
    return errors


@dataclass(frozen=True)
class CompiledRules:
    max_characters: int
    # One pattern per category and language: the terms joined as alternatives. Every language's
    # lists apply to every letter: writers mix Russian and Belarusian, and so do censors.
    patterns: tuple[tuple[str, str, re.Pattern], ...]

    def matches(self, folded_text: str):
        for category, _language, pattern in self.patterns:
            for match in pattern.finditer(folded_text):
                if match.end() > match.start():
                    yield category, match.start(), match.end()


def compile_rules(max_characters: int, rules: Iterable[tuple[str, str, str]]) -> CompiledRules:
    """A country's rules, given as (category, language, terms), compiled. A bad term is left out:
    the admin refuses them, and one that slipped in (a data file, the shell) must not stop the checker."""
    grouped: dict[tuple[str, str], list[str]] = {}
    for category, language, terms in rules:
        for line in terms.splitlines():
            if line.strip():
                try:
                    pattern = compile_term(line.strip())
                except RuleError:
                    continue
                if line.strip().startswith("re:") and _alternates_at_top_level(pattern):
                    pattern = f"(?:{pattern})"  # kept whole: its leading check binds one branch only
                grouped.setdefault((category, language), []).append(pattern)
    patterns = tuple(
        (category, language, re.compile(_alternatives(terms), re.IGNORECASE))
        for (category, language), terms in sorted(grouped.items())
    )
    return CompiledRules(max_characters, patterns)


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
    the whole pattern fails at once instead of trying every term (about 5x faster on letters)."""
    at_word_start = [t[len(WORD_START) :] for t in terms if t.startswith(WORD_START)]
    anywhere = [t for t in terms if not t.startswith(WORD_START)]
    parts = [f"{WORD_START}(?:{'|'.join(f'(?:{t})' for t in at_word_start)})"] if at_word_start else []
    parts += [f"(?:{t})" for t in anywhere]
    return "|".join(parts)


def country_file(country: str) -> dict:
    path = resources.files("solidarity.letters").joinpath(f"data/rules/{country.lower()}.json")
    return json.loads(path.read_text(encoding="utf-8"))
