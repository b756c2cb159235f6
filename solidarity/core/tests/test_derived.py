"""What is slow to derive is made once, shared through a file, and served from the previous version
while a newer one is made; a page rendered from an older version is not kept."""

import pickle
import threading
import time

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import RequestFactory

from solidarity.core import derived
from solidarity.core.derived import Derived
from solidarity.core.page_cache import cached_page, page_key, serves_kept_pages


class Data:
    """A version of some data, and a counter of how many times it was derived."""

    def __init__(self):
        self.version = "v1"
        self.made = 0
        self.gate: threading.Event | None = None  # a making waits here until the test opens it

    def make(self) -> dict:
        self.made += 1
        if self.gate:
            self.gate.wait(timeout=5)
        return {"made from": self.version, "words": list(range(1000))}


@pytest.fixture
def data(settings, tmp_path):
    settings.DERIVED_DIR = tmp_path
    return Data()


def derived_from(data: Data) -> Derived:
    """What one process holds: two calls are two processes of one machine."""
    return Derived("thing", build=data.make, version=lambda: data.version)


def test_a_version_is_made_by_one_process_and_loaded_by_the_others(data, tmp_path):
    first, second = derived_from(data), derived_from(data)
    assert first.current()["made from"] == "v1"
    assert second.current()["made from"] == "v1"
    assert data.made == 1
    data.version = "v2"
    assert second.current()["made from"] == "v2" and first.current()["made from"] == "v2"
    assert data.made == 2
    assert list(tmp_path.glob("thing-*.pickle")) == [first._path("v2")]  # v1's is gone


def test_threads_that_ask_at_once_wait_for_one_making(data):
    data.gate = threading.Event()
    thing = derived_from(data)
    results = []
    threads = [threading.Thread(target=lambda: results.append(thing.current())) for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.2)  # every thread has asked by now; none can have its answer before the gate opens
    assert results == []
    data.gate.set()
    for thread in threads:
        thread.join()
    assert data.made == 1 and len(results) == 8


def test_an_unreadable_file_is_made_again(data, tmp_path):
    thing = derived_from(data)
    thing._path("v1").write_bytes(b"not a pickle")
    assert thing.current()["made from"] == "v1"
    assert data.made == 1


def test_a_file_another_release_made_for_the_same_data_is_not_read(data, tmp_path):
    thing = derived_from(data)
    thing.current()
    [kept] = tmp_path.glob("thing-*.pickle")
    before = tmp_path / kept.name.replace(thing._code, "0" * len(thing._code))
    before.write_bytes(pickle.dumps({"made from": "the release before", "words": {1, 2}}))
    kept.unlink()
    assert derived_from(data).current()["made from"] == "v1"  # made by this code, not read
    assert data.made == 2


def test_the_previous_version_is_served_while_a_newer_one_is_made_and_such_a_page_is_not_kept(data, settings):
    settings.DERIVED_IN_BACKGROUND = True
    thing = derived_from(data)
    thing.current()
    data.version, data.gate = "v2", threading.Event()

    @cached_page
    def made(request):
        return HttpResponse(thing.current()["made from"])

    view = serves_kept_pages(made)  # as the middleware serves the page

    request = RequestFactory().get("/en/thing/")
    # Served while the making is held at its gate: the page did not wait for it.
    assert view(request).content == b"v1"
    assert not data.gate.is_set()
    assert derived.served_stale()
    assert caches["pages"].get(page_key(request)) is None
    data.gate.set()
    deadline = time.monotonic() + 5
    while thing.current()["made from"] != "v2" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert data.made == 2
    assert view(request).content == b"v2" and not derived.served_stale()
    assert caches["pages"].get(page_key(request)).content == b"v2"


def test_what_was_made_is_out_of_the_collectors_sight(settings, tmp_path):
    """Otherwise each full collection walks every object of the index and facts: a second's stall."""
    import gc

    settings.DERIVED_DIR = tmp_path
    gc.unfreeze()
    thing = Derived("lists", build=lambda: [[number] for number in range(5000)], version=lambda: "v1")
    try:
        thing.current()
        assert gc.get_freeze_count() >= 5000
    finally:
        gc.unfreeze()
