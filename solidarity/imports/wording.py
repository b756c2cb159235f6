"""What a planned change says to the editor, in the editor's language: a review row's details are
stored as data (`Change.details`) and worded when shown, with the registry's field labels and
choices, so the review speaks whatever language the editor reads it in."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from solidarity.registry.models import EventKind, Person, Sentence

SUMMARY_LABELS = {
    "new": gettext_lazy("new"),
    "changed": gettext_lazy("changed"),
    "unchanged": gettext_lazy("unchanged"),
    "rejected": gettext_lazy("rejected"),
    "missing": gettext_lazy("missing"),
    "flagged": gettext_lazy("to check"),
}
NOTHING = "—"


def summary_lines(summary: dict) -> list[tuple[str, int]]:
    """A batch's counts with their labels, in the order the summary keeps."""
    return [(str(SUMMARY_LABELS.get(kind, kind)), count) for kind, count in summary.items()]


def detail_lines(details: list) -> list[str]:
    """Each detail of a review row as a line; a line stored as text (older rows) as it is."""
    return [_line(detail) if isinstance(detail, dict) else str(detail) for detail in details]


def _line(detail: dict) -> str:
    kind = detail["kind"]
    if kind == "field":
        return _changed(Person, detail["field"], detail["old"], detail["new"])
    if kind == "event":
        line = _("new event: %(kind)s, %(date)s") % {
            "kind": _choice(EventKind, detail["event"]),
            "date": detail["date"],
        }
        return f"{line} ({detail['facility']})" if detail.get("facility") else line
    if kind == "sentence":
        return _("new sentence of %(date)s: %(term)s, %(regime)s") % {
            "date": detail["date"] or "?",
            "term": _months(detail["months"]),
            "regime": _choice(Sentence.Regime, detail["regime"]) if detail["regime"] else NOTHING,
        }
    if kind == "sentence_changed":
        changes = "; ".join(
            _changed(Sentence, name, old, new) for name, (old, new) in detail["changes"].items()
        )
        return _("sentence of %(date)s: %(changes)s") % {"date": detail["date"] or "?", "changes": changes}
    if kind == "interests":
        return _("interests: %(interests)s") % {"interests": ", ".join(detail["interests"]) or NOTHING}
    return str(detail)


def _changed(model, name: str, old, new) -> str:
    return f"{_label(model, name)}: {_value(model, name, old)} → {_value(model, name, new)}"


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _value(model, name: str, value) -> str:
    if value in (None, "", []):
        return NOTHING
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    try:
        choices = dict(model._meta.get_field(name).flatchoices)
    except FieldDoesNotExist:
        choices = {}
    return str(choices.get(value, value))


def _choice(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _months(months: int | None) -> str:
    if months is None:
        return _("term not given")
    return ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
