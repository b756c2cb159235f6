"""The bot guard and the rate limits under it: a limit lets `limit` events through in its window
and counts no refused one; the guard spends a solution and the client's limit only on a post that
goes ahead."""

import re

import pytest
from django import forms
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import translation

from solidarity.core import guard, ratelimit


def test_a_limit_lets_its_number_through_and_does_not_count_the_refused():
    allowed = [ratelimit.hit("test:scope", "client", limit=3, window=60) for _ in range(5)]
    assert allowed == [True, True, True, False, False]
    assert cache.get("ratelimit:test:scope:client") == 3  # the two refused were given back
    assert ratelimit.hit("test:scope", "another-client", limit=3, window=60) is True


def test_asking_whether_a_limit_is_reached_counts_nothing():
    for _ in range(2):
        ratelimit.hit("test:failures", "account", limit=2, window=60)
    assert ratelimit.exceeded("test:failures", "account", limit=2) is True
    assert ratelimit.exceeded("test:failures", "other", limit=2) is False
    assert cache.get("ratelimit:test:failures:other") is None


class Letter(guard.GuardForm):
    body = forms.CharField(max_length=10)


def answered() -> dict:
    question = guard.new_question()
    a, b = map(int, re.findall(r"\d+", question["text"]))
    return {"answer": str(a + b), "question_token": question["token"]}


@pytest.fixture
def request_from_a_client():
    return RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")


def test_a_post_refused_for_its_content_spends_neither_the_answer_nor_the_limit(
    request_from_a_client, settings
):
    settings.FRIENDS_LIMIT_PER_HOUR_WITHOUT_JS = 1
    fields = answered()
    too_long = Letter({**fields, "body": "x" * 11}, request=request_from_a_client)
    assert not too_long.is_valid() and "body" in too_long.errors
    assert Letter({**fields, "body": "hello"}, request=request_from_a_client).is_valid()
    again = Letter({**answered(), "body": "hello"}, request=request_from_a_client)
    with translation.override("en"):
        assert not again.is_valid()
        assert again.non_field_errors() == ["Too many requests from here. Please try again in an hour."]


def test_an_answer_counts_once(request_from_a_client):
    fields = {**answered(), "body": "hello"}
    assert Letter(fields, request=request_from_a_client).is_valid()
    replayed = Letter(fields, request=request_from_a_client)
    with translation.override("en"):
        assert not replayed.is_valid()
        assert "not right" in replayed.non_field_errors()[0]
