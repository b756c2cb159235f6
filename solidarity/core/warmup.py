"""Before a worker serves its first visitor: what the apps registered (`plugins.warm_ups`) is made
or loaded (the search index, the statistics' facts) and their pages are rendered once in every
language, so that the first request after a start is as fast as the hundredth.

The pages are asked for inside the process (Django's test client: no socket, no address, nothing
logged); what they render is kept by the page cache like any visit's."""

import logging
import time

from django.conf import settings
from django.test import Client
from django.utils import translation

from . import plugins

logger = logging.getLogger(__name__)


def make_derived() -> None:
    """Makes (or loads) the current version of every derived value the apps registered."""
    for warm in plugins.warm_ups:
        for value in warm.derived:
            value.refresh()


def warm_up() -> list[str]:
    """Makes and renders what the apps registered; returns the paths it rendered."""
    started = time.perf_counter()
    make_derived()
    host = next((host for host in settings.ALLOWED_HOSTS if host and "*" not in host), "localhost")
    client = Client(HTTP_HOST=host.lstrip("."), raise_request_exception=False)
    rendered = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            paths = [path for warm in plugins.warm_ups for path in warm.pages()]
        for path in paths:
            response = client.get(path, secure=settings.SECURE_SSL_REDIRECT)
            if response.status_code != 200:
                logger.warning("Warming up %s answered %s.", path, response.status_code)
            rendered.append(path)
    logger.info("Warmed up in %.1f s (%d pages).", time.perf_counter() - started, len(rendered))
    return rendered
