"""POST /api/v1/letters/check: the checker for partner sites and bots."""

import pytest

from solidarity.letters.models import Letter

pytestmark = pytest.mark.django_db
URL = "/api/v1/letters/check"


def check(client, **payload):
    return client.post(URL, payload, content_type="application/json")


def test_the_answer_has_the_documented_shape_with_offsets(client, rules):
    text = "Привет! Видел новости с фронта 😀"
    response = check(client, text=text, country="BY")
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is False and data["language"] == "ru"
    rules_found = {f["rule"]: f for f in data["findings"]}
    assert set(rules_found) == {"war", "emoji"}
    war = rules_found["war"]
    assert text[war["start"] : war["end"]] == "фронта" == war["text"]
    assert war["message"] == "The war: letters that mention it do not arrive."
    assert check(client, text="Здравствуйте! У нас всё хорошо, идёт снег.").json() == {
        "ok": True,
        "language": "ru",
        "characters": len("Здравствуйте! У нас всё хорошо, идёт снег."),
        "max_characters": 3000,
        "summary": "Nothing found that would stop this letter.",
        "counted": "42 of 3,000 characters.",
        "findings": [],
    }
    assert not Letter.objects.exists()  # a check keeps nothing


def test_a_postcard_too_long_for_the_card_is_marked_from_where_it_runs_out(client, rules):
    text = "\n".join(f"Строка {n}: обнимаю." for n in range(1, 30))
    data = check(client, text=text, kind="postcard").json()
    assert [f["rule"] for f in data["findings"]] == ["fit"]
    assert data["findings"][0]["text"].startswith("Строка 18:")
    assert data["summary"] == "1 thing to change before the letter can go."
    assert check(client, text=text, kind="letter").json()["ok"] is True


def test_messages_come_in_the_asked_language(client, rules):
    found = check(client, text="Видел новости с фронта.", lang="ru").json()["findings"][0]
    assert found["message"] != "The war: letters that mention it do not arrive."
    by_header = client.post(
        URL, {"text": "Видел новости с фронта."}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="be"
    ).json()["findings"][0]
    assert by_header["message"] not in (found["message"], "The war: letters that mention it do not arrive.")


def test_a_browser_asking_for_a_language_the_site_lacks_reads_english(client, rules):
    german = client.post(
        URL, {"text": "Видел новости с фронта."}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="de"
    ).json()["findings"][0]
    assert german["message"] == "The war: letters that mention it do not arrive."


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"text": 5},
        {"text": "x" * 20_001},
        {"text": "ok", "kind": "parcel"},
        {"text": "ok", "country": "BYE"},
    ],
)
def test_bad_requests_are_refused_with_a_reason(client, rules, payload):
    response = check(client, **payload)
    assert response.status_code == 422
    assert response.json()["detail"]


def test_an_unknown_country_has_only_the_rules_of_writing_itself(client, rules):
    data = check(client, text="Видел новости с фронта 😀", country="XX").json()
    assert [f["rule"] for f in data["findings"]] == ["emoji"]


def test_checks_are_limited_per_client(client, rules, monkeypatch):
    from solidarity.letters import api

    monkeypatch.setattr(api, "CHECKS_PER_HOUR", 2)
    assert [check(client, text="Привет!").status_code for _ in range(3)] == [200, 200, 429]
