"""Whole public pages kept in the cache, so that a page the registry has not changed since is
served without touching the database or the templates.

A page is kept under a hash of its path and query, the language, the day, and the version of
every kind of data pages show (`plugins.page_versions`: the registry's, the letters', ...), so an
edit or an import shows at once and nothing is stale beyond its data. Friend counts move with
every befriend without a version: a kept page lives at most `settings.PAGE_CACHE_SECONDS`, and the
pages that show counts say so. Only visitors with no cookie of ours are served or stored: a
session, a codename or a form's token means the page is made afresh, and a response that sets a
cookie is never kept. The keys hold nothing about the client.

Views mark what may be kept (`cached_page`); the middleware `serves_kept_pages` keeps it and
answers from it before the rest of the middleware. Parts of pages that a miss need not make again
are kept by `kept_fragment`.
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
from .middleware import visitor_language


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
            # The language the page will be in, as `VisitorLocaleMiddleware` below will choose it.
            visitor_language(request, check_path=True),
            timezone.localdate().isoformat(),
            _versions(),
        ]
    )
    return "page:" + hashlib.sha256(what.encode()).hexdigest()


# A fragment's key changes with every version it depends on; the lifetime only lets the day's
# unused ones go.
FRAGMENT_SECONDS = 24 * 3600


def kept_fragment(name: str, make: Callable[[], Any], seconds: int = FRAGMENT_SECONDS) -> Any:
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
    """Marks the view's responses as a public page that `serves_kept_pages` may keep."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.keep_as_page = True
        return response

    return wrapped


def _keepable(response: HttpResponse) -> bool:
    return (
        getattr(response, "keep_as_page", False)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies  # nothing of a visitor's own, whatever the page
        and not derived.served_stale()  # shown from an index or facts a moment older than the data
    )


def serves_kept_pages(get_response: Callable[[HttpRequest], HttpResponse]):
    """Answers a visitor without cookies from the kept page, before the middleware below it (the
    session, the language, CSRF, the accounts, messages: none of which has anything to do for such
    a visitor) and the view; keeps the response as that middleware and a `cached_page` view made
    it, so a kept page has every header a fresh one has. The middleware above it (security,
    privacy, the API's origins) runs on each response."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not cacheable_request(request):
            return get_response(request)
        key = page_key(request)
        kept = caches["pages"].get(key)
        if kept is not None:
            return kept
        derived.begin_request()
        response = get_response(request)
        if _keepable(response):
            caches["pages"].set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    return middleware
