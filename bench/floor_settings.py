"""The floor of `make bench-load`: the project's own settings and middleware, only the URLs differ
(`bench.floor_urls`), so that the floor costs what Django and our middleware cost per request."""

from solidarity.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"

# The floor's responses are never kept, so it need not look for kept pages either: it pays what
# every other middleware costs.
MIDDLEWARE = [name for name in MIDDLEWARE if name != "solidarity.core.page_cache.serves_kept_pages"]  # noqa: F405
