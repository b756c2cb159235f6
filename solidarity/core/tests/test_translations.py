"""Every interface string is translated into Belarusian and Russian, for real, and the compiled
catalogues that the site loads say the same as the sources.

The strings are collected from the code without GNU gettext (which a fresh machine may lack): from
Python with `ast`, from templates with Django's own `templatize`.
"""

import ast
import re
from pathlib import Path

import polib
import pytest
from django.utils.translation.template import templatize

SOURCE = Path(__file__).resolve().parents[2]
LOCALES = ("be", "ru")
PYTHON_CALLS = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
TEMPLATE_CALL = re.compile(r"\b(n?p?gettext)\(((?:u'(?:[^'\\]|\\.)*'(?:, )?)+)")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(SOURCE / "locale" / language / "LC_MESSAGES" / "django.po"))


def _python_msgids(path: Path) -> set[tuple[str, str]]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in PYTHON_CALLS):
            continue
        strings = [
            arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
        ]
        if node.func.id.startswith(("p", "np")) and len(strings) >= 2:
            found.add((strings[0], strings[1]))
        elif strings:
            found.add(("", strings[0]))
    return found


def _template_msgids(path: Path) -> set[tuple[str, str]]:
    found = set()
    for function, arguments in TEMPLATE_CALL.findall(templatize(path.read_text(encoding="utf-8"))):
        strings = ast.literal_eval(f"({arguments.rstrip(', ')},)")
        found.add((strings[0], strings[1]) if function.startswith(("p", "np")) else ("", strings[0]))
    return found


def interface_msgids() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in SOURCE.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            found |= _python_msgids(path)
    for path in SOURCE.rglob("templates/**/*.html"):
        found |= _template_msgids(path)
    return found


def test_the_collector_finds_strings_in_code_and_templates():
    msgids = {msgid for _context, msgid in interface_msgids()}
    assert "Political prisoners today" in msgids  # a template
    assert "recognised as a political prisoner" in msgids  # a model choice
    assert "including %(women)s woman" in msgids  # a plural in a template


@pytest.mark.parametrize("language", LOCALES)
def test_every_interface_string_is_in_the_catalogue(language):
    catalogue = {(entry.msgctxt or "", entry.msgid) for entry in _catalogue(language) if not entry.obsolete}
    missing = sorted(interface_msgids() - catalogue)
    assert missing == [], f"run `make messages` and translate: {missing[:10]}"


@pytest.mark.parametrize("language", LOCALES)
def test_every_string_is_translated_and_not_merely_copied(language):
    catalogue = _catalogue(language)
    assert [e.msgid for e in catalogue if not e.translated() and not e.obsolete] == []
    assert [e.msgid for e in catalogue if "fuzzy" in e.flags] == []
    copied = [e.msgid for e in catalogue if e.msgstr == e.msgid and re.search("[a-z]{4}", e.msgid)]
    assert copied == []


@pytest.mark.parametrize("language", LOCALES)
def test_the_compiled_catalogue_matches_its_source(language):
    compiled = polib.mofile(str(SOURCE / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled_entries = {(e.msgctxt or "", e.msgid): (e.msgstr, e.msgstr_plural) for e in compiled}
    for entry in _catalogue(language):
        if entry.obsolete or not entry.msgid:
            continue
        msgstr, plurals = compiled_entries[(entry.msgctxt or "", entry.msgid)]
        if entry.msgid_plural:
            assert {int(k): v for k, v in plurals.items()} == {
                int(k): v for k, v in entry.msgstr_plural.items()
            }
        else:
            assert msgstr == entry.msgstr, f"`make messages` to recompile ({entry.msgid})"
