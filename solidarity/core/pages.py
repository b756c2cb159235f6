"""The two kinds of public page, as decorators every app uses: a page that only shows (cacheable
by anyone, kept whole in our cache, no cookie) and a page with a form of ours (private, never
cached, its referrer kept to this site so that CSRF accepts its posts)."""

from functools import wraps

from django.views.decorators.cache import cache_control, never_cache
from ninja import Schema
from ninja.decorators import decorate_view

from .middleware import allows_own_referrer
from .page_cache import cached_page


def public_page(view):
    """A page that only shows: cacheable by any proxy for five minutes, and kept whole in our own
    cache for visitors without cookies (`core.page_cache`)."""
    return cache_control(public=True, max_age=300)(cached_page(view))


public_api = decorate_view(public_page)  # the same, for an operation of the open-data API


def form_page(view):
    return never_cache(allows_own_referrer(view))


def for_every_origin(view):
    """An embed that partner pages on any host may show (an image, a frame): every other response
    may only be loaded by our own pages (`Cross-Origin-Resource-Policy: same-origin`)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    return wrapped


class Problem(Schema):
    """What the open-data API answers with a 4xx: why, in words (a list, for invalid parameters)."""

    detail: str | list
