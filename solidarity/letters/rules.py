"""The censor's rules as data: the term syntax, its compiler, and the compiled rules of a country.

Rules are compiled once per process and rules version: saving or deleting a rule bumps the version
(in the shared cache), so every process recompiles on its next check.
"""

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from django.db import transaction

from solidarity.core.versions import CacheVersion

VERSION = CacheVersion("letters:rules-version")
DEFAULT_MAX_CHARACTERS = 3000


class RuleError(ValueError):
    pass


def fold(text: str) -> str:
    """Spellings the censor reads alike, made alike character for character (offsets are kept)."""
    return text.translate(_FOLD)


_FOLD = str.maketrans({"ё": "е", "Ё": "Е", "’": "'", "ʼ": "'", "‘": "'"})


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


def rules_for(country: str) -> CompiledRules:
    """The country's rules, compiled (an unknown country has none, and the default length)."""
    return _compiled(country.upper(), VERSION.current())


@lru_cache(maxsize=8)
def _compiled(country: str, _version: str) -> CompiledRules:
    from .models import RuleSet

    ruleset = RuleSet.objects.filter(country=country).prefetch_related("rules").first()
    if ruleset is None:
        return CompiledRules(DEFAULT_MAX_CHARACTERS, ())
    grouped: dict[tuple[str, str], list[str]] = {}
    for rule in ruleset.rules.all():
        for line in rule.terms.splitlines():
            if line.strip():
                try:
                    pattern = compile_term(line.strip())
                except RuleError:
                    continue  # the admin refuses bad terms; one that slipped in must not stop the checker
                if line.strip().startswith("re:") and _alternates_at_top_level(pattern):
                    pattern = f"(?:{pattern})"  # kept whole: its leading check binds one branch only
                grouped.setdefault((rule.category, rule.language), []).append(pattern)
    patterns = tuple(
        (category, language, re.compile(_alternatives(terms), re.IGNORECASE))
        for (category, language), terms in sorted(grouped.items())
    )
    return CompiledRules(ruleset.max_characters, patterns)


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


@transaction.atomic
def load_rules(country: str, *, replace: bool = False) -> int:
    """Loads a country's rules from its data file; keeps staff's edits unless asked to replace them.
    Returns how many rules were created."""
    from .models import Rule, RuleSet

    data = country_file(country)
    ruleset, created = RuleSet.objects.get_or_create(
        country=data["country"].upper(), defaults={"max_characters": data["max_characters"]}
    )
    if not created and not replace and ruleset.rules.exists():
        return 0
    ruleset.rules.all().delete()
    ruleset.max_characters = data["max_characters"]
    ruleset.save()
    rules = [
        Rule(
            ruleset=ruleset,
            category=item["category"],
            language=item.get("language", ""),
            terms="\n".join(item["terms"]),
        )
        for item in data["rules"]
    ]
    for rule in rules:
        rule.clean()
    Rule.objects.bulk_create(rules)
    VERSION.bump()
    return len(rules)
