"""The writer's pages: compose (with the checker and the phrasebook), download the PDF, hand the
letter to volunteers, follow it with a codename and read the reply; and the letter-evening kit."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from solidarity.catalogue.forms import birthdays_in_time_for_the_post
from solidarity.core import guard, ratelimit
from solidarity.core.pages import form_page, public_page
from solidarity.friends import codenames
from solidarity.friends import services as friends
from solidarity.friends.session import current_friend
from solidarity.registry.models import IN_CUSTODY, Person, Status

from . import checker, phrasebook, services
from .forms import CodenameForm, ComposeForm, EveningForm, HandOverForm
from .models import Letter, Reachability, Reply
from .postcards import DESIGNS

SESSION_KEY = "letters_key"
FOLLOW_LIMIT_PER_HOUR = 20
# The kit's birthdays: a month of them, from the first that a letter written tonight reaches in time.
KIT_BIRTHDAY_DAYS = 30


def _recipient(pk: int) -> Person:
    people = Person.objects.published().select_related("current_facility")
    return get_object_or_404(people, pk=pk)


def _phrase_choices(person: Person, today: datetime.date):
    topics = phrasebook.offered(today.month, person.gender)
    return topics, [(phrase.id, phrase.id) for topic in topics for phrase in topic.phrases]


def _compose_context(person: Person, form: ComposeForm, topics, result=None, error=None) -> dict:
    language = get_language()
    letter_language = form["language"].value()
    if letter_language not in phrasebook.LETTER_LANGUAGES:
        letter_language = Letter.Language.RU
    body = form["body"].value() or ""
    return {
        "person": person,
        "form": form,
        "known": services.reachability_of(person),
        "statuses": Reachability.Status,
        "writable": person.status in IN_CUSTODY and person.current_facility_id is not None,
        "designs": DESIGNS,
        "phrasebook": [
            {
                "title": topic.title(language),
                "phrases": [
                    {
                        "id": phrase.id,
                        "shown": phrase.shown_in(language, person.gender, person.first_name_in(language)),
                        "written": phrase.written_in(
                            letter_language, person.gender, person.first_name_in(letter_language)
                        ),
                    }
                    for phrase in topic.phrases
                ],
            }
            for topic in topics
        ],
        "shows_translation": language != letter_language,
        "chosen_phrases": set(form["phrases"].value() or ()),
        "result": result,
        "summary": checker.explain(result) if result else None,
        "result_counted": checker.counted(result) if result else None,
        "segments": checker.segments(body, result.findings) if result and not result.ok else None,
        "error": error,
    }


@form_page
def compose(request: HttpRequest, pk: int) -> HttpResponse:
    person = _recipient(pk)
    today = timezone.localdate()
    topics, choices = _phrase_choices(person, today)
    if request.method != "POST":
        form = ComposeForm(phrase_choices=choices)
        return render(request, "letters/compose.html", _compose_context(person, form, topics))
    form = ComposeForm(request.POST, phrase_choices=choices)
    if not form.is_valid():
        return render(request, "letters/compose.html", _compose_context(person, form, topics))
    data = form.cleaned_data
    action = data["action"] or ComposeForm.CHECK
    if action == ComposeForm.PHRASES:
        addition = phrasebook.assemble(
            data["phrases"],
            language=data["language"],
            gender=person.gender,
            name=person.first_name_in(data["language"]),
        )
        post = request.POST.copy()
        post["body"] = phrasebook.append(data["body"], addition)
        post.setlist("phrases", [])
        form = ComposeForm(post, phrase_choices=choices)
        form.is_valid()
        data = form.cleaned_data
    body = data.get("body", "")
    result = checker.check(body, kind=data["kind"], addressee=person)
    error = None
    sending = action in (ComposeForm.PDF, ComposeForm.HAND_OVER)
    if sending and not body.strip():
        error = _("The letter is empty: write something, or choose phrases from the phrasebook.")
    elif sending and person.current_facility_id is None:
        error = _("We do not know where this person is held, so there is no address to write to yet.")
    elif sending and result.must_change:
        error = str(services.MustChange(result))
    elif sending and not (result.ok or data["accept_risk"]):
        error = _("Change what is marked first, or tick “even so” if you know the risk.")
    elif action == ComposeForm.PDF:
        return _pdf_response(person, data, today)
    elif action == ComposeForm.HAND_OVER:
        return _hand_over_page(
            request,
            person,
            HandOverForm(initial=data, request=request, signed_in=current_friend(request) is not None),
        )
    return render(request, "letters/compose.html", _compose_context(person, form, topics, result, error))


def _pdf_response(person: Person, data: dict, today: datetime.date) -> HttpResponse:
    from .pdf import Sheet, document_for  # fpdf and its fonts (31 MB) load with the first letter

    sheet = Sheet(
        person=person,
        facility=person.current_facility,
        kind=data["kind"],
        language=data["language"],
        body=data["body"],
        day=today,
        design=data["design"],
    )
    response = HttpResponse(document_for([sheet]), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{data["kind"]}-{person.pk}.pdf"'
    return response


def _hand_over_page(request: HttpRequest, person: Person, form: HandOverForm) -> HttpResponse:
    known = services.reachability_of(person)
    friend = current_friend(request)
    return render(
        request,
        "letters/hand_over.html",
        {
            "person": person,
            "form": form,
            "known": known,
            "statuses": Reachability.Status,
            "may_seal": known.status == Reachability.Status.INCOMMUNICADO,
            "friend": friend,
            "befriended": friends.befriended_names(friend) if friend else None,
            # A browser that follows earlier letters by their codename is asked, like a friend's.
            "follows": not friend and bool(request.session.get(SESSION_KEY)),
            "body": form["body"].value(),
            "accepts_risk": form.fields["accept_risk"].to_python(form["accept_risk"].value()),
            "retention_days": settings.LETTERS_TEXT_DAYS,
            **guard.context(),
        },
    )


@require_POST
@form_page
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    person = _recipient(pk)
    friend = current_friend(request)
    follows = "" if friend else request.session.get(SESSION_KEY, "")
    form = HandOverForm(request.POST, request=request, signed_in=bool(friend or follows))
    if not form.is_valid():
        if form.has_error(NON_FIELD_ERRORS, code="guard") or form.has_error("with_codename"):
            return _hand_over_page(request, person, form)
        messages.error(request, _("The letter did not come through. Please write it again."))
        return redirect("compose_letter", pk=person.pk)
    refusal = ratelimit.refusal(
        request,
        "letters:hand_over",
        per_hour=settings.LETTERS_LIMIT_PER_HOUR,
        message=_("Too many letters from here. Please try again in an hour."),
    )
    if refusal:
        form.add_error(None, refusal)
        return _hand_over_page(request, person, form)
    data = form.cleaned_data
    if form.wants_new_codename():
        friend, follows = None, ""
    try:
        letter, codename = services.hand_over(
            person=person,
            body=data["body"],
            kind=data["kind"],
            language=data["language"],
            design=data["design"],
            friend=friend,
            follows=follows,
            sealed=data["sealed"],
            accepted_risk=data["accept_risk"],
        )
    except services.Flagged as flagged:
        # The rules or the registry changed since the last check: back to writing, nothing lost.
        topics, choices = _phrase_choices(person, timezone.localdate())
        compose_form = ComposeForm({**data, "phrases": []}, phrase_choices=choices)
        compose_form.is_valid()
        context = _compose_context(person, compose_form, topics, flagged.result, str(flagged))
        return render(request, "letters/compose.html", context)
    except services.LetterError as refusal:
        form.add_error(None, str(refusal))
        return _hand_over_page(request, person, form)
    if codename:  # the session now follows the letter's codename: a change of owner, so the key cycles
        request.session.cycle_key()
        request.session[SESSION_KEY] = codenames.key_hash(codename)
    return render(
        request,
        "letters/handed.html",
        {"letter": letter, "codename": codename, "person": person, "follows": bool(follows)},
    )


def _keys(request: HttpRequest) -> set[str]:
    """The codename hashes this browser session follows letters by."""
    keys = {request.session.get(SESSION_KEY)} - {None}
    friend = current_friend(request)
    if friend:
        keys.add(friend.key_hash)
    return keys


def _followed(request: HttpRequest):
    keys = _keys(request)
    return Letter.objects.filter(Q(codename_hash__in=keys) | Q(friend__key_hash__in=keys)) if keys else None


@form_page
def follow(request: HttpRequest) -> HttpResponse:
    form = CodenameForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if request.POST.get("action") == "close":
            request.session.pop(SESSION_KEY, None)
            return redirect("letters_follow")
        if form.is_valid():
            refusal = ratelimit.refusal(
                request,
                "letters:follow",
                per_hour=FOLLOW_LIMIT_PER_HOUR,
                message=_("Too many attempts from here. Please try again in an hour."),
            )
            if refusal:
                form.add_error(None, refusal)
            elif key := services.followed_by(form.cleaned_data["codename"]):
                request.session.cycle_key()
                request.session[SESSION_KEY] = key
                return redirect("letters_follow")
            else:
                form.add_error("codename", _("No letter is followed by this codename. Check its words."))
    letters = _followed(request)
    if letters is not None:
        letters = list(
            letters.select_related("person").prefetch_related("replies").order_by("-submitted_on", "-id")
        )
    return render(request, "letters/follow.html", {"form": form, "letters": letters})


def _reply_for(request: HttpRequest, pk: int) -> Reply:
    letters = _followed(request)
    if letters is None:
        raise Http404
    return get_object_or_404(Reply.objects.select_related("letter"), pk=pk, letter__in=letters)


@form_page
def read_reply(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _reply_for(request, pk)
    services.read_reply(reply=reply, day=timezone.localdate())
    response = FileResponse(reply.scan.open("rb"), content_type=reply.content_type)
    # Images open in the page; a PDF is saved (a browser's PDF viewer would need a looser policy).
    disposition = "inline" if reply.content_type.startswith("image/") else "attachment"
    extension = reply.content_type.rsplit("/", 1)[1]
    response["Content-Disposition"] = f'{disposition}; filename="reply-{reply.letter_id}.{extension}"'
    return response


@require_POST
@form_page
def delete_reply(request: HttpRequest, pk: int) -> HttpResponse:
    services.delete_reply(reply=_reply_for(request, pk))
    messages.info(request, _("The reply has been deleted."))
    return redirect("letters_follow")


@public_page
def evening(request: HttpRequest) -> HttpResponse:
    """A printable kit for a letter-writing evening: people, their addresses, and the rules in brief."""
    form = EveningForm(request.GET or None)
    if not form.is_valid():
        return render(request, "letters/evening.html", {"form": form})
    today = timezone.localdate()
    held = (
        Person.objects.published()
        .filter(status=Status.POLITICAL_PRISONER, current_facility__isnull=False)
        .select_related("current_facility")
    )
    who, count = form.cleaned_data["who"], form.cleaned_data["count"]
    if who == EveningForm.Choice.CHOSEN:
        wanted = form.chosen_ids()
        found = held.in_bulk(wanted)
        people = [found[pk] for pk in wanted if pk in found][:count]
    elif who == EveningForm.Choice.FEWEST:
        people = list(
            held.annotate(letter_count=Count("letters")).order_by("letter_count", "friend_count", "pk")[
                :count
            ]
        )
    else:
        with_birthdays = held.filter(birth_date__isnull=False)
        soon = list(birthdays_in_time_for_the_post(with_birthdays, today, KIT_BIRTHDAY_DAYS - 1))
        people = sorted(soon, key=lambda p: (p.next_birthday(today), p.pk))[:count]
    for person in people:
        person.kit_birthday = person.next_birthday(today)
        person.kit_age = person.age_on(person.kit_birthday) if person.kit_birthday else None
    return render(request, "letters/evening_kit.html", {"people": people, "today": today, "form": form})
