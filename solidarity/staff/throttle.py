"""Limits on failed staff logins that never store an IP address.

Two counters live only in the cache, for a short window: one per account (keyed on a hash of the
username) and one per client, keyed on the client's address hashed with a random secret that is
itself kept only in the cache and replaced every day. Nothing here is written to the database or
to a log, and after a day even the hashes cannot be linked to an address.
"""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

DAILY_SALT_KEY = "throttle:daily-salt:{day}"


def _daily_salt() -> bytes:
    key = DAILY_SALT_KEY.format(day=timezone.now().date().isoformat())
    cache.add(key, secrets.token_hex(32), timeout=26 * 60 * 60)
    return cache.get(key).encode()


def _client_address(request: HttpRequest) -> str:
    # Read here, hashed at once, and never stored or logged. Behind our proxy, the connection
    # comes from the proxy; the client is the last address the proxy appended.
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def client_key(request: HttpRequest) -> str:
    """An opaque, day-long pseudonym for the client, for use as a cache key only."""
    return hmac.new(_daily_salt(), _client_address(request).encode(), hashlib.sha256).hexdigest()[:32]


def account_key(username: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), username.strip().lower().encode(), hashlib.sha256
    ).hexdigest()[:32]


def _counter_keys(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    return [
        (f"throttle:login:account:{account_key(username)}", settings.LOGIN_FAILURES_PER_ACCOUNT),
        (f"throttle:login:client:{client_key(request)}", settings.LOGIN_FAILURES_PER_CLIENT),
    ]


def login_locked(request: HttpRequest, username: str) -> bool:
    return any((cache.get(key) or 0) >= limit for key, limit in _counter_keys(request, username))


def record_login_failure(request: HttpRequest, username: str) -> None:
    for key, _limit in _counter_keys(request, username):
        if not cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)
