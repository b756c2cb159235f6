import csv
import datetime
import secrets
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from solidarity.core import ratelimit
from solidarity.core.pages import form_page, public_page
from solidarity.core.spreadsheets import spreadsheet_safe
from solidarity.registry.country import country_name

from . import charts, money, providers, services
from .forms import CARD, CRYPTO, CodeForm, GiftForm, ReceiptForm, SafetyForm
from .models import Campaign, Provider


def _figures(campaign: Campaign) -> dict:
    shown = services.shown_progress(campaign)
    return {
        "campaign": campaign,
        "raised": money.shown(shown, campaign.currency),
        "goal": money.shown(campaign.goal, campaign.currency),
        "paid_out": money.shown(services.paid_out(campaign), campaign.currency),
        "percent": min(100, shown * 100 // campaign.goal),
    }


@public_page
def campaign_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    campaigns = Campaign.objects.select_related("person").order_by("status", "-created_on", "-pk")
    return render(
        request,
        "donations/campaigns.html",
        {"campaigns": [{**_figures(c), "takes_gifts": c.takes_gifts(today)} for c in campaigns[:100]]},
    )


@public_page
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign.objects.select_related("person"), pk=pk)
    context = {
        **_figures(campaign),
        "takes_gifts": campaign.takes_gifts(timezone.localdate()),
    }
    return render(request, "donations/campaign.html", context)


def _methods(inside: bool) -> list[tuple[str, str]]:
    methods = []
    if not inside and providers.stripe_offered():
        methods.append((CARD, _("Card (Visa, Mastercard, Apple Pay, Google Pay)")))
    if providers.btcpay_offered():
        methods.append((CRYPTO, _("Crypto (Bitcoin, Lightning)")))
    return methods


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _may_leave_for_providers(response: HttpResponse) -> HttpResponse:
    """The giving form may send the donor on to the providers' pages, and nowhere else."""
    origins = []
    if providers.stripe_offered():
        origins.append(settings.STRIPE_CHECKOUT_ORIGIN)
    if providers.btcpay_offered():
        origins.append(_origin(settings.BTCPAY_PUBLIC_URL or settings.BTCPAY_URL))
    if origins:
        response._csp_update = {"form-action": origins}
    return response


@form_page
def give(request: HttpRequest, pk: int) -> HttpResponse:
    """First the safety question, then the ways to pay it allows, then the provider's page. The
    answer is carried in the form, never stored."""
    campaign = get_object_or_404(Campaign.objects.select_related("person"), pk=pk)
    context = {**_figures(campaign), "country": country_name()}
    if not campaign.takes_gifts(timezone.localdate()):
        return render(request, "donations/give.html", {**context, "closed": True})
    if request.method != "POST" or "method" not in request.POST and "preset" not in request.POST:
        safety = SafetyForm(request.POST if request.method == "POST" else None)
        if not safety.is_bound or not safety.is_valid():
            return _may_leave_for_providers(
                render(request, "donations/give.html", {**context, "safety": safety})
            )
        inside = safety.is_inside()
        context["bank_details"] = "" if inside else settings.DONATION_BANK_DETAILS
        form = GiftForm(
            initial={"inside": safety.cleaned_data["inside"], "preset": "25"},
            campaign=campaign,
            methods=_methods(inside),
        )
        return _may_leave_for_providers(
            render(request, "donations/give.html", {**context, "form": form, "inside": inside})
        )
    inside = request.POST.get("inside") != "no"  # anything but a plain "no" is taken as inside
    # A transfer from a bank there is as traceable as a card: its details are for those abroad.
    context["bank_details"] = "" if inside else settings.DONATION_BANK_DETAILS
    form = GiftForm(request.POST, campaign=campaign, methods=_methods(inside))
    context.update(form=form, inside=inside)
    if form.is_valid():
        refusal = ratelimit.refusal(
            request,
            "donations",
            per_hour=settings.DONATION_LIMIT_PER_HOUR,
            message=_("Too many gifts started from here in the last hour. Please try again later."),
        )
        if refusal:
            context["trouble"] = refusal
        else:
            try:
                return redirect(_provider_page(request, campaign, form.cleaned_data))
            except providers.Unavailable:
                context["trouble"] = _(
                    "The payment provider cannot be reached just now. Nothing was charged; "
                    "please try again in a few minutes."
                )
    return _may_leave_for_providers(render(request, "donations/give.html", context, status=200))


def _provider_page(request: HttpRequest, campaign: Campaign, data: dict) -> str:
    language = translation.get_language()
    thanks = request.build_absolute_uri(reverse("gift_thanks"))
    if data["method"] == CARD:
        return providers.start_checkout(
            campaign_id=campaign.pk,
            # Not the campaign's title: it may name a prisoner, and Stripe keeps it beside the card.
            name=_("Donation"),
            currency=campaign.currency,
            amount=data["amount"],
            monthly=bool(data.get("monthly")),
            language=language,
            success_url=thanks,
            cancel_url=request.build_absolute_uri(reverse("campaign", args=[campaign.pk])),
        )
    order = secrets.token_urlsafe(16)
    return providers.start_invoice(
        campaign_id=campaign.pk,
        currency=campaign.currency,
        amount=data["amount"],
        language=language,
        # BTCPay puts the invoice's id for {InvoiceId}; the order finds it where it does not.
        redirect_url=f"{thanks}?order={order}&invoice={{InvoiceId}}",
        order_id=order,
    )


def _gift_reference(request: HttpRequest) -> tuple[str, str, dict | None]:
    """(provider, the payment's reference, the Checkout Session) from the address the provider
    sent the donor back to; the provider is asked, nothing in the address is believed."""
    params = request.POST if request.method == "POST" else request.GET
    session_id, invoice_id, order = (
        params.get("session_id", ""),
        params.get("invoice", ""),
        params.get("order", ""),
    )
    if session_id.startswith("cs_") and providers.stripe_offered():
        session = providers.checkout_session(session_id[:255])
        if session and session.get("status") == "complete":
            reference = session.get("payment_intent") or ""
            if not reference and session.get("invoice"):
                reference = providers.stripe_invoice(session["invoice"])[0] or ""
            return Provider.STRIPE, reference, session
    elif (invoice_id or order) and providers.btcpay_offered():
        invoice = providers.btcpay_invoice(invoice_id[:100]) or providers.btcpay_invoice_of_order(order[:100])
        if invoice is not None:
            return Provider.BTCPAY, invoice.reference, None
    raise Http404


@form_page
def thanks(request: HttpRequest) -> HttpResponse:
    try:
        return _thanks(request)
    except providers.Unavailable:
        return render(request, "donations/thanks.html", {"unavailable": True}, status=503)


def _thanks(request: HttpRequest) -> HttpResponse:
    provider, reference, session = _gift_reference(request)
    today = timezone.localdate()
    gift = services.confirmed_gift(provider, reference) if reference else None
    if request.method == "POST" and reference:
        form = ReceiptForm({"code": "-", "name": request.POST.get("name", "")})
        name = form.cleaned_data["name"] if form.is_valid() else ""
        if gift is not None:
            return _receipt_pdf(gift, name, today)
        code = services.issue_receipt(provider=provider, reference=reference, today=today)
        return render(
            request, "donations/receipt_code.html", {"code": code, "days": settings.DONATION_RECEIPT_DAYS}
        )
    monthly = services.monthly_of_checkout(session) if session else None
    context = {
        "provider": provider,
        "gift": gift,
        "has_reference": bool(reference),
        "session_id": request.GET.get("session_id", ""),
        "invoice": request.GET.get("invoice", ""),
        "order": request.GET.get("order", ""),
        "monthly": monthly,
        "stop_code": services.stop_code_for(monthly) if monthly else None,
        "country": country_name(),
    }
    return render(request, "donations/thanks.html", context)


def _receipt_pdf(gift, name: str, today: datetime.date) -> HttpResponse:
    from . import receipts  # fpdf2 and its fonts load with the first receipt, not in every worker

    response = HttpResponse(
        receipts.receipt_pdf(gift=gift, name=name, today=today), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="receipt-{gift.received_on.isoformat()}.pdf"'
    return response


@form_page
def receipt(request: HttpRequest) -> HttpResponse:
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        today = timezone.localdate()
        good, gift = services.gift_of_receipt(form.cleaned_data["code"], today)
        if not good:
            form.add_error("code", _("This code is unknown or has expired."))
        elif gift is None:
            context["pending"] = True
        else:
            return _receipt_pdf(gift, form.cleaned_data["name"], today)
    return render(request, "donations/receipt.html", context)


@form_page
def stop_monthly(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST if request.method == "POST" else None)
    context = {"form": form}
    if form.is_bound and form.is_valid():
        refusal = ratelimit.refusal(
            request,
            "donations-stop",
            per_hour=20,
            message=_("Too many attempts from here in the last hour. Please try again later."),
        )
        if refusal:
            context["trouble"] = refusal
        else:
            try:
                stopped = services.stop_monthly(code=form.cleaned_data["code"])
            except providers.Unavailable:
                context["trouble"] = _(
                    "The payment provider cannot be reached just now. Please try again in a few minutes."
                )
            else:
                if stopped is None:
                    form.add_error("code", _("No running monthly gift has this code."))
                else:
                    context["stopped"] = stopped
    return render(request, "donations/stop_monthly.html", context)


def _summary_until() -> datetime.date:
    return services.summary_until(timezone.localdate())


@public_page
def summary(request: HttpRequest) -> HttpResponse:
    rows = services.yearly_summary(_summary_until())
    shown = [
        {
            "year": row.year,
            "currency": row.currency,
            **{
                name: money.shown(getattr(row, name), row.currency)
                for name in ("card", "crypto", "offline", "raised", "paid_out")
            },
        }
        for row in rows
    ]
    return render(
        request,
        "donations/summary.html",
        {"rows": shown, "currencies": sorted({r.currency for r in rows}), "until": _summary_until()},
    )


@public_page
def summary_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="donations-by-year.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(["year", "currency", "card", "crypto", "offline", "raised", "paid_out"])
    for row in services.yearly_summary(_summary_until()):
        writer.writerow(
            [row.year, spreadsheet_safe(row.currency)]
            + [
                money.decimal_string(getattr(row, name), row.currency)
                for name in ("card", "crypto", "offline", "raised", "paid_out")
            ]
        )
    return response


@public_page
@charts.svg_policy
def summary_chart(request: HttpRequest) -> HttpResponse:
    currency = request.GET.get("currency", "")
    rows = [row for row in services.yearly_summary(_summary_until()) if row.currency == currency]
    if not rows:
        raise Http404
    narrow = request.GET.get("size") == "narrow"
    return HttpResponse(
        charts.yearly_bars(rows, currency, narrow=narrow), content_type="image/svg+xml; charset=utf-8"
    )


def _webhook(receive) -> HttpResponse:
    try:
        result = receive()
    except services.Failed:
        return HttpResponse("failed; kept for a retry", status=503, content_type="text/plain")
    return HttpResponse(result, content_type="text/plain")


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    if not providers.stripe_offered():
        raise Http404
    try:
        event = providers.stripe_event(request.body, request.headers.get("Stripe-Signature", ""))
    except providers.BadSignature:
        return HttpResponseBadRequest("bad signature", content_type="text/plain")
    data_object = (event.get("data") or {}).get("object") or {}
    kind = str(event.get("type", ""))
    return _webhook(
        lambda: services.receive(
            provider=Provider.STRIPE,
            event_id=str(event.get("id", "")),
            kind=kind,
            object_id=services.stripe_subject(kind, data_object),
        )
    )


@csrf_exempt
@require_POST
def btcpay_webhook(request: HttpRequest) -> HttpResponse:
    if not providers.btcpay_offered():
        raise Http404
    try:
        delivery = providers.btcpay_delivery(request.body, request.headers.get("BTCPay-Sig", ""))
    except providers.BadSignature:
        return HttpResponseBadRequest("bad signature", content_type="text/plain")
    if str(delivery.get("storeId", settings.BTCPAY_STORE_ID)) != settings.BTCPAY_STORE_ID:
        return HttpResponseBadRequest("another store", content_type="text/plain")
    # A redelivery has a delivery id of its own, and the first one's as originalDeliveryId.
    event_id = str(delivery.get("originalDeliveryId") or delivery.get("deliveryId") or "")
    return _webhook(
        lambda: services.receive(
            provider=Provider.BTCPAY,
            event_id=event_id,
            kind=str(delivery.get("type", "")),
            object_id=str(delivery.get("invoiceId") or ""),
        )
    )
