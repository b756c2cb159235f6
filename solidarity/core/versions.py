"""A number in the shared cache that changes whenever some data does, so that what is derived from
the data (a search index, statistics, compiled rules) can tell in one cache read whether it is
stale, in every process.

Stale is never believed fresh: a cache that lost the number (restart, eviction) gets a new one;
while the cache cannot be reached every read is a new number, so everything is made afresh; and
a process that could not read or write the number starts a new one as soon as it can again, since
it cannot know what changed meanwhile (its own change may be among it)."""

import secrets

from django.core.cache import cache


class CacheVersion:
    def __init__(self, key: str):
        self.key = key
        self._doubtful = False  # this process missed the cache since it last read the number

    def current(self) -> str:
        version = cache.get(self.key)
        if version is None:
            cache.add(self.key, secrets.token_hex(8), timeout=None)
            version = cache.get(self.key)
        if version is None:  # the cache cannot be reached
            self._doubtful = True
            return secrets.token_hex(8)
        if self._doubtful:
            self._doubtful = False
            return self._new()
        return version

    def bump(self, **_signal_kwargs) -> None:
        self._new()

    def _new(self) -> str:
        version = secrets.token_hex(8)
        cache.set(self.key, version, timeout=None)
        if cache.get(self.key) is None:  # not written: the cache cannot be reached
            self._doubtful = True
        return version
