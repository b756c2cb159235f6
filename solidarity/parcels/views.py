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
    """The planner: may I send a parcel now, how much, and when the next window opens. A GET form:
    the answers stay in the address of this page only, and nothing is stored."""
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
    initial = {"parcels": marked} if marked else {}
    form = PlanForm(request.GET if "relative" in request.GET else None, initial=initial)
    conditions = ParcelRule.Conditions.ORDINARY
    if form.is_bound and form.is_valid():
        conditions = form.cleaned_data.get("conditions") or conditions
    rules = services.rules_for(situation.facility, regime=situation.regime, conditions=conditions)
    context.update(situation=situation, rules=rules, form=form, marked=marked)
    context["regime_label"] = Sentence.Regime(situation.regime).label if situation.regime else ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        # This year's parcels, the last of them on the day given (the others before it).
        last = data["last"] if data.get("last") and data["last"].year == today.year else today
        sent = [Sent(min(last, today), Counts.PARCELS) for _ in range(data.get("parcels") or 0)]
        sent += [Sent(today, Counts.PACKETS) for _ in range(data.get("packets") or 0)]
        if data.get("kg"):
            sent.append(Sent(today, Counts.HANDED, kg=Decimal(data["kg"])))
        context["windows"] = services.plan(
            rules, relative=form.is_relative(), after_verdict=situation.after_verdict, sent=sent, today=today
        )
    context.update(_checked(request, rules), catalogue=checker.catalogue(), abroad=checker.abroad_rules())
    return render(request, "parcels/plan.html", context)


# Findings that would have the parcel refused: the forms are not printed while one stands.
REFUSED = ("vague", "forbidden", "weight-missing", "too-heavy", "over-month")


def _checked(request: HttpRequest, rules) -> dict:
    """The item checker's form and, once items are given, its findings."""
    bound = "form-TOTAL_FORMS" in request.GET
    items = ItemFormSet(request.GET if bound else None)
    parcel = ParcelForm(request.GET if bound else None)
    result = {"items": items, "parcel": parcel}
    if bound and items.is_valid() and parcel.is_valid():
        lines = [
            Line(d["name"].strip(), d.get("kg"), d.get("eur"), d.get("count") or 1)
            for d in items.cleaned_data
            if d.get("name", "").strip()
        ]
        findings = checker.check(lines, rules=rules, from_abroad=parcel.cleaned_data["abroad"])
        result.update(
            lines=lines,
            findings=findings,
            printable=bool(lines) and not any(f.code.split(":")[0] in REFUSED for f in findings),
            declaration=checker.declaration_form(lines) if parcel.cleaned_data["abroad"] else "",
        )
    return result


@form_page
def forms(request: HttpRequest, pk: int) -> HttpResponse:
    """The application with its inventory and, from abroad, the customs declaration, as one PDF;
    refused (the checker's page again) while a finding would have the parcel sent back."""
    from . import pdf  # fpdf2 and its fonts load with the first parcel's forms, not in every worker

    person = get_object_or_404(
        Person.objects.published().select_related("current_facility__kind").prefetch_related("sentences"),
        pk=pk,
    )
    if not services.in_custody(person):
        return plan(request, pk)
    situation = services.situation_of(person)
    checked = _checked(request, services.rules_for(situation.facility, regime=situation.regime))
    if not checked.get("printable"):
        return plan(request, pk)
    document = pdf.forms(
        person=person,
        facility=situation.facility,
        lines=checked["lines"],
        from_abroad=checked["parcel"].cleaned_data["abroad"],
        today=timezone.localdate(),
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
