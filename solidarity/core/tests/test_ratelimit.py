"""Rate limits: exact under any concurrency, on keys that cannot be matched to addresses without the
app servers' key, and on the address the client really has."""

import threading
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory

from solidarity.core import ratelimit
from solidarity.core.tests.caches import empty_every_cache, every_key_and_value


def test_a_limit_lets_its_number_through_and_does_not_count_the_refused():
    allowed = [ratelimit.hit("test:scope", "client", limit=3, window=60) for _ in range(5)]
    assert allowed == [True, True, True, False, False]
    assert caches["ledger"].get("ratelimit:test:scope:client") == 3  # the two refused were not counted
    assert ratelimit.hit("test:scope", "another-client", limit=3, window=60) is True


def test_two_hundred_concurrent_hits_against_a_limit_of_thirty_let_exactly_thirty_through():
    start = threading.Barrier(200)
    allowed: list[bool] = []

    def one():
        start.wait()
        allowed.append(ratelimit.hit("test:crowd", "client", limit=30, window=60))

    threads = [threading.Thread(target=one) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 30
    assert caches["ledger"].get("ratelimit:test:crowd:client") == 30


def test_after_the_free_attempts_each_waits_one_then_two_seconds_and_forgiving_ends_the_wait():
    def attempt():
        return ratelimit.attempt("test:login", "account", free=2, window=60, longest=60)

    assert [attempt(), attempt(), attempt()] == [True, True, False]
    time.sleep(1.1)
    assert [attempt(), attempt()] == [True, False]  # the next wait is two seconds
    time.sleep(1.1)
    assert attempt() is False
    ratelimit.forgive("test:login", "account")
    assert [attempt(), attempt(), attempt()] == [True, True, False]


def test_attempts_at_once_get_no_more_than_the_free_ones_and_one_more_after_the_wait():
    start = threading.Barrier(50)
    allowed: list[bool] = []

    def one():
        start.wait()
        allowed.append(ratelimit.attempt("test:login", "crowded", free=5, window=60, longest=60))

    threads = [threading.Thread(target=one) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 5


def client(address: str, forwarded: str | None = None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=address, **extra)


def test_the_secret_of_client_keys_is_kept_nowhere_and_every_app_server_derives_the_same(settings):
    key = ratelimit.client_key(client("198.51.100.7"))
    ratelimit.hit("test:somewhere", key, limit=5, window=60)
    stored = every_key_and_value()
    assert not any("salt" in name or "secret" in name for name in stored)
    assert [name.split(":", 2)[2] for name in stored if "ratelimit" in name] == [
        f"ratelimit:test:somewhere:{key}"
    ]
    # Another app server, or the same after the caches lost everything: the same client, the same key.
    empty_every_cache()
    assert ratelimit.client_key(client("198.51.100.7")) == key
    assert ratelimit.client_key(client("198.51.100.8")) != key
    settings.SECRET_KEY = "another-installation-whose-key-differs-" + "x" * 30
    assert ratelimit.client_key(client("198.51.100.7")) != key


def test_tomorrow_a_client_has_another_key(settings):
    import time_machine

    with time_machine.travel("2026-11-21 23:59:00+00:00"):
        today = ratelimit.client_key(client("198.51.100.7"))
    with time_machine.travel("2026-11-22 00:00:01+00:00"):
        tomorrow = ratelimit.client_key(client("198.51.100.7"))
    assert today != tomorrow


def test_forwarded_for_counts_only_on_a_connection_from_a_trusted_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1", "10.0.0.0/8"]
    # A client connecting directly cannot choose its key by what it claims to be forwarded for.
    direct = [
        ratelimit.client_key(client("198.51.100.9", claimed)) for claimed in ("1.1.1.1", "2.2.2.2", None)
    ]
    assert len(set(direct)) == 1
    assert not ratelimit.told_apart(client("198.51.100.9", "1.1.1.1"))
    via_proxy = ratelimit.client_key(client("10.1.2.3", "203.0.113.5"))
    assert via_proxy == ratelimit.client_key(client("127.0.0.1", "6.6.6.6, 203.0.113.5"))
    assert via_proxy != ratelimit.client_key(client("10.1.2.3", "203.0.113.6"))
    assert ratelimit.told_apart(client("10.1.2.3", "203.0.113.5"))
    # Proxies in a chain are skipped: the client is the last address that is not one of ours.
    assert ratelimit.client_key(client("127.0.0.1", "203.0.113.5, 10.9.9.9")) == via_proxy


def test_without_behind_proxy_forwarded_for_is_never_read(settings):
    settings.BEHIND_PROXY = False
    one = ratelimit.client_key(client("127.0.0.1", "203.0.113.5"))
    assert one == ratelimit.client_key(client("127.0.0.1", "203.0.113.6"))
    assert not ratelimit.told_apart(client("127.0.0.1", "203.0.113.5"))


@pytest.mark.django_db(transaction=True)
def test_a_limit_is_exact_for_concurrent_befriends_over_http(settings):
    """The whole road: 24 browsers with solved challenges, from one client, against a limit of 10."""
    from django.test import Client

    from solidarity.catalogue.tests.helpers import prisoner
    from solidarity.friends.models import Friendship
    from solidarity.friends.tests.helpers import solved

    settings.FRIENDS_LIMIT_PER_HOUR = 10
    person = prisoner()
    browsers = [Client(HTTP_ACCEPT_LANGUAGE="en") for _ in range(24)]
    posts = [solved(b.get(f"/en/people/{person.pk}/befriend/").content.decode()) for b in browsers]
    start = threading.Barrier(len(browsers))
    errors: list[Exception] = []

    def befriend(browser, fields):
        try:
            start.wait()
            browser.post(f"/en/people/{person.pk}/befriend/", fields)
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=befriend, args=pair) for pair in zip(browsers, posts, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Friendship.objects.filter(person=person).count() == 10
