"""What tests need of every cache ("default", "ledger", "pages", "fragments"), in the process or on
Redis: everything they hold, and emptying them (`solidarity/conftest.py` does so around every test)."""

from django.core.cache import caches

ALIASES = ("default", "ledger", "pages")


def _redis(backend):
    return backend._cache.get_client() if hasattr(backend._cache, "get_client") else None


def every_key_and_value() -> dict[str, bytes]:
    """Every key and raw value in every cache."""
    found = {}
    for alias in ALIASES:
        backend = caches[alias]
        redis = _redis(backend)
        if redis:
            found |= {key.decode(): redis.get(key) or b"" for key in redis.keys(f"{backend.key_prefix}*")}
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
