import random

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from solidarity.catalogue.listing import card_people, card_rows, rendered_cards, with_card_facts
from solidarity.core import guard, plugins, ratelimit
from solidarity.core.pages import form_page, public_page
from solidarity.registry.models import Interest, Person, Status

from . import calendar, codenames, services, session
from .dues import dues_for
from .forms import BefriendForm, ForgetForm, MarkForm, RememberForm, RestoreForm, SuggestForm
from .models import Friend, Friendship, Mark

RESTORE_LIMIT_PER_HOUR = 20


@form_page
def home(request: HttpRequest) -> HttpResponse:
    if session.current_friend(request):
        return redirect("friends_me")
    return render(request, "friends/home.html", {"form": RestoreForm()})


@form_page
def befriend(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.published().select_related("current_facility"), pk=pk)
    if not services.may_befriend(person):
        refusal = str(services.NotBefriendable(person))
        return render(request, "friends/befriend.html", {"person": person, "refusal": refusal})
    friend = session.current_friend(request)
    post = request.POST if request.method == "POST" else None
    form = BefriendForm(post, request=request, signed_in=friend is not None)
    if post is not None and form.is_valid():
        if friend is None or form.wants_new_codename():
            friend, codename = services.befriend_with_new_codename(person=person)
            session.sign_in(request, friend, codenames.calendar_token(codename))
            # The codename is shown once, in this response, and kept nowhere on the server.
            return render(request, "friends/codename.html", {"codename": codename, "person": person})
        if services.befriend(friend=friend, person=person):
            messages.success(request, _("You are now a friend of %(name)s.") % {"name": person.full_name})
        else:
            messages.info(request, _("You were already a friend of %(name)s.") % {"name": person.full_name})
        return redirect("friends_me")
    return render(
        request,
        "friends/befriend.html",
        {
            "person": person,
            "friend": friend,
            "befriended": services.befriended_names(friend) if friend else None,
            "form": form,
            **guard.context(),
        },
    )


@require_POST
@form_page
def remember(request: HttpRequest) -> HttpResponse:
    form = RememberForm(request.POST)
    friend = session.current_friend(request)
    if friend is None or not form.is_valid() or services.find_friend(form.cleaned_data["codename"]) != friend:
        raise Http404
    response = redirect("friends_me")
    session.remember(response, form.cleaned_data["codename"])
    messages.success(request, _("This device will remember your codename."))
    return response


@require_POST
@form_page
def restore(request: HttpRequest) -> HttpResponse:
    try:
        allowed = ratelimit.hit(
            "friends:restore", ratelimit.client_key(request), limit=RESTORE_LIMIT_PER_HOUR, window=3600
        )
    except ratelimit.Unavailable as outage:
        messages.error(request, str(outage))
        return redirect("friends_home")
    if not allowed:
        messages.error(request, _("Too many attempts from here. Please try again in an hour."))
        return redirect("friends_home")
    form = RestoreForm(request.POST)
    friend = services.find_friend(form.cleaned_data["codename"]) if form.is_valid() else None
    if friend is None:
        messages.error(request, _("No friend has this codename. Check its words and try again."))
        return redirect("friends_home")
    session.sign_in(request, friend, codenames.calendar_token(form.cleaned_data["codename"]))
    response = redirect("friends_me")
    if form.cleaned_data["remember"]:
        session.remember(response, form.cleaned_data["codename"])
    return response


@form_page
def me(request: HttpRequest) -> HttpResponse:
    friend = session.current_friend(request)
    if friend is None:
        return redirect("friends_home")
    today = timezone.localdate()
    friendships = list(
        friend.friendships.select_related("person__current_facility__kind")
        .prefetch_related("marks", "person__sentences")
        .order_by("person__last_name")
    )
    people = with_card_facts([f.person for f in friendships], today)
    rows = [
        {
            "person": person,
            "dues": dues_for(friendship, list(friendship.marks.all()), today),
            "marks": list(friendship.marks.all())[:6],
            "actions": [
                (action.label, url) for action in plugins.friend_actions if (url := action.url(person))
            ],
        }
        for friendship, person in zip(friendships, people, strict=True)
    ]
    token = session.calendar_token(request)
    calendar_url = request.build_absolute_uri(reverse("friends_calendar", args=[token])) if token else None
    return render(
        request,
        "friends/me.html",
        {"rows": rows, "calendar_url": calendar_url, "today": today, "mark_kinds": Mark.Kind.choices},
    )


def _friend_and_person(request: HttpRequest, pk: int) -> tuple[Friend, Person]:
    friend = session.current_friend(request)
    if friend is None:
        raise Http404
    return friend, get_object_or_404(Person, pk=pk)


@require_POST
@form_page
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    friend, person = _friend_and_person(request, pk)
    form = MarkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what you did: a letter or a parcel."))
    elif services.mark(
        friend=friend, person=person, kind=form.cleaned_data["kind"], day=timezone.localdate()
    ):
        messages.success(request, _("Noted, with today's date. Thank you."))
    return redirect("friends_me")


@require_POST
@form_page
def unfriend(request: HttpRequest, pk: int) -> HttpResponse:
    friend, person = _friend_and_person(request, pk)
    if services.unfriend(friend=friend, person=person):
        messages.info(request, _("You are no longer a friend of %(name)s.") % {"name": person.full_name})
    return redirect("friends_me")


@require_POST
@form_page
def forget(request: HttpRequest) -> HttpResponse:
    """Asks once more, then deletes: nothing of it can be undone."""
    friend = session.current_friend(request)
    if friend is None:
        return redirect("friends_home")
    if not ForgetForm(request.POST).is_valid():
        return render(request, "friends/forget.html", {"count": friend.friendships.count()})
    services.forget(friend=friend)
    response = redirect("friends_home")
    session.sign_out(request, response)
    messages.info(request, _("Everything about your codename has been deleted."))
    return response


@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    friend = Friend.objects.filter(calendar_hash=codenames.calendar_hash(token)).first()
    if friend is None:
        raise Http404
    friendships = list(
        Friendship.objects.filter(friend=friend)
        .select_related("person__current_facility__kind")
        .prefetch_related("marks", "person__sentences")
    )
    body = calendar.build(friendships, timezone.localdate(), settings.SITE_NAME)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@public_page
def forgotten(request: HttpRequest) -> HttpResponse:
    """Political prisoners with the fewest friends, for those who want to help where it is needed most."""
    today = timezone.localdate()
    people = list(
        card_rows(card_people().filter(status=Status.POLITICAL_PRISONER)).order_by(
            "friend_count", "imprisoned_since", "pk"
        )[:50]
    )
    return render(
        request,
        "friends/forgotten.html",
        {
            "cards": rendered_cards(people, "catalogue/_person_card.html", today),
            "interests": Interest.objects.all(),
        },
    )


def suggest(request: HttpRequest) -> HttpResponse:
    """One person at random among those with the fewest friends, weighted toward fewer still;
    with interests chosen, people who share one come first."""
    held = Person.objects.published().filter(status=Status.POLITICAL_PRISONER)
    form = SuggestForm(request.GET)
    chosen = form.cleaned_data["interests"] if form.is_valid() else None
    if chosen:
        sharing = held.filter(interests__in=chosen).distinct()
        held = sharing if sharing.exists() else held
    candidates = list(held.order_by("friend_count", "pk").values_list("pk", "friend_count")[:200])
    if not candidates:
        return redirect("forgotten")
    weights = [1 / (1 + count) ** 2 for _pk, count in candidates]
    pk = random.choices([pk for pk, _count in candidates], weights=weights)[0]  # noqa: S311 (not a secret)
    return redirect("person_detail", pk=pk)
