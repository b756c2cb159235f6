"""Rate limits that never store an IP address.

Counters live only in the cache, for a short window, keyed on an opaque client key: the client's
address hashed with a random secret that is itself kept only in the cache and replaced every day.
Nothing here is written to the database or to a log, and after a day even the hashes cannot be
linked to an address.
"""

import contextlib
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

DAILY_SALT_KEY = "ratelimit:daily-salt:{day}"


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


def _key(scope: str, key: str) -> str:
    return f"ratelimit:{scope}:{key}"


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Counts one event in the window that started with the first, unless `limit` events are
    counted already; True when this one may go ahead. The count is taken first and given back
    when over the limit, so concurrent requests can't slip past the limit together, and a refused
    request is not counted."""
    full = _key(scope, key)
    if _count(full, window) <= limit:
        return True
    with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to give back
        cache.decr(full)
    return False


def exceeded(scope: str, key: str, *, limit: int) -> bool:
    """Whether `limit` events are counted already, without counting one: for a limit on failures,
    asked before trying (a staff login), the failure then counted with `hit`."""
    return (cache.get(_key(scope, key)) or 0) >= limit


def _count(full: str, window: int) -> int:
    if cache.add(full, 1, timeout=window):
        return 1
    try:
        return cache.incr(full)
    except ValueError:  # expired between add and incr
        cache.add(full, 1, timeout=window)
        return 1
