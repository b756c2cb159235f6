"""Limits on failed staff logins, per account and per (hashed, never stored) client: only failures
count, so the lock is asked before the password is checked and a failure is counted after."""

import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest

from solidarity.core import ratelimit


def account_key(username: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), username.strip().lower().encode(), hashlib.sha256
    ).hexdigest()[:32]


def _counters(request: HttpRequest, username: str) -> list[tuple[str, str, int]]:
    return [
        ("login:account", account_key(username), settings.LOGIN_FAILURES_PER_ACCOUNT),
        ("login:client", ratelimit.client_key(request), settings.LOGIN_FAILURES_PER_CLIENT),
    ]


def login_locked(request: HttpRequest, username: str) -> bool:
    """Asked before the password is checked: a locked login is refused even with the right one."""
    return any(
        ratelimit.exceeded(scope, key, limit=limit) for scope, key, limit in _counters(request, username)
    )


def record_login_failure(request: HttpRequest, username: str) -> None:
    for scope, key, limit in _counters(request, username):
        ratelimit.hit(scope, key, limit=limit, window=settings.LOGIN_FAILURE_WINDOW)
