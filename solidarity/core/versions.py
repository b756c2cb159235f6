"""A number in the shared cache that changes whenever some data does, so that what is derived from
the data (a search index, statistics, compiled rules) can tell in one cache read whether it is
stale, in every process.

The numbers live in their own cache, `versions`: Redis at scale; on the embedded default, files
in `VAR_DIR/versions`, so that the background worker's imports are seen at once by the web
server, a separate process on the same machine (an in-process cache would keep each process's
number to itself).

Stale is never believed fresh: a cache that lost the number (restart, eviction) gets a new one;
while the cache cannot be reached every read is a new number, so everything is made afresh; and
a process that could not read or write the number starts a new one as soon as it can again, since
it cannot know what changed meanwhile (its own change may be among it)."""

import secrets

from django.core.cache import caches
from django.db import transaction

EVERY: list["CacheVersion"] = []  # each version made, so that a restore can change them all


class CacheVersion:
    def __init__(self, key: str):
        self.key = key
        self._doubtful = False  # this process missed the cache since it last read the number
        EVERY.append(self)

    def current(self) -> str:
        version = caches["versions"].get(self.key)
        if version is None:
            caches["versions"].add(self.key, secrets.token_hex(8), timeout=None)
            version = caches["versions"].get(self.key)
        if version is None:  # the cache cannot be reached
            self._doubtful = True
            return secrets.token_hex(8)
        if self._doubtful:
            self._doubtful = False
            return self._new()
        return version

    def bump(self, **_signal_kwargs) -> None:
        """A new number now, and, inside a transaction, once more when it commits: what another
        process derived meanwhile from the data as it was before the commit is never taken for
        the committed data's (one number more per transaction, however many changes it holds)."""
        self._new()
        connection = transaction.get_connection()
        if connection.in_atomic_block and not any(
            callback == self._after_commit for _savepoints, callback, *_rest in connection.run_on_commit
        ):
            transaction.on_commit(self._after_commit)

    def _after_commit(self) -> None:
        self._new()

    def _new(self) -> str:
        version = secrets.token_hex(8)
        caches["versions"].set(self.key, version, timeout=None)
        if caches["versions"].get(self.key) is None:  # not written: the cache cannot be reached
            self._doubtful = True
        return version


def bump_every() -> None:
    """Every data's version changes: after the data was replaced whole (a restore), nothing derived
    from what was there before is believed."""
    for version in EVERY:
        version.bump()
