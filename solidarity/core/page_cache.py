"""Whole public pages kept in the cache, so that a page the registry has not changed since is
served without touching the database or the templates.

A page is kept under a hash of its path and query, the language, the day, and the version of
every kind of data pages show (`plugins.page_versions`: the registry's, the letters', ...), so an
edit or an import shows at once and nothing is stale beyond its data. Friend counts move with
every befriend without a version: a kept page lives at most `settings.PAGE_CACHE_SECONDS`, and the
pages that show counts say so. Only visitors with no cookie of ours are served or stored: a
session, a codename or a form's token means the page is made afresh, and a response that sets a
cookie is never kept. The keys hold nothing about the client.
"""

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from . import derived, plugins


def _versions() -> str:
    return ".".join(version.current() for version in plugins.page_versions)


def page_key(request: HttpRequest) -> str:
    """Where a page is kept: what it shows, never who asked."""
    what = "\n".join(
        [
            # The host too: feeds and printouts give whole addresses, and an onion mirror's
            # visitors must never be sent links to the open web's host.
            request.get_host(),
            request.get_full_path(),
            get_language() or "",
            timezone.localdate().isoformat(),
            _versions(),
        ]
    )
    return "page:" + hashlib.sha256(what.encode()).hexdigest()


def kept_fragment(name: str, make: Callable[[], Any], seconds: int) -> Any:
    """What `make()` returns, kept in the "fragments" cache under `name` and everything a page's
    key holds besides its address (the language, the day, the versions of the data pages show):
    the part of a page that a miss of the page cache (another query string, a visitor with a
    cookie) need not make again. `name` must say whatever else the value depends on."""
    what = "\n".join([name, get_language() or "", timezone.localdate().isoformat(), _versions()])
    key = "fragment:" + hashlib.sha256(what.encode()).hexdigest()
    value = caches["fragments"].get(key)
    if value is None:
        value = make()
        caches["fragments"].set(key, value, seconds)
    return value


def cacheable_request(request: HttpRequest) -> bool:
    return request.method in ("GET", "HEAD") and not request.COOKIES


def cached_page(view):
    """Keeps the view's successful responses for visitors without cookies (see the module)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not cacheable_request(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        kept = caches["pages"].get(key)
        if kept is not None:
            return kept
        derived.begin_request()
        response = view(request, *args, **kwargs)
        if derived.served_stale():  # shown from an index or facts a moment older than the data
            return response
        if response.status_code == 200 and not response.streaming and not response.cookies:
            # The response as the view made it, with what its decorators asked of the middleware
            # (its own Content-Security-Policy, framing): the middleware adds the rest each time.
            caches["pages"].set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    return wrapped
