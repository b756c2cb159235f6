"""Rate limits that never store an IP address.

Counters live only in the ledger (`core.cache`), for a short window, keyed on an opaque client key:
the client's address hashed with a secret of the day. The secret is derived from `SECRET_KEY` and
the date, so every app server agrees on it, and it is never written anywhere: the ledger's keys
cannot be matched to addresses without the key of the application servers too. Nothing here is
written to the database or to a log, and a counter is gone when its window ends.

Every check that counts is one atomic step in the ledger, however many requests come at once. When
the ledger cannot be reached, they raise `Unavailable`: nothing that needs a limit goes ahead.
"""

import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils import timezone

from .cache import Unavailable

__all__ = ["Unavailable", "attempt", "client_key", "forgive", "hit", "refusal", "told_apart"]


def _ledger():
    return caches["ledger"]


def _daily_secret() -> bytes:
    day = timezone.now().date().isoformat()
    return hmac.new(settings.SECRET_KEY.encode(), f"ratelimit:{day}".encode(), hashlib.sha256).digest()


def _trusted(address: str) -> bool:
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(found in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


def _forwarded_for(request: HttpRequest) -> str | None:
    """The client's address as our proxies give it, if this request came through one (and only
    then): the last address in `X-Forwarded-For` that is not one of our proxies."""
    if not (settings.BEHIND_PROXY and _trusted(request.META.get("REMOTE_ADDR", ""))):
        return None
    chain = [address.strip() for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    return next((address for address in reversed(chain) if address and not _trusted(address)), None)


def told_apart(request: HttpRequest) -> bool:
    """Whether this client's address is really its own, given by our proxy: without one (or from
    anyone else) every visitor may come from the same address, the proxy's."""
    return _forwarded_for(request) is not None


def client_key(request: HttpRequest) -> str:
    """An opaque, day-long pseudonym for the client, for use as a ledger key only. Read here, hashed
    at once, and never stored or logged."""
    address = _forwarded_for(request) or request.META.get("REMOTE_ADDR", "")
    return hmac.new(_daily_secret(), address.encode(), hashlib.sha256).hexdigest()[:32]


def _key(scope: str, key: str) -> str:
    return f"ratelimit:{scope}:{key}"


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Counts one event in the window that started with the first, unless `limit` events are
    counted already; True when this one may go ahead. A refused event is not counted."""
    return _ledger().hit(_key(scope, key), limit=limit, window=window)


def refusal(request: HttpRequest, scope: str, *, per_hour: int, message: str) -> str | None:
    """Counts one event of this client in the hour; what to tell it if it may not go on (`message`
    over the limit; "try again in a minute" while the limits cannot be checked), or None."""
    try:
        allowed = hit(scope, client_key(request), limit=per_hour, window=3600)
    except Unavailable as outage:
        return str(outage)
    return None if allowed else message


def attempt(scope: str, key: str, *, free: int, window: int, longest: int) -> bool:
    """For attempts whose failures earn a growing delay (a staff login): `free` go ahead at once, then
    each further one must come 1, 2, 4… seconds (at most `longest`) after the one before. True when
    this one may go ahead. The attempts are forgotten `window` seconds after the last one, or at
    once with `forgive` (after a success)."""
    return _ledger().attempt(_key(scope, key), free=free, window=window, longest=longest)


def forgive(scope: str, key: str) -> None:
    _ledger().forgive(_key(scope, key))
