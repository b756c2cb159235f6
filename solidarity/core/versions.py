"""A number in the shared cache that changes whenever some data does, so that what is derived from
the data (a search index, statistics, compiled rules) can tell in one cache read whether it is
stale, in every process."""

import secrets

from django.core.cache import cache


class CacheVersion:
    def __init__(self, key: str):
        self.key = key

    def current(self) -> str:
        version = cache.get(self.key)
        if version is None:
            # A cache that lost its value (restart, eviction) gets a fresh one: stale is never assumed fresh.
            cache.add(self.key, secrets.token_hex(8), timeout=None)
            version = cache.get(self.key)
        return version

    def bump(self, **_signal_kwargs) -> None:
        cache.set(self.key, secrets.token_hex(8), timeout=None)
