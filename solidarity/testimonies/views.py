"""The witness's pages: nothing here is cached anywhere (`no-store`), every page has a "leave
quickly" button that clears the site's data from the browser, and everything works without
JavaScript and over Tor. The codename travels in the form of each step (a password field), never
in a cookie or an address."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidarity.core import guard, ratelimit
from solidarity.core.pages import form_page

from . import services, uploads
from .forms import AdditionForm, CodenameForm, TestimonyForm, WithdrawForm

FOLLOW_UPS_PER_HOUR = 30


def _page(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context.setdefault("photos", request.GET.get("photos", "original"))
    context["max_megabytes"] = settings.TESTIMONY_MAX_BYTES // 1024 // 1024
    context["open"] = services.public_key() is not None
    context["upload_ticket"] = uploads.new_ticket()  # this page's files may be sealed once
    return render(request, template, context)


def _dropped(request, files) -> str | None:
    if uploads.refused(request):
        services.discard(files)
        if services.public_key() is None:
            return _("Testimonies cannot be received yet: the legal team's key is not set.")
        if uploads.refusal(request) == "ticket":
            return _(
                "This form was sent before, or was open for more than two days: its files were not "
                "taken, and nothing was sent. Attach the files again and send."
            )
        if uploads.refusal(request) == "busy":
            return _(
                "Too many files are arriving at once: nothing was sent. Try again in an hour; "
                "your answers are still here."
            )
        message = _(
            "A file was too large, or there were too many: nothing was sent. Each file may be up to "
            "%(megabytes)s MB, and one post may carry %(count)s files."
        )
        return message % {
            "megabytes": settings.TESTIMONY_MAX_BYTES // 1024 // 1024,
            "count": uploads.FILES_PER_POST,
        }
    return None


@form_page
def intro(request: HttpRequest) -> HttpResponse:
    return _page(request, "testimonies/intro.html", {})


@form_page
def new(request: HttpRequest) -> HttpResponse:
    form = TestimonyForm(request.POST or None, request.FILES or None, request=request)
    if request.method == "POST":
        files = request.FILES.getlist("attachments")
        trouble = _dropped(request, files)
        if trouble is None and form.is_valid():
            try:
                testimony, codename = services.submit(
                    answers=form.answers(),
                    consent=form.consent(),
                    files=form.cleaned_data["attachments"],
                    language=translation.get_language(),
                )
            except services.NotAllowed as refused:
                trouble = str(refused)
            else:
                return _page(
                    request,
                    "testimonies/arrived.html",
                    {"codename": codename, "files": len(files), "not_cleaned": uploads.not_cleaned(request)},
                )
        services.discard(files)  # a submission that did not go through keeps nothing
        if trouble:
            form.add_error(None, trouble)
    return _page(request, "testimonies/new.html", {"form": form, **guard.context()})


def _found(request, form):
    """The testimony the posted codename opens, or an error on the form. Guesses are limited per
    client only where clients can be told apart: behind the onion service every visitor comes
    from one address, and one guesser would lock out every witness (a codename's seven words are
    out of reach of guessing anyway)."""
    if not form.is_valid():
        return None
    refused = ratelimit.told_apart(request) and ratelimit.refusal(
        request,
        "testimonies.follow",
        per_hour=FOLLOW_UPS_PER_HOUR,
        message=_("Too many attempts from here: try again in an hour."),
    )
    if refused:
        form.add_error(None, refused)
        return None
    testimony = services.find(form.cleaned_data["codename"])
    if testimony is None:
        form.add_error("codename", _("No testimony has this codename. Check each word."))
    return testimony


def _status(request, testimony, codename: str, **context) -> HttpResponse:
    return _page(
        request,
        "testimonies/status.html",
        {
            "testimony": testimony,
            "codename": codename,
            "questions": services.questions_for(testimony, codename),
            "addition_form": context.pop("addition_form", None)
            or AdditionForm(initial={"codename": codename}),
            "withdraw_form": WithdrawForm(initial={"codename": codename}),
            **context,
        },
    )


@form_page
def follow(request: HttpRequest) -> HttpResponse:
    form = CodenameForm(request.POST or None)
    if request.method == "POST":
        testimony = _found(request, form)
        if testimony is not None:
            return _status(request, testimony, form.cleaned_data["codename"])
    return _page(request, "testimonies/follow.html", {"form": form})


@form_page
@require_POST
def add(request: HttpRequest) -> HttpResponse:
    form = AdditionForm(request.POST, request.FILES)
    files = request.FILES.getlist("attachments")
    testimony = _found(request, form)
    trouble = _dropped(request, files)
    if testimony is None or trouble:
        services.discard(files)
        if testimony is None:
            return _page(request, "testimonies/follow.html", {"form": form})
        form.add_error(None, trouble)
        return _status(request, testimony, form.cleaned_data["codename"], addition_form=form)
    services.add(
        testimony,
        text=form.cleaned_data["text"],
        files=form.cleaned_data["attachments"],
        language=translation.get_language(),
    )
    return _status(
        request,
        testimony,
        form.cleaned_data["codename"],
        added=True,
        not_cleaned=uploads.not_cleaned(request),
    )


@form_page
@require_POST
def withdraw(request: HttpRequest) -> HttpResponse:
    form = WithdrawForm(request.POST)
    testimony = _found(request, form)
    if testimony is None:
        return _page(request, "testimonies/follow.html", {"form": form})
    services.withdraw(testimony)
    testimony.refresh_from_db()
    return _status(request, testimony, form.cleaned_data["codename"], withdrawn=True)


def leave(request: HttpRequest) -> HttpResponse:
    """Leave quickly: the browser forgets this site (cache, cookies, storage) and goes elsewhere."""
    response = HttpResponseRedirect(settings.TESTIMONY_LEAVE_URL)
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    response["Cache-Control"] = "no-store"
    return response
