"""No input gives a 500: a NUL character anywhere input enters is refused in one place, before any
view or database sees it; out-of-range numbers and empty fields get a clear answer."""

import pytest

from solidarity.staff.tests.helpers import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/en/forgotten/suggest/?interests=%00",
        "/en/people/?q=a%00b",
        "/en/search/?q=%00",
        "/api/v1/stats/daily?region=%00",
        "/api/v1/people?q=%00",
        "/en/people/?%00=1",
    ],
)
def test_a_nul_in_the_address_is_refused_with_a_message(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_a_json_body_is_refused_before_the_api_reads_it(client):
    response = client.post(
        "/api/v1/letters/check", '{"text": "Привет", "country": "\\u0000B"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_a_nul_in_a_form_field_is_refused(client):
    response = client.post("/en/friends/restore/", {"codename": "one\x00two"})
    assert response.status_code == 400


def test_text_without_nul_passes_the_guard(client):
    assert client.get("/en/people/?q=Лосік").status_code == 200
    assert (
        client.post(
            "/api/v1/letters/check", {"text": "Привет, как дела?"}, content_type="application/json"
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "query", ["offset=99999999999999999999", "offset=-1", "limit=0", "limit=100000", "status=jailed"]
)
def test_out_of_range_api_parameters_get_422(client, query):
    assert client.get(f"/api/v1/people?{query}").status_code == 422


@pytest.mark.parametrize(
    "fields", [{"username": "", "password": PASSWORD}, {"username": "anna", "password": ""}]
)
def test_a_staff_login_with_an_empty_field_is_refused_and_counted(client, settings, fields):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 1
    response = client.post("/admin/login/", {**fields, "otp_token": "123456"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    again = client.post("/admin/login/", {**fields, "otp_token": "123456"})
    assert "Too many failed attempts" in again.content.decode()
