"""Limits on staff logins, asked before the password is checked.

Per account, a growing delay rather than a lockout: LOGIN_FAILURES_PER_ACCOUNT attempts go ahead at
once, then each further one must wait 1, 2, 4… seconds after the last (at most
LOGIN_FAILURE_WINDOW); a correct login when its turn comes works, and forgets the count. Nobody can
lock an account for long by guessing at it.

Per client, LOGIN_ATTEMPTS_PER_CLIENT attempts in the window, only where our proxy tells clients
apart (`ratelimit.told_apart`): otherwise everyone comes from the proxy's address, and one
guesser's attempts would lock out every member of staff.
"""

import enum
import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest

from solidarity.core import ratelimit

ACCOUNT, CLIENT = "login:account", "login:client"


class Refused(enum.Enum):
    ACCOUNT = "account"  # the account's turn has not come yet
    CLIENT = "client"  # this client tried too often


def account_key(username: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), username.strip().lower().encode(), hashlib.sha256
    ).hexdigest()[:32]


def admit(request: HttpRequest, username: str) -> Refused | None:
    """Whether this attempt may be checked at all (None) or why not; counts it. Raises
    `ratelimit.Unavailable` while the limits cannot be checked."""
    if ratelimit.told_apart(request) and not ratelimit.hit(
        CLIENT,
        ratelimit.client_key(request),
        limit=settings.LOGIN_ATTEMPTS_PER_CLIENT,
        window=settings.LOGIN_FAILURE_WINDOW,
    ):
        return Refused.CLIENT
    allowed = ratelimit.attempt(
        ACCOUNT,
        account_key(username),
        free=settings.LOGIN_FAILURES_PER_ACCOUNT,
        window=settings.LOGIN_FAILURE_WINDOW,
        longest=settings.LOGIN_FAILURE_WINDOW,
    )
    return None if allowed else Refused.ACCOUNT


def succeeded(username: str) -> None:
    """A correct login: the account's count is forgotten."""
    ratelimit.forgive(ACCOUNT, account_key(username))
