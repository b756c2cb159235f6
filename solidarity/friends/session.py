"""Who the friend of this browser is: the one place that keeps a friend in the session or in the
remember-me cookie. Every app a friend uses (letters, and those to come) asks here.

The session is a signed cookie (the server keeps nothing of it): for a friend it holds the
codename's keyed hash and the calendar token, never the codename. The remember-me cookie, only
when asked for, holds a keyed token that names the friend without the codename
(`codenames.remember_token`)."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from . import codenames
from .models import Friend

SESSION_FRIEND = "friend"
SESSION_CALENDAR = "friend_calendar"


def sign_in(request: HttpRequest, friend: Friend, calendar_token: str) -> None:
    """The session now belongs to this friend. Like Django's login: what another friend's session
    held goes with it, and the key cycles either way."""
    if request.session.get(SESSION_FRIEND, friend.key_hash) != friend.key_hash:
        request.session.flush()
    else:
        request.session.cycle_key()
    request.session[SESSION_FRIEND] = friend.key_hash
    request.session[SESSION_CALENDAR] = calendar_token


def current_friend(request: HttpRequest) -> Friend | None:
    """The friend of this browser session, or of the codename this device was asked to remember."""
    key_hash = request.session.get(SESSION_FRIEND)
    if key_hash:
        return Friend.objects.filter(key_hash=key_hash).first()
    remembered = codenames.remembered_calendar_token(
        request.COOKIES.get(settings.FRIENDS_REMEMBER_COOKIE, "")
    )
    if remembered:
        friend = Friend.objects.filter(calendar_hash=codenames.calendar_hash(remembered)).first()
        if friend:
            sign_in(request, friend, remembered)
            return friend
    return None


def calendar_token(request: HttpRequest) -> str | None:
    return request.session.get(SESSION_CALENDAR)


def remember(response: HttpResponse, codename: str) -> None:
    """Keeps the friend on this device (asked for, never by default), for this site's pages only."""
    response.set_cookie(
        settings.FRIENDS_REMEMBER_COOKIE,
        codenames.remember_token(codenames.calendar_token(codename)),
        max_age=settings.FRIENDS_REMEMBER_DAYS * 24 * 3600,
        httponly=True,
        secure=settings.SESSION_COOKIE_SECURE,
        samesite="Strict",
    )


def sign_out(request: HttpRequest, response: HttpResponse) -> None:
    """Nothing of the friend stays in this browser: the session and the remembered token go."""
    request.session.flush()
    response.delete_cookie(settings.FRIENDS_REMEMBER_COOKIE, samesite="Strict")
