import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from solidarity.conftest import cache_contents

from .helpers import PASSWORD, current_code


@pytest.mark.django_db
def test_a_password_alone_opens_no_admin_page(client, editor):
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_a_session_logged_in_without_otp_is_refused(client, editor):
    client.force_login(editor)  # authenticated, but never verified with a one-time code
    response = client.get("/admin/registry/person/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_password_and_current_code_open_the_back_office(verified_client, editor):
    client = verified_client(editor)
    response = client.get("/admin/registry/person/")
    assert response.status_code == 200
    assert client.session.get_expire_at_browser_close() is True


@pytest.mark.django_db
def test_a_wrong_code_is_refused(client, editor):
    device = TOTPDevice.objects.get(user=editor)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD, "otp_token": wrong},
    )
    assert response.status_code == 200
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_for_a_while_even_with_the_right_code(client, settings, editor):
    device = TOTPDevice.objects.get(user=editor)
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        client.post(
            "/admin/login/", {"username": "editor", "password": "wrong password", "otp_token": "000000"}
        )
    response = client.post(
        "/admin/login/",
        {
            "username": "editor",
            "password": PASSWORD,
            "otp_token": current_code(device),
        },
    )
    assert "Too many failed attempts" in response.content.decode()
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_the_client_limit_counts_failures_across_accounts_without_keeping_the_address(
    client, settings, editor
):
    settings.LOGIN_FAILURES_PER_CLIENT = 3
    address = "198.51.100.23"
    for name in ("a", "b", "c"):
        client.post(
            "/admin/login/", {"username": name, "password": "x", "otp_token": "1"}, REMOTE_ADDR=address
        )
    response = client.post("/admin/login/", {"username": "editor", "password": PASSWORD}, REMOTE_ADDR=address)
    assert "Too many failed attempts" in response.content.decode()
    # Another client is not affected.
    other = client.post("/admin/login/", {"username": "editor", "password": "x"}, REMOTE_ADDR="192.0.2.1")
    assert "Too many failed attempts" not in other.content.decode()
    # The address is nowhere in the cache's keys or values, only its day-salted hash.
    contents = cache_contents()
    assert any("ratelimit:login:client:" in key for key in contents)
    assert not any(address in key or address.encode() in value for key, value in contents.items())


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2_in_production_settings():
    from solidarity import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_a_recovery_code_opens_the_back_office_once(client):
    from solidarity.staff.services import create_staff_member

    enrolment = create_staff_member(username="lost-phone", roles=["editor"], password=PASSWORD)
    code = enrolment.recovery_codes[0]
    form = {"username": "lost-phone", "password": PASSWORD, "otp_token": code}
    assert client.post("/admin/login/", form).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert client.post("/admin/login/", form).status_code == 200  # used up


def test_behind_the_proxy_clients_are_told_apart_by_the_address_the_proxy_appended(rf, settings):
    from solidarity.core.ratelimit import client_key

    settings.BEHIND_PROXY = True
    one = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    same = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    other = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert client_key(one) == client_key(same) != client_key(other)
    assert "203.0.113.5" not in client_key(one)
    settings.BEHIND_PROXY = False
    assert client_key(one) == client_key(other)  # without a proxy, the connection's address counts
