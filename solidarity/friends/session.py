"""Who the friend of this browser is: the one place that keeps a friend in the session or in the
remember-me cookie. Every app a friend uses (letters, and those to come) asks here."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import codenames, services
from .models import Friend

SESSION_FRIEND = "friend_id"
SESSION_CALENDAR = "friend_calendar"


def sign_in(request: HttpRequest, friend: Friend, codename: str) -> None:
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
            sign_in(request, friend, remembered)
            return friend
    return None


def calendar_token(request: HttpRequest) -> str | None:
    return request.session.get(SESSION_CALENDAR)


def remember(response: HttpResponse, codename: str) -> None:
    """Keeps the codename on this device (asked for, never by default), for this site's pages only."""
    response.set_cookie(
        settings.FRIENDS_REMEMBER_COOKIE,
        codenames.normalise(codename),
        max_age=settings.FRIENDS_REMEMBER_DAYS * 24 * 3600,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Strict",
    )


def sign_out(request: HttpRequest, response: HttpResponse) -> None:
    """Nothing of the friend stays in this browser: the session and the remembered codename go."""
    request.session.flush()
    response.delete_cookie(settings.FRIENDS_REMEMBER_COOKIE, samesite="Strict")
