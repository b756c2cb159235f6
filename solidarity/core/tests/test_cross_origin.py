"""Embeds and the read-only API are for pages on every host, without credentials; every other
response may be loaded only by our own pages."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_api_may_be_read_from_any_origin_without_credentials(client):
    response = client.get("/api/v1/facilities", HTTP_ORIGIN="https://partner.example")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"


def test_the_checkers_preflight_is_answered_for_any_origin(client):
    response = client.options(
        "/api/v1/letters/check",
        HTTP_ORIGIN="https://partner.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert response["Access-Control-Allow-Headers"].lower() == "content-type"


def test_embeds_may_be_shown_on_other_hosts_and_pages_may_not(client):
    assert client.get("/en/embed/daily.svg")["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert client.get("/en/embed/counter/")["Cross-Origin-Resource-Policy"] == "cross-origin"
    page = client.get("/en/statistics/")
    assert page["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "Access-Control-Allow-Origin" not in page
