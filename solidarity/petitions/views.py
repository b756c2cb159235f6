"""The petitions' public pages: the list, a petition with its sign form, the mail's confirmation
(a button, so that a mail scanner following links confirms nothing), the receipt once, checking
a receipt, and the public ledger."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidarity.core import guard, ratelimit
from solidarity.core.pages import form_page, public_page

from . import countries, services
from .forms import ReceiptForm, SignForm
from .models import Petition

RECEIPT_CHECKS_PER_HOUR = 60


def _public(slug: str) -> Petition:
    return get_object_or_404(Petition.objects.exclude(status=Petition.Status.DRAFT), slug=slug)


@public_page
def petition_list(request: HttpRequest) -> HttpResponse:
    petitions = Petition.objects.exclude(status=Petition.Status.DRAFT).order_by("-opened_on", "-pk")
    return render(
        request,
        "petitions/list.html",
        {"petitions": [services.shown_figures(petition) for petition in petitions]},
    )


def _figures(petition: Petition) -> dict:
    petition = services.shown_figures(petition)
    shown, others = services.by_country(petition.shown_countries)
    return {
        "petition": petition,
        "by_country": [(countries.name(code), n) for code, n in shown],
        "other_countries": others,
        "fewest_shown": services.FEWEST_SHOWN,
        "milestones": petition.milestones.all(),
        "percent": min(100, petition.shown_count * 100 // petition.goal) if petition.goal else 0,
        "names": [(name, countries.name(code)) for name, code in petition.shown_names],
        "open": petition.accepts_signatures(),
        "danger_country_name": countries.name(settings.COUNTRY.upper()),
    }


@form_page
def petition_detail(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _public(slug)
    form = SignForm(request=request)
    return render(request, "petitions/detail.html", {**_figures(petition), "form": form, **guard.context()})


@form_page
@require_POST
def sign(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _public(slug)
    form = SignForm(request.POST, request=request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.sign(
                petition,
                name=data["name"],
                country=data["country"],
                show_name=data["show_name"],
                email=data["email"],
                language=translation.get_language(),
                link=lambda token: request.build_absolute_uri(
                    reverse("petition_confirm", args=[slug, token])
                ),
            )
        except services.NotAllowed as refused:
            form.add_error(None, str(refused))
        except ratelimit.Unavailable as outage:
            form.add_error(None, str(outage))
        except OSError:  # the mail server did not take the message
            form.add_error(
                None,
                _(
                    "The confirmation mail could not be sent just now. Nothing was lost: send the "
                    "form again in a minute."
                ),
            )
        else:
            return render(
                request, "petitions/check_mail.html", {"petition": petition, "days": services.CONFIRM_DAYS}
            )
    context = {**_figures(petition), "form": form, **guard.context()}
    return render(request, "petitions/detail.html", context, status=200)


@form_page
def confirm(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    """The mail's link: what is to be confirmed (country, and the name if it is to be shown, so
    that nobody who typed this address can have a name shown without its owner seeing it), and
    the buttons. Only a press counts: a mail scanner following the link confirms nothing."""
    petition = _public(slug)
    if request.method == "POST":
        try:
            signature, receipt = services.confirm(petition, token, hide_name="hide_name" in request.POST)
        except services.NotAllowed as refused:
            return render(request, "petitions/confirm.html", {"petition": petition, "trouble": str(refused)})
        return render(
            request,
            "petitions/receipt.html",
            {"petition": petition, "signature": signature, "receipt": receipt},
        )
    pending = services.pending_for(petition, token)
    context = {"petition": petition, "token": token, "pending": pending}
    if pending is None:
        context["trouble"] = _("This link was used already, or it is not one of ours.")
    else:
        context["country"] = countries.name(pending.country)
    return render(request, "petitions/confirm.html", context)


@form_page
def check_receipt(request: HttpRequest, slug: str) -> HttpResponse:
    """A signer checks that their receipt is counted (a post, so that it stays out of addresses
    and histories)."""
    petition = _public(slug)
    form = ReceiptForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        refused = ratelimit.told_apart(request) and ratelimit.refusal(
            request, "petitions.receipt", per_hour=RECEIPT_CHECKS_PER_HOUR,
            message=_("Too many checks from here: try again in an hour."),
        )  # fmt: skip
        if refused:
            form.add_error(None, refused)
        else:
            found = services.counted_by_receipt(petition, form.cleaned_data["receipt"]) or False
    return render(
        request, "petitions/check_receipt.html", {"petition": petition, "form": form, "found": found}
    )


@public_page
def ledger_page(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _public(slug)
    services.seal_ledger()
    entries = petition.ledger.order_by("-day")
    return render(request, "petitions/ledger.html", {"petition": petition, "entries": entries})


@public_page
def ledger_json(request: HttpRequest, slug: str) -> HttpResponse:
    petition = _public(slug)
    services.seal_ledger()
    response = JsonResponse(services.published_ledger(petition), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = f'attachment; filename="{petition.slug}-ledger.json"'
    return response
