"""Which parcel rules apply to a person or a facility, and the planner: may one send now, how
much, and when the next window opens. The planner stores nothing: what the sender says (and a
friend's "I sent a parcel" marks) goes in, the answer comes out."""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from importlib import resources

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from solidarity.audit.services import log_change, snapshot
from solidarity.core.versions import CacheVersion
from solidarity.registry.models import IN_CUSTODY, Facility, Person

from .models import DeviationReport, ParcelRule

PUBLIC_VERSION = CacheVersion("parcels:public")
WEIGHT_ONLY = "weight"  # kilograms handed in, counted toward a monthly weight and no yearly number
STALE_DAYS = 365  # a rule nobody has confirmed for a year is shown to editors as stale
DATA = resources.files("solidarity.parcels").joinpath("data/parcels")
Counts = ParcelRule.Counts


_held: dict[str, list[ParcelRule]] = {}


def country_rules() -> list[ParcelRule]:
    """Every rule of the country, read once per version of the rules in each process: pages that
    show many people (the friend's page, a calendar) ask for them without a query each."""
    version = PUBLIC_VERSION.current()
    rules = _held.get(version)
    if rules is None:
        rules = list(ParcelRule.objects.filter(country=settings.COUNTRY).select_related("facility"))
        _held.clear()  # only the current version is worth holding
        _held[version] = rules
    return rules


def rules_for(
    facility: Facility, *, regime: str, conditions: str = ParcelRule.Conditions.ORDINARY
) -> list[ParcelRule]:
    """The rules of this facility for this regime and conditions: for each thing counted, the
    most specific rule (the facility's own, then the regime's and conditions', then its kind's).
    A facility's rule for parcels posted and handed in together replaces its kind's separate ones."""
    candidates = [
        rule
        for rule in country_rules()
        if rule.facility_kind == facility.kind.slug and rule.facility_id in (None, facility.pk)
    ]
    best: dict[str, tuple[tuple, ParcelRule]] = {}
    for rule in candidates:
        if (rule.regime and rule.regime != regime) or (rule.conditions and rule.conditions != conditions):
            continue
        rank = (rule.facility_id is not None, bool(rule.regime), bool(rule.conditions))
        if rule.counts not in best or rank > best[rule.counts][0]:
            best[rule.counts] = (rank, rule)
    chosen = {counts: rule for counts, (_rank, rule) in best.items()}
    together = chosen.get(Counts.PARCELS)
    if together is not None and together.facility_id is not None:
        chosen.pop(Counts.POSTED, None)
        chosen.pop(Counts.HANDED, None)
    order = list(Counts.values)
    return sorted(chosen.values(), key=lambda rule: order.index(rule.counts))


@dataclass(frozen=True)
class Situation:
    """What the rules depend on for one person: where they are held and under what regime."""

    facility: Facility | None
    regime: str  # "" while not known (or before the verdict)
    after_verdict: bool


def situation_of(person: Person) -> Situation:
    facility = person.current_facility
    sentence = max(
        person.sentences.all(), key=lambda s: (s.verdict_date or datetime.date.min, s.pk), default=None
    )
    # Held anywhere but a detention centre, a person has been sentenced, whether we know the sentence or not.
    after_verdict = bool(facility and facility.kind.slug not in ("pretrial", "temporary"))
    return Situation(facility, sentence.regime if sentence and after_verdict else "", after_verdict)


@dataclass(frozen=True)
class Window:
    """One rule, for one sender on one day."""

    rule: ParcelRule
    may_send: bool
    reasons: list[str]
    left_this_year: int | None  # None: no limit on the number
    kg_left_this_month: Decimal | None
    next_on: datetime.date | None  # when the next one may go, if not now


@dataclass(frozen=True)
class Sent:
    """A parcel that went: when, what the rule counts it as, and its weight if known."""

    day: datetime.date
    counts: str
    kg: Decimal | None = None


def _counted_by(rule: ParcelRule, sent: Sent) -> bool:
    if sent.counts == WEIGHT_ONLY:
        return False
    if rule.counts == Counts.PARCELS:
        return sent.counts in (Counts.PARCELS, Counts.POSTED, Counts.HANDED)
    return sent.counts == rule.counts


def plan(
    rules: list[ParcelRule], *, relative: bool, after_verdict: bool, sent: list[Sent], today: datetime.date
) -> list[Window]:
    """For each rule: may this sender send now, how many are left this calendar year and how many
    kilograms this month, and otherwise when the next window opens."""
    windows = []
    next_year = datetime.date(today.year + 1, 1, 1)
    next_month = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    for rule in rules:
        reasons, next_on = [], None
        counted = [s for s in sent if _counted_by(rule, s)]
        this_year = [s for s in counted if s.day.year == today.year and s.day <= today]
        left = None if rule.per_year is None else max(rule.per_year - len(this_year), 0)
        kg_left = None
        if rule.kg_per_month is not None:
            used = sum(
                (s.kg or Decimal(0))
                for s in sent
                if (s.counts == WEIGHT_ONLY or _counted_by(rule, s))
                and (s.day.year, s.day.month) == (today.year, today.month)
            )
            kg_left = max(rule.kg_per_month - used, Decimal(0))
        relatives_only = rule.senders == ParcelRule.Senders.RELATIVES or (
            rule.senders == ParcelRule.Senders.RELATIVES_AFTER_VERDICT and after_verdict
        )
        if relatives_only and not relative:
            reasons.append(
                _("Only relatives may send these; anyone else needs the permission of the facility's head.")
            )
        spaced = None
        if rule.spaced_evenly and rule.per_year and counted:
            # "Twelve months divided by the yearly number", in days: 61 for six a year, 46 for eight.
            spaced = max(s.day for s in counted) + datetime.timedelta(days=round(365.25 / rule.per_year))
        if left == 0:
            reasons.append(_("This year's %(count)s are used.") % {"count": rule.per_year})
            next_on = max(next_year, spaced or next_year)
        elif spaced and spaced > today:
            reasons.append(
                _("They are spaced evenly: one every %(days)s days.")
                % {"days": round(365.25 / rule.per_year)}
            )
            next_on = spaced
        if kg_left is not None and kg_left <= 0:
            reasons.append(_("This month's %(kg)s kg are used.") % {"kg": rule.kg_per_month})
            next_on = max(next_on or next_month, next_month)
        windows.append(
            Window(
                rule,
                may_send=not reasons,
                reasons=reasons,
                left_this_year=left,
                kg_left_this_month=kg_left,
                next_on=next_on,
            )
        )
    return windows


def stale(today: datetime.date):
    return ParcelRule.objects.filter(confirmed_on__lt=today - datetime.timedelta(days=STALE_DAYS))


def in_custody(person: Person) -> bool:
    return person.status in IN_CUSTODY and person.current_facility_id is not None


@transaction.atomic
def load_rules(*, country: str, actor_label: str) -> int:
    """Loads `data/parcels/<country>.json`: each rule by its key, created or updated (audited),
    facilities named by their slug. Returns how many changed."""
    path = DATA.joinpath(f"{country.lower()}.json")
    if not path.is_file():
        return 0
    changed = 0
    for item in json.loads(path.read_text(encoding="utf-8"))["rules"]:
        facility = Facility.objects.filter(slug=item["facility"]).first() if item.get("facility") else None
        if item.get("facility") and facility is None:
            continue  # a facility this registry does not hold
        values = {
            "country": country.lower(),
            "facility_kind": item["facility_kind"],
            "regime": item.get("regime", ""),
            "conditions": item.get("conditions", ""),
            "facility": facility,
            "counts": item["counts"],
            "per_year": item.get("per_year"),
            "kg_per_month": item.get("kg_per_month"),
            "kg_each": item.get("kg_each"),
            "senders": item.get("senders", ParcelRule.Senders.ANYONE),
            "spaced_evenly": item.get("spaced_evenly", False),
            "source_url": item.get("source_url", ""),
            "source_citation": item["source_citation"],
            "effective_from": item.get("effective_from"),
            "confirmed_on": item["confirmed_on"],
            **{f"note_{code}": text for code, text in item.get("note", {}).items()},
            **{f"exemptions_{code}": text for code, text in item.get("exemptions", {}).items()},
        }
        rule = ParcelRule.objects.filter(key=item["key"]).first()
        before = snapshot(rule) if rule else {}
        if rule is None:
            rule = ParcelRule.objects.create(key=item["key"], **values)
        else:
            for name, value in values.items():
                setattr(rule, name, value)
            rule.save()
        after = snapshot(ParcelRule.objects.get(pk=rule.pk))
        if after != before:
            changed += 1
            log_change(
                actor=None,
                actor_label=actor_label,
                obj=rule,
                action="update" if before else "create",
                before=before,
                after=after,
            )
    return changed


def rules_of_facility(facility: Facility) -> list[ParcelRule]:
    """Every rule that may apply in this facility (its kind's, for each regime, and its own)."""
    order = list(Counts.values)
    rules = ParcelRule.objects.filter(country=settings.COUNTRY, facility_kind=facility.kind.slug).filter(
        Q(facility=facility) | Q(facility__isnull=True)
    )
    return sorted(rules, key=lambda r: (r.facility_id is None, r.regime, r.conditions, order.index(r.counts)))


def report_deviation(
    *, facility: Facility, rule: ParcelRule | None, happened_on: datetime.date, what: str
) -> DeviationReport:
    return DeviationReport.objects.create(
        facility=facility, rule=rule, happened_on=happened_on, what=what.strip()
    )
