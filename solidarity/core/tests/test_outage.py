"""Redis away: pages that only show keep serving, made afresh without the cache; forms that need a
limit or a one-use marker say "try again in a minute"; nothing answers 500; sessions (cookies)
are not lost; derived data is not believed fresh after; the outage is logged once, naming nobody.

A Redis of the tests' own is started on a free port and stopped in the middle of a test."""

import logging
import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.core.cache import cache, caches
from django.test import Client

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.core import cache as our_cache
from solidarity.core import ratelimit
from solidarity.core.versions import CacheVersion
from solidarity.friends import services as friends
from solidarity.friends.tests.helpers import codename_in, solved
from solidarity.staff.services import create_staff_member
from solidarity.staff.tests.helpers import PASSWORD, current_code

TRY_AGAIN = "Please try again in a minute."


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    def __init__(self, directory):
        self.port, self.directory, self.process = free_port(), directory, None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server"),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("The tests' Redis did not start.")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        pytest.skip("Outage tests need redis-server (apt-get install redis-server).")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def caches_at(port: int) -> dict:
    """The production settings' caches, on the Redis at this port."""
    return {
        alias: {
            "BACKEND": backend,
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        for alias, backend in (
            ("default", "solidarity.core.cache.RedisCache"),
            ("ledger", "solidarity.core.cache.RedisLedger"),
            ("pages", "solidarity.core.cache.RedisCache"),
            ("fragments", "solidarity.core.cache.RedisCache"),
            ("versions", "solidarity.core.cache.RedisCache"),
        )
    }


@pytest.fixture
def on_redis(settings, redis_server, monkeypatch):
    monkeypatch.setattr(our_cache, "RETRY_AFTER", 0.0)  # so that a test need not wait for Redis's return
    settings.CACHES = caches_at(redis_server.port)
    return redis_server


@pytest.mark.django_db
def test_pages_that_only_show_keep_serving_while_redis_is_down_and_a_friend_stays_signed_in(on_redis):
    person = prisoner(first_name_en="Ihar", last_name_en="Losik")
    pages = [
        "/en/",
        "/en/people/",
        f"/en/people/{person.pk}/",
        "/en/search/?q=Losik",
        "/en/statistics/",
        "/api/v1/stats/daily",
        "/api/v1/people",
        f"/en/people/{person.pk}/write/",
    ]
    friend = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = friend.get(f"/en/people/{person.pk}/befriend/").content.decode()
    assert codename_in(friend.post(f"/en/people/{person.pk}/befriend/", solved(page)).content.decode())
    visitor = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert [visitor.get(page).status_code for page in pages] == [200] * len(pages)
    on_redis.stop()
    assert [visitor.get(page).status_code for page in pages] == [200] * len(pages)
    assert "Losik" in visitor.get("/en/search/?q=Losik").content.decode()
    assert "Ihar Losik" in friend.get("/en/friends/me/").content.decode()


@pytest.mark.django_db
def test_forms_that_need_a_limit_or_a_marker_say_try_again_in_a_minute_while_redis_is_down(on_redis):
    from solidarity.letters.models import Letter
    from solidarity.letters.services import load_rules

    load_rules(country="BY", actor_label="tests")
    person = prisoner()
    create_staff_member(username="anna", roles=["editor"], password=PASSWORD)
    _friend, codename = friends.create_friend()
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    befriend_page = browser.get(f"/en/people/{person.pk}/befriend/").content.decode()
    letter = {"kind": "letter", "language": "ru", "body": "Здравствуйте! У нас выпал снег.", "design": ""}
    hand_over_page = browser.post(
        f"/en/people/{person.pk}/write/", {**letter, "action": "hand_over"}
    ).content.decode()
    on_redis.stop()

    befriended = browser.post(f"/en/people/{person.pk}/befriend/", solved(befriend_page))
    handed = browser.post(f"/en/people/{person.pk}/write/hand-over/", {**letter, **solved(hand_over_page)})
    restored = browser.post("/en/friends/restore/", {"codename": codename}, follow=True)
    followed = browser.post("/en/letters/follow/", {"codename": codename})
    login = browser.post("/admin/login/", {"username": "anna", "password": PASSWORD, "otp_token": "000000"})
    for response in (befriended, handed, restored, followed, login):
        assert response.status_code == 200
        assert TRY_AGAIN in response.content.decode()
    assert person.friendships.count() == 0 and not Letter.objects.exists()
    assert browser.get("/en/friends/me/").status_code == 302  # nobody was signed in


@pytest.mark.django_db
def test_everything_works_again_when_redis_is_back(on_redis):
    staff = create_staff_member(username="anna", roles=["editor"], password=PASSWORD)
    on_redis.stop()
    browser = Client(HTTP_ACCEPT_LANGUAGE="en")
    fields = {"username": "anna", "password": PASSWORD}
    assert TRY_AGAIN in browser.post("/admin/login/", {**fields, "otp_token": "1"}).content.decode()
    on_redis.start()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=staff.user)
    assert browser.post("/admin/login/", {**fields, "otp_token": current_code(device)}).status_code == 302
    assert browser.get("/admin/").status_code == 200


def test_an_outage_is_logged_once_when_it_begins_and_once_when_it_ends_naming_nobody(on_redis, caplog):
    address = "203.0.113.77"
    cache.set("some", 1)
    on_redis.stop()
    with caplog.at_level(logging.WARNING, logger="solidarity.core.cache"):
        for _ in range(20):
            assert cache.get(f"page:{address}") is None
            cache.set(f"page:{address}", 1)
            with pytest.raises(ratelimit.Unavailable):
                ratelimit.hit("test:outage", address, limit=5, window=60)
        on_redis.start()
        cache.set("some", 2)
        assert cache.get("some") == 2
    messages = [record.getMessage() for record in caplog.records]
    assert messages == ["Redis cannot be reached (ConnectionError).", "Redis can be reached again."]
    assert not any(address in message for message in messages)


def test_the_cache_answers_every_operation_as_a_miss_and_the_ledger_as_unavailable(settings):
    settings.CACHES = caches_at(free_port())  # nobody listens there
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert cache.add("k", 1) is False
    assert cache.set("k", 1) is None
    assert cache.set_many({"a": 1}) == []
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    assert cache.delete_many(["a"]) is None
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")
    assert cache.clear() is False
    ledger = caches["ledger"]
    for operation in (
        lambda: ledger.add("marker", 1, timeout=60),
        lambda: ledger.hit("count", limit=1, window=60),
        lambda: ledger.attempt("attempts", free=1, window=60, longest=60),
        lambda: ledger.forgive("attempts"),
    ):
        with pytest.raises(our_cache.Unavailable):
            operation()


def test_a_version_read_or_bumped_during_an_outage_is_never_believed_fresh_after(
    settings, redis_server, monkeypatch
):
    monkeypatch.setattr(our_cache, "RETRY_AFTER", 0.0)
    version = CacheVersion("test:version")
    settings.CACHES = caches_at(redis_server.port)
    before = version.current()
    assert version.current() == before
    settings.CACHES = caches_at(free_port())  # this process loses Redis; Redis keeps its data
    version.bump()  # the data changed, and nobody could be told
    during = {version.current(), version.current()}
    assert before not in during and len(during) == 2  # nothing derived is kept meanwhile
    settings.CACHES = caches_at(redis_server.port)  # back: Redis still says `before`
    after = version.current()
    assert after != before
    assert version.current() == after
    # Another process that only read during the outage also starts anew when it can.
    other = CacheVersion("test:version")
    settings.CACHES = caches_at(free_port())
    other.current()
    settings.CACHES = caches_at(redis_server.port)
    assert other.current() not in (before, after)
