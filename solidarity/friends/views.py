import random

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_POST

from solidarity.catalogue.views import with_card_facts
from solidarity.core import ratelimit
from solidarity.core.middleware import allows_own_referrer
from solidarity.registry.models import Interest, Person, Status

from . import calendar, codenames, guard, services
from .dues import dues_for
from .models import Friend, Friendship, Mark

SESSION_FRIEND = "friend_id"
SESSION_CALENDAR = "friend_calendar"
RESTORE_LIMIT_PER_HOUR = 20


def form_page(view):
    """A page with a form of the friendship: private, never cached, its referrer kept to us."""
    return never_cache(allows_own_referrer(view))


def _sign_in(request: HttpRequest, friend: Friend, codename: str) -> None:
    request.session.cycle_key()
    request.session[SESSION_FRIEND] = friend.pk
    request.session[SESSION_CALENDAR] = codenames.calendar_token(codename)


def current_friend(request: HttpRequest) -> Friend | None:
    """The friend of this browser session, or of the codename this device was asked to remember."""
    friend_id = request.session.get(SESSION_FRIEND)
    if friend_id:
        return Friend.objects.filter(pk=friend_id).first()
    remembered = request.COOKIES.get(settings.FRIENDS_REMEMBER_COOKIE)
    if remembered:
        friend = services.find_friend(remembered)
        if friend:
            _sign_in(request, friend, remembered)
            return friend
    return None


def _remember(response: HttpResponse, codename: str) -> None:
    response.set_cookie(
        settings.FRIENDS_REMEMBER_COOKIE,
        codenames.normalise(codename),
        max_age=settings.FRIENDS_REMEMBER_DAYS * 24 * 3600,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Strict",
    )


def _guard_context() -> dict:
    return {"challenge": guard.new_challenge(), "question": guard.new_question(), "honeypot": guard.HONEYPOT}


@form_page
def home(request: HttpRequest) -> HttpResponse:
    if current_friend(request):
        return redirect("friends_me")
    return render(request, "friends/home.html")


@form_page
def befriend(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.published().select_related("current_facility"), pk=pk)
    friend = current_friend(request)
    error = None
    if request.method == "POST":
        error = guard.check(request, request.POST)
        if error is None:
            codename = None
            if friend is None:
                friend, codename = services.create_friend()
                _sign_in(request, friend, codename)
            began = services.befriend(friend=friend, person=person)
            if codename:
                # The codename is shown once, in this response, and kept nowhere on the server.
                return render(request, "friends/codename.html", {"codename": codename, "person": person})
            if began:
                messages.success(request, _("You are now a friend of %(name)s.") % {"name": person.full_name})
            else:
                messages.info(
                    request, _("You were already a friend of %(name)s.") % {"name": person.full_name}
                )
            return redirect("friends_me")
    return render(
        request,
        "friends/befriend.html",
        {"person": person, "friend": friend, "error": error, **_guard_context()},
    )


@require_POST
@form_page
def remember(request: HttpRequest) -> HttpResponse:
    codename = request.POST.get("codename", "")
    friend = current_friend(request)
    if friend is None or services.find_friend(codename) != friend:
        raise Http404
    response = redirect("friends_me")
    _remember(response, codename)
    messages.success(request, _("This device will remember your codename."))
    return response


@require_POST
@form_page
def restore(request: HttpRequest) -> HttpResponse:
    client = ratelimit.client_key(request)
    if ratelimit.exceeded("friends:restore", client, RESTORE_LIMIT_PER_HOUR):
        messages.error(request, _("Too many attempts from here. Please try again in an hour."))
        return redirect("friends_home")
    ratelimit.record("friends:restore", client, 3600)
    codename = request.POST.get("codename", "")
    friend = services.find_friend(codename)
    if friend is None:
        messages.error(request, _("No friend has this codename. Check the seven words and try again."))
        return redirect("friends_home")
    _sign_in(request, friend, codename)
    response = redirect("friends_me")
    if request.POST.get("remember"):
        _remember(response, codename)
    return response


@form_page
def me(request: HttpRequest) -> HttpResponse:
    friend = current_friend(request)
    if friend is None:
        return redirect("friends_home")
    today = timezone.localdate()
    friendships = list(
        friend.friendships.select_related("person__current_facility")
        .prefetch_related("marks")
        .order_by("person__last_name")
    )
    people = with_card_facts([f.person for f in friendships], today)
    rows = [
        {
            "person": person,
            "dues": dues_for(friendship, list(friendship.marks.all()), today),
            "marks": list(friendship.marks.all())[:6],
        }
        for friendship, person in zip(friendships, people, strict=True)
    ]
    token = request.session.get(SESSION_CALENDAR)
    calendar_url = request.build_absolute_uri(reverse("friends_calendar", args=[token])) if token else None
    return render(
        request,
        "friends/me.html",
        {"rows": rows, "calendar_url": calendar_url, "today": today, "mark_kinds": Mark.Kind.choices},
    )


def _friend_and_person(request: HttpRequest, pk: int) -> tuple[Friend, Person]:
    friend = current_friend(request)
    if friend is None:
        raise Http404
    return friend, get_object_or_404(Person, pk=pk)


@require_POST
@form_page
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    friend, person = _friend_and_person(request, pk)
    if services.mark(
        friend=friend, person=person, kind=request.POST.get("kind", ""), day=timezone.localdate()
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
    friend = current_friend(request)
    if friend is not None:
        services.forget(friend=friend)
    request.session.flush()
    response = redirect("friends_home")
    response.delete_cookie(settings.FRIENDS_REMEMBER_COOKIE, samesite="Strict")
    messages.info(request, _("Everything about your codename has been deleted."))
    return response


@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    friend = Friend.objects.filter(calendar_hash=codenames.calendar_hash(token)).first()
    if friend is None:
        raise Http404
    friendships = list(Friendship.objects.filter(friend=friend).select_related("person"))
    body = calendar.build(friendships, timezone.localdate(), settings.SITE_NAME)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@cache_control(public=True, max_age=300)
def forgotten(request: HttpRequest) -> HttpResponse:
    """Political prisoners with the fewest friends, for those who want to help where it is needed most."""
    today = timezone.localdate()
    people = list(
        Person.objects.published()
        .filter(status=Status.POLITICAL_PRISONER)
        .select_related("current_facility")
        .order_by("friend_count", "imprisoned_since", "pk")[:50]
    )
    return render(
        request,
        "friends/forgotten.html",
        {"people": with_card_facts(people, today), "interests": Interest.objects.all()},
    )


def suggest(request: HttpRequest) -> HttpResponse:
    """One person at random among those with the fewest friends, weighted toward fewer still;
    with interests chosen, people who share one come first."""
    held = Person.objects.published().filter(status=Status.POLITICAL_PRISONER)
    chosen = request.GET.getlist("interests")
    if chosen:
        sharing = held.filter(interests__slug__in=chosen).distinct()
        held = sharing if sharing.exists() else held
    candidates = list(held.order_by("friend_count", "pk").values_list("pk", "friend_count")[:200])
    if not candidates:
        return redirect("forgotten")
    weights = [1 / (1 + count) ** 2 for _pk, count in candidates]
    pk = random.choices([pk for pk, _count in candidates], weights=weights)[0]  # noqa: S311 (not a secret)
    return redirect("person_detail", pk=pk)
