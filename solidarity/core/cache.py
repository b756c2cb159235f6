"""Our two kinds of cache, and what each does when Redis cannot be reached.

The cache (`CACHES["default"]`) holds what can be made again: pages, statistics, versions. On
Redis (`RedisCache`) an outage is a miss on every read and nothing on every write, so pages that
only show are made afresh from the database until Redis is back.

The ledger (`CACHES["ledger"]`) holds what must be counted and remembered exactly: rate limits,
growing delays and one-use markers. A key of it is never dropped to make room for others: in the
process (`LocalLedger`) only expired keys go, and Redis must keep its default `maxmemory-policy
noeviction` (an evicting policy could drop a marker or a limit). Its checks that count are atomic
(`hit`, `attempt`: one Lua script on Redis, one lock in the process). An outage is an error,
`Unavailable`, so that nothing which needs a limit or a marker goes ahead without one.

Either way an outage is logged once when it begins and once when it ends, with nothing from the
request or the keys (they hold client hashes).
"""

import logging
import os
import pickle
import threading
import time
from functools import cached_property, wraps

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from django.utils.translation import gettext_lazy as _
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# What an unreachable (or full) Redis raises; anything else is a bug and stays an error.
OUTAGE = (RedisConnectionError, RedisTimeoutError, OutOfMemoryError)
# After a failure the cache is not asked again for this long, so that pages don't each wait for a
# connection timeout while Redis is away.
RETRY_AFTER = 1.0

UNAVAILABLE = _("This cannot be checked right now. Please try again in a minute.")


class Unavailable(Exception):
    """The ledger cannot be reached: a limit or a one-use marker cannot be checked, so what needed
    it must not go ahead. Its text is what to tell the visitor."""

    def __str__(self) -> str:
        return str(UNAVAILABLE)


class _Outage:
    """Whether the Redis at one address is away (shared by every thread of the process)."""

    _all: dict[str, "_Outage"] = {}
    _lock = threading.Lock()

    def __init__(self):
        self.down_until = 0.0

    @classmethod
    def of(cls, servers) -> "_Outage":
        with cls._lock:
            return cls._all.setdefault(",".join(servers), cls())

    def paused(self) -> bool:
        return time.monotonic() < self.down_until

    def began(self, error: Exception) -> None:
        if not self.down_until:
            logger.warning("Redis cannot be reached (%s).", type(error).__name__)
        self.down_until = time.monotonic() + RETRY_AFTER

    def ended(self) -> None:
        if self.down_until:
            self.down_until = 0.0
            logger.warning("Redis can be reached again.")


def _outage_is_a_miss(fallback):
    """A read that fails answers `fallback(*args)`; a write that fails does nothing."""

    def decorate(method):
        @wraps(method)
        def wrapped(self, *args, **kwargs):
            if self.outage.paused():
                return fallback(*args)
            try:
                result = method(self, *args, **kwargs)
            except OUTAGE as error:
                self.outage.began(error)
                return fallback(*args)
            self.outage.ended()
            return result

        return wrapped

    return decorate


def _missing(key, *_args):
    raise ValueError(f"Key '{key}' not found.")


class _TolerantClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self.outage = _Outage.of(servers)

    get = _outage_is_a_miss(lambda _key, default: default)(RedisCacheClient.get)
    get_many = _outage_is_a_miss(lambda _keys: {})(RedisCacheClient.get_many)
    has_key = _outage_is_a_miss(lambda _key: False)(RedisCacheClient.has_key)
    add = _outage_is_a_miss(lambda *_args: False)(RedisCacheClient.add)
    set = _outage_is_a_miss(lambda *_args: None)(RedisCacheClient.set)
    set_many = _outage_is_a_miss(lambda *_args: None)(RedisCacheClient.set_many)
    touch = _outage_is_a_miss(lambda *_args: False)(RedisCacheClient.touch)
    delete = _outage_is_a_miss(lambda *_args: False)(RedisCacheClient.delete)
    delete_many = _outage_is_a_miss(lambda *_args: None)(RedisCacheClient.delete_many)
    incr = _outage_is_a_miss(_missing)(RedisCacheClient.incr)
    clear = _outage_is_a_miss(lambda: False)(RedisCacheClient.clear)


class RedisCache(DjangoRedisCache):
    """Django's Redis cache, where an outage is a miss (see the module)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _TolerantClient


# KEYS[1] counts events in a window that starts with the first; ARGV: the limit, the window.
HIT = """
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
if count >= tonumber(ARGV[1]) then return 0 end
if redis.call('INCR', KEYS[1]) == 1 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1
"""
# KEYS[1] counts attempts, KEYS[2] exists while the next must wait; ARGV: free, window, longest.
ATTEMPT = """
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
local count = redis.call('INCR', KEYS[1])
local wait = 0
if count >= tonumber(ARGV[1]) then
  wait = math.min(2 ^ math.min(count - tonumber(ARGV[1]), 30), tonumber(ARGV[3]))
  redis.call('SET', KEYS[2], 1, 'EX', wait)
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]) + wait)
return 1
"""


def _outage_is_an_error(method):
    @wraps(method)
    def wrapped(self, *args, **kwargs):
        try:
            result = method(self, *args, **kwargs)
        except OUTAGE as error:
            self.outage.began(error)
            raise Unavailable from error
        self.outage.ended()
        return result

    return wrapped


class _StrictClient(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self.outage = _Outage.of(servers)

    @cached_property
    def _scripts(self):
        client = self.get_client(write=True)
        return client.register_script(HIT), client.register_script(ATTEMPT)

    @_outage_is_an_error
    def hit(self, key, limit, window) -> bool:
        return bool(self._scripts[0](keys=[key], args=[limit, window]))

    @_outage_is_an_error
    def attempt(self, key, wait_key, free, window, longest) -> bool:
        return bool(self._scripts[1](keys=[key, wait_key], args=[free, window, longest]))

    get = _outage_is_an_error(RedisCacheClient.get)
    add = _outage_is_an_error(RedisCacheClient.add)
    delete_many = _outage_is_an_error(RedisCacheClient.delete_many)


class RedisLedger(DjangoRedisCache):
    """The ledger on Redis: atomic counts, and an outage is `Unavailable` (see the module)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _StrictClient

    def hit(self, key: str, *, limit: int, window: int) -> bool:
        """Counts one event in the window that started with the first, unless `limit` are counted
        already: True when this one may go ahead. A refused event is not counted."""
        return self._cache.hit(self.make_and_validate_key(key), limit, window)

    def attempt(self, key: str, *, free: int, window: int, longest: int) -> bool:
        """An attempt at something whose failures earn a growing delay: `free` attempts go ahead at
        once, then each further one must come 1, 2, 4… seconds (at most `longest`) after the one
        before. True when this one may go ahead, and it is counted; the count is forgotten `window`
        seconds after the last, or at once with `forgive`."""
        full = self.make_and_validate_key(key)
        wait = self.make_and_validate_key(f"{key}:wait")
        return self._cache.attempt(full, wait, free, window, longest)

    def forgive(self, key: str) -> None:
        self.delete_many([key, f"{key}:wait"])


class LocalLedger(LocMemCache):
    """The ledger in the process, for the embedded setup's one process (see the module): when it is
    full only expired keys go, and the next sweep waits until it holds twice as many."""

    def _cull(self):
        now = time.time()
        for key in [
            key for key, expires in self._expire_info.items() if expires is not None and expires <= now
        ]:
            self._delete(key)
        self._max_entries = max(self._max_entries, 2 * len(self._cache))

    def _count(self, key: str) -> int:
        """The live count at `key` (0 if none); call with the lock held."""
        if self._has_expired(key):
            self._delete(key)
            return 0
        return pickle.loads(self._cache[key])  # noqa: S301 (our own counts, as Django's LocMemCache reads)

    def _put(self, key: str, value: int, timeout: float | None = None) -> None:
        """Sets a count, keeping the key's expiry unless a timeout is given; with the lock held."""
        if timeout is None:
            self._cache[key] = pickle.dumps(value, self.pickle_protocol)
        else:
            self._set(key, pickle.dumps(value, self.pickle_protocol), timeout)

    def hit(self, key: str, *, limit: int, window: int) -> bool:
        """See `RedisLedger.hit`."""
        key = self.make_and_validate_key(key)
        with self._lock:
            count = self._count(key)
            if count >= limit:
                return False
            self._put(key, count + 1, window if count == 0 else None)
            return True

    def attempt(self, key: str, *, free: int, window: int, longest: int) -> bool:
        """See `RedisLedger.attempt`."""
        full = self.make_and_validate_key(key)
        wait_key = self.make_and_validate_key(f"{key}:wait")
        with self._lock:
            if self._count(wait_key):
                return False
            count = self._count(full) + 1
            wait = min(2 ** min(count - free, 30), longest) if count >= free else 0
            if wait:
                self._put(wait_key, 1, wait)
            self._put(full, count, window + wait)
            return True

    def forgive(self, key: str) -> None:
        self.delete_many([key, f"{key}:wait"])


# Bytes held by each named `BoundedLocalCache`, shared like Django's own stores by every thread's
# instance of it; changed only with the store's lock held.
_held_bytes: dict[str, list[int]] = {}


class BoundedLocalCache(LocMemCache):
    """Django's in-process cache, bounded by the bytes it holds (OPTIONS "MAX_BYTES") as well as by
    its number of entries: kept pages weigh from one to sixty kilobytes, so a crawler's thousands
    of addresses would otherwise hold a hundred megabytes in every process. The least recently
    read go first. Values are set and deleted, never incremented."""

    def __init__(self, name, params):
        super().__init__(name, params)
        self._max_bytes = int(params.get("OPTIONS", {}).get("MAX_BYTES", 32 * 2**20))
        self._held = _held_bytes.setdefault(name, [0])

    def held_bytes(self) -> int:
        return self._held[0]

    def _set(self, key, value, timeout=DEFAULT_TIMEOUT):
        self._delete(key)
        super()._set(key, value, timeout)
        self._held[0] += len(value)
        while self._held[0] > self._max_bytes and len(self._cache) > 1:
            oldest, pickled = self._cache.popitem()  # the end: the least recently read
            del self._expire_info[oldest]
            self._held[0] -= len(pickled)

    def _delete(self, key):
        pickled = self._cache.get(key)
        deleted = super()._delete(key)
        if deleted:
            self._held[0] -= len(pickled)
        return deleted

    def _cull(self):
        super()._cull()
        self._held[0] = sum(map(len, self._cache.values()))

    def clear(self):
        with self._lock:
            self._cache.clear()
            self._expire_info.clear()
            self._held[0] = 0


class VersionFiles(FileBasedCache):
    """The data's versions as files (`core.versions`, the embedded default), shared by the web
    server and the worker, read without opening a file on every request: every write of a version
    replaces a file in the folder, which moves the folder's modification time, so one `stat` says
    whether what this process read before still holds. A folder changed in the last second is
    not trusted that way (two writes within the file system's clock tick share one time) and its
    files are read each time. Versions never expire, so a remembered one cannot outlive its file."""

    SETTLED_NS = 1_000_000_000

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._read: tuple[int, dict] = (0, {})  # the folder's time, and what was read under it

    def get(self, key, default=None, version=None):
        try:
            changed = os.stat(self._dir).st_mtime_ns
        except OSError:
            return super().get(key, default, version)
        settled = time.time_ns() - changed > self.SETTLED_NS
        read_at, values = self._read
        if settled and read_at == changed and (key, version) in values:
            return values[key, version]
        value = super().get(key, default, version)
        if settled and value is not default:
            if read_at != changed:
                values = {}
                self._read = (changed, values)
            values[key, version] = value
        return value
