import datetime
from decimal import Decimal

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from solidarity.core import guard
from solidarity.core.pages import form_page
from solidarity.friends import session
from solidarity.friends.models import Mark
from solidarity.registry.models import Facility, Person, Sentence

from . import checker, services
from .checker import Line
from .forms import DeviationForm, ItemFormSet, ParcelForm, PlanForm
from .models import ParcelRule
from .services import Counts, Sent


def _marked_parcels(request: HttpRequest, person: Person, today: datetime.date) -> int | None:
    """How many parcels this browser's friend marked as sent to the person this year, if a friend."""
    friend = session.current_friend(request)
    if friend is None:
        return None
    return Mark.objects.filter(
        friendship__friend=friend, friendship__person=person, kind=Mark.Kind.PARCEL, date__year=today.year
    ).count()


@form_page
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    """The planner and the item checker, one form posted (so that none of it stays in the
    browser's history): may I send a parcel now, how much, when the next window opens; are these
    items allowed; and the forms printed. Nothing is stored."""
    person = get_object_or_404(
        Person.objects.published().select_related("current_facility__kind").prefetch_related("sentences"),
        pk=pk,
    )
    today = timezone.localdate()
    context = {"person": person, "held": services.in_custody(person)}
    if not context["held"]:
        return render(request, "parcels/plan.html", context)
    situation = services.situation_of(person)
    marked = _marked_parcels(request, person, today)
    post = request.POST if request.method == "POST" else None
    form = PlanForm(post, initial={"parcels": marked} if marked else {})
    items = ItemFormSet(post, prefix="items")
    parcel = ParcelForm(post)
    valid = form.is_bound and form.is_valid()
    conditions = (form.cleaned_data.get("conditions") if valid else "") or ParcelRule.Conditions.ORDINARY
    rules = services.rules_for(situation.facility, regime=situation.regime, conditions=conditions)
    context.update(
        situation=situation,
        rules=rules,
        form=form,
        items=items,
        parcel=parcel,
        marked=marked,
        regime_label=dict(Sentence.Regime.choices).get(situation.regime, ""),
        catalogue=checker.catalogue(),
        abroad=checker.abroad_rules(),
    )
    if not valid:
        return render(request, "parcels/plan.html", context)
    windows = services.plan(
        rules,
        relative=form.is_relative(),
        after_verdict=situation.after_verdict,
        sent=_sent(form.cleaned_data, today),
        today=today,
    )
    context["windows"] = windows
    if items.is_valid() and parcel.is_valid():
        kg_left = min(
            (w.kg_left_this_month for w in windows if w.kg_left_this_month is not None), default=None
        )
        context.update(_checked(items, parcel, rules, kg_left))
        if request.POST.get("action") == "pdf" and context.get("printable"):
            return _forms_pdf(person, situation, context["lines"], parcel.cleaned_data["abroad"], today)
    return render(request, "parcels/plan.html", context)


def _sent(data: dict, today: datetime.date) -> list[Sent]:
    """What the sender told us, as the planner counts it: this year's parcels (undated ones at the
    year's start, so that only a given date can space the next one), the last one on its day
    (last year's too, for the spacing), small packets, and the kilograms handed in this month."""
    count, last = data.get("parcels") or 0, data.get("last")
    if last and last > today:
        last = None
    sent = []
    if last and last.year == today.year:
        count = max(count, 1)
        sent.append(Sent(last, Counts.PARCELS))
        count -= 1
    elif last:
        sent.append(Sent(last, Counts.PARCELS))
    sent += [Sent(datetime.date(today.year, 1, 1), Counts.PARCELS) for _ in range(count)]
    sent += [Sent(datetime.date(today.year, 1, 1), Counts.PACKETS) for _ in range(data.get("packets") or 0)]
    if data.get("kg"):
        sent.append(Sent(today, services.WEIGHT_ONLY, kg=Decimal(data["kg"])))
    return sent


# Findings that would have the parcel refused: the forms are not printed while one stands.
REFUSED = ("vague", "forbidden", "weight-missing", "too-heavy", "over-month")


def _checked(items, parcel, rules, kg_left) -> dict:
    """The item checker's findings, once items are given (a catalogue item's weight and value
    filled in where the sender left them out)."""
    known = {item["label"]: item for item in checker.catalogue()} | {
        name: item for item in checker.country_data_items() for name in item["name"].values()
    }
    lines = []
    for data in items.cleaned_data:
        name = (data.get("name") or "").strip()
        if not name:
            continue
        item = known.get(name, {})
        kg = data.get("kg") if data.get("kg") is not None else (Decimal(item["kg"]) if item else None)
        eur = data.get("eur") if data.get("eur") is not None else (Decimal(item["eur"]) if item else None)
        lines.append(Line(name, kg, eur, data.get("count") or 1))
    if not lines:
        return {}
    from_abroad = parcel.cleaned_data["abroad"]
    findings = checker.check(lines, rules=rules, from_abroad=from_abroad, kg_left=kg_left)
    return {
        "lines": lines,
        "findings": findings,
        "printable": not any(f.code.split(":")[0] in REFUSED for f in findings),
        "declaration": checker.declaration_form(lines) if from_abroad else "",
    }


def _forms_pdf(person, situation, lines, from_abroad: bool, today: datetime.date) -> HttpResponse:
    from . import pdf  # fpdf2 and its fonts load with the first parcel's forms, not in every worker

    document = pdf.forms(
        person=person, facility=situation.facility, lines=lines, from_abroad=from_abroad, today=today
    )
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="parcel-forms.pdf"'
    return response


@form_page
def report(request: HttpRequest, slug: str) -> HttpResponse:
    """ "This rule was not applied here", from anyone, guarded like every public form; stored
    without anything about who sent it."""
    facility = get_object_or_404(Facility.objects.select_related("kind"), slug=slug)
    rules = ParcelRule.objects.filter(facility_kind=facility.kind.slug).filter(
        Q(facility=facility) | Q(facility__isnull=True)
    )
    form = DeviationForm(request.POST if request.method == "POST" else None, request=request, rules=rules)
    if form.is_bound and form.is_valid():
        services.report_deviation(
            facility=facility, **{k: form.cleaned_data[k] for k in ("rule", "happened_on", "what")}
        )
        return render(request, "parcels/reported.html", {"facility": facility})
    return render(request, "parcels/report.html", {"facility": facility, "form": form, **guard.context()})
