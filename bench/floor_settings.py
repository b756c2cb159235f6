"""The floor of `make bench-load`: the project's own settings and middleware, only the URLs differ
(`bench.floor_urls`), so that the floor costs what Django and our middleware cost per request."""

from solidarity.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
