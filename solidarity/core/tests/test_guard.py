"""The bot guard: it spends a solution and the client's limit only on a post that goes ahead, and a
solution counts once, however it is written and however many other keys come after it."""

import base64
import json
import re

import pytest
from altcha import v1 as altcha
from django import forms
from django.core.cache import cache, caches
from django.test import RequestFactory
from django.utils import translation

from solidarity.core import guard


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


def solution() -> dict:
    """A challenge of ours, solved, as the fields a browser's script sends."""
    challenge = guard.new_challenge()
    solved = altcha.solve_challenge(
        challenge["challenge"], challenge["salt"], challenge["algorithm"], challenge["maxnumber"]
    )
    return {
        **{key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")},
        "number": solved.number,
    }


def encoded(fields: dict, **dumps) -> str:
    return base64.b64encode(json.dumps(fields, **dumps).encode()).decode()


def test_a_solution_counts_once_however_it_is_written_again(request_from_a_client):
    fields = solution()
    writings = [
        encoded(fields),
        encoded(fields, indent=2),
        encoded({**fields, "extra": "key"}),
        encoded({**fields, "number": str(fields["number"])}),
        base64.b64encode((json.dumps(fields) + "\n").encode()).decode(),
        "*" + encoded(fields),  # a character that is not base64, which decoding skips
        encoded({**fields, "salt": fields["salt"].rstrip("&")}),  # altcha adds the "&" back
    ]
    accepted = [
        Letter({"altcha": payload, "body": "hello"}, request=request_from_a_client).is_valid()
        for payload in writings
    ]
    assert accepted == [True] + [False] * (len(writings) - 1)


def test_a_used_solution_stays_used_after_ten_thousand_other_keys(request_from_a_client):
    payload = encoded(solution())
    assert Letter({"altcha": payload, "body": "hello"}, request=request_from_a_client).is_valid()
    for n in range(10_000):
        cache.set(f"flood:{n}", n)
        caches["ledger"].add(f"guard:used:flood-{n}", 1, timeout=600)
    assert not Letter({"altcha": payload, "body": "hello"}, request=request_from_a_client).is_valid()


def test_a_solution_with_fields_of_the_wrong_kind_is_refused_not_an_error(request_from_a_client):
    fields = solution()
    for wrong in ({**fields, "salt": 12}, {**fields, "signature": None}, [fields]):
        form = Letter({"altcha": encoded(wrong), "body": "hello"}, request=request_from_a_client)
        assert not form.is_valid()
