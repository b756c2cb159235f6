"""Limits on failed staff logins, per account and per (hashed, never stored) client."""

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
    return any(ratelimit.exceeded(scope, key, limit) for scope, key, limit in _counters(request, username))


def record_login_failure(request: HttpRequest, username: str) -> None:
    for scope, key, _limit in _counters(request, username):
        ratelimit.record(scope, key, settings.LOGIN_FAILURE_WINDOW)
