"""What tests need of every cache ("default", "ledger", "pages", "fragments", "versions"), in the
process, in files or on Redis: everything they hold, and emptying them (`solidarity/conftest.py`
does so around every test)."""

from pathlib import Path

from django.core.cache import caches

ALIASES = ("default", "ledger", "pages", "fragments", "versions")


def _redis(backend):
    client = getattr(backend, "_cache", None)
    return client.get_client() if hasattr(client, "get_client") else None


def every_key_and_value() -> dict[str, bytes]:
    """Every key and raw value in every cache."""
    found = {}
    for alias in ALIASES:
        backend = caches[alias]
        redis = _redis(backend)
        if redis:
            found |= {key.decode(): redis.get(key) or b"" for key in redis.keys(f"{backend.key_prefix}*")}
        elif hasattr(backend, "_dir"):  # files: their names are hashes, their contents what counts
            found |= {path.name: path.read_bytes() for path in Path(backend._dir).glob("*.djcache")}
        else:
            found |= dict(backend._cache.items())
    return found


def empty_every_cache() -> None:
    for alias in ALIASES:
        backend = caches[alias]
        redis = _redis(backend)
        if redis:
            keys = redis.keys(f"{backend.key_prefix}*")
            if keys:
                redis.delete(*keys)
        else:
            backend.clear()
