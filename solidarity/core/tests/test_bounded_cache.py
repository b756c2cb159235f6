"""The in-process caches of pages and their parts hold at most their bytes, under load too."""

import threading

from solidarity.core.cache import BoundedLocalCache

KB = 1024


def bounded(name: str, max_bytes: int) -> BoundedLocalCache:
    cache = BoundedLocalCache(name, {"OPTIONS": {"MAX_BYTES": max_bytes, "MAX_ENTRIES": 10_000}})
    cache.clear()
    return cache


def pickled_size(cache: BoundedLocalCache) -> int:
    return sum(len(value) for value in cache._cache.values())


def test_it_holds_no_more_than_its_bytes_and_the_least_recently_read_go_first():
    cache = bounded("test-bytes", 100 * KB)
    for number in range(30):
        cache.set(f"page{number}", b"x" * (10 * KB))
        cache.get("page0")  # read again and again: it stays
    assert pickled_size(cache) <= 100 * KB
    assert cache.held_bytes() == pickled_size(cache)
    assert cache.get("page0") is not None and cache.get("page29") is not None
    assert cache.get("page1") is None and cache.get("page20") is None


def test_overwrites_and_deletes_are_counted():
    cache = bounded("test-counted", 100 * KB)
    cache.set("page", b"x" * (40 * KB))
    cache.set("page", b"x" * KB)  # the same key made smaller: the old bytes are no longer held
    cache.set("other", b"x" * (60 * KB))
    assert cache.get("page") is not None and cache.held_bytes() == pickled_size(cache)
    cache.delete("other")
    assert cache.held_bytes() == pickled_size(cache) < 2 * KB
    cache.clear()
    assert cache.held_bytes() == 0


def test_a_page_larger_than_the_cache_is_kept_alone():
    cache = bounded("test-large", 10 * KB)
    cache.set("small", b"x")
    cache.set("large", b"x" * (20 * KB))
    assert cache.get("large") is not None and cache.get("small") is None


def test_many_threads_at_once_leave_it_within_its_bytes_and_counted_right():
    cache = bounded("test-threads", 200 * KB)

    def visit(thread: int) -> None:
        mine = BoundedLocalCache("test-threads", {"OPTIONS": {"MAX_BYTES": 200 * KB}})  # as each thread has
        for number in range(300):
            key = f"page{(thread * 7 + number) % 90}"
            if mine.get(key) is None:
                mine.set(key, b"x" * ((number % 9 + 1) * KB))
            if number % 17 == 0:
                mine.delete(key)

    threads = [threading.Thread(target=visit, args=(thread,)) for thread in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert 0 < cache.held_bytes() == pickled_size(cache) <= 200 * KB
