"""The checker measured on corpora of letters written independently of its rules: half clean
(with the near-misses real letters have: судьба, посуда, партия в шахматы, a family signing with a
prisoner's surname...), half with the problems censors destroy letters for.

- `corpus.json`: 124 letters, the first corpus.
- `corpus-blind-1.json`: 80 letters written blind (by a writer who saw neither the rules nor the
  first corpus, briefed only with the censors' practice as human-rights groups describe it);
  measured before any rule learned from it (its "about" gives that first figure), then learned from.
- `corpus-blind-2.json`: 80 more written the same way by another writer, measured once after the
  rules had learned from the first two (its "about" gives that figure), then learned from.
- `corpus-blind-3.json`: 80 more, measured only after the rules had learned from all the others:
  the checker's figure on letters it was not written for (82.5%, 0%).
- `corpus-blind-4.json`: 80 more by a fourth writer, measured once with the same rules as the third
  (87.5%, 2.5%): a second such figure; the third and fourth were then learned from.
- `corpus-blind-5.json`: 80 more by a fifth writer, measured once after the rules had learned from
  the first four (82.5%, 12.5%: referees taken for judges, everyday freedom), then learned from.
- `corpus-blind-6.json`: 80 more by a sixth writer, measured once after the rules had learned from
  the first five (75.0%, 20.0%: everyday capitals such as УЗИ, a joking verdict on a cake, a hockey
  referee, songs by their lines, hints such as "ну ты понял"), then learned from (97.5%, 7.5%).
- `corpus-blind-7.json`: 80 more by a seventh writer, measured once after the rules had learned from
  the first six (82.5%, 17.5%) and kept unlearned: the checker's figure on letters it was not
  written for, which every earlier blind corpus put between 75% and 87.5% caught.

Run with -s to see the rates per corpus and per category."""

import json
from pathlib import Path

import pytest

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.letters import checker

CORPORA = [
    "corpus.json",
    "corpus-blind-1.json",
    "corpus-blind-2.json",
    "corpus-blind-3.json",
    "corpus-blind-4.json",
    "corpus-blind-5.json",
    "corpus-blind-6.json",
    "corpus-blind-7.json",
]
MIN_PROBLEMS_FLAGGED = 0.95
MAX_CLEAN_FLAGGED = 0.05
# Where a corpus stands below the goal (issue 21), the checker may not fall below where it stands.
# The sixth, learned from, keeps three false alarms: a pet rabbit named like a prisoner, a
# grandfather's letters from the front (1944), a school-leaver's summer "freedom".
# The seventh, never learned from, holds the figure it was measured at.
MEASURED_SHORT = {"corpus-blind-6.json": (0.95, 0.075), "corpus-blind-7.json": (0.825, 0.175)}


def _person(names: dict):
    return prisoner(
        first_name_ru=names["ru"][0],
        last_name_ru=names["ru"][1],
        first_name_be=names["be"][0],
        last_name_be=names["be"][1],
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", CORPORA)
def test_the_checker_flags_problem_letters_and_passes_clean_ones(rules, name):
    corpus = json.loads((Path(__file__).parent / name).read_text(encoding="utf-8"))
    addressee = _person(corpus["recipient"])
    for names in corpus["registry"]:
        _person(names)
    letters = corpus["letters"]
    clean = [letter for letter in letters if letter["clean"]]
    problems = [letter for letter in letters if not letter["clean"]]
    assert len(letters) >= 80 and len(clean) >= 40 and len(problems) >= 40

    found = {letter["id"]: checker.check(letter["text"], addressee=addressee) for letter in letters}
    wrongly_flagged = [letter["id"] for letter in clean if not found[letter["id"]].ok]
    missed = [letter["id"] for letter in problems if found[letter["id"]].ok]
    flagged_rate = 1 - len(missed) / len(problems)
    clean_rate = len(wrongly_flagged) / len(clean)

    # Per category: was the letter flagged, and was its own problem among the findings?
    categories: dict[str, list[bool]] = {}
    for letter in problems:
        rules_found = {f.rule for f in found[letter["id"]].findings}
        for problem in letter["problems"]:
            categories.setdefault(problem, []).append(problem in rules_found)
    print(f"\n{name}: {len(letters)} letters ({len(problems)} with problems, {len(clean)} clean)")
    print(f"  problem letters flagged: {flagged_rate:.1%} (missed: {', '.join(missed) or 'none'})")
    print(f"  clean letters flagged:   {clean_rate:.1%} ({', '.join(wrongly_flagged) or 'none'})")
    for category, hits in sorted(categories.items()):
        print(f"  {category:<14} found in {sum(hits)}/{len(hits)}")
    for letter_id in wrongly_flagged:
        print(f"  {letter_id}: {[(f.rule, f.fragment) for f in found[letter_id].findings]}")

    at_least, at_most = MEASURED_SHORT.get(name, (MIN_PROBLEMS_FLAGGED, MAX_CLEAN_FLAGGED))
    assert flagged_rate >= at_least, missed
    assert clean_rate <= at_most, wrongly_flagged
