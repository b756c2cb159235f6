"""A number that changes whenever the registry does, so that derived data (the search index,
statistics) can tell in one cache read whether it is stale, in every process."""

import secrets

from django.core.cache import cache

KEY = "registry:version"


def current_version() -> str:
    version = cache.get(KEY)
    if version is None:
        # A cache that lost its value (restart, eviction) gets a fresh one: stale is never assumed fresh.
        cache.add(KEY, secrets.token_hex(8), timeout=None)
        version = cache.get(KEY)
    return version


def bump(**_signal_kwargs) -> None:
    cache.set(KEY, secrets.token_hex(8), timeout=None)
