import time

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from solidarity.core.tests.caches import every_key_and_value

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
def test_the_correct_code_typed_right_after_a_wrong_one_opens_the_back_office(client, editor):
    device = TOTPDevice.objects.get(user=editor)
    right = current_code(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert "code is wrong" in post_login(client, "editor", PASSWORD, wrong).content.decode()
    assert post_login(client, "editor", PASSWORD, right).status_code == 302
    assert client.get("/admin/").status_code == 200


def post_login(client, username, password, code, **extra):
    return client.post(
        "/admin/login/", {"username": username, "password": password, "otp_token": code}, **extra
    )


@pytest.mark.django_db
def test_failures_on_an_account_delay_it_and_a_correct_login_when_its_turn_comes_works(
    client, settings, editor
):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 3
    device = TOTPDevice.objects.get(user=editor)
    for _ in range(3):
        assert (
            "correct username and password"
            in post_login(client, "editor", "wrong", "000000").content.decode()
        )
    too_soon = post_login(client, "Editor", PASSWORD, current_code(device))  # however the name is typed
    assert "Too many failed attempts on this account. Wait a little" in too_soon.content.decode()
    assert client.get("/admin/").status_code == 302
    time.sleep(1.1)
    assert "correct username and password" in post_login(client, "editor", "wrong", "000000").content.decode()
    time.sleep(1.1)
    assert "Wait a little" in post_login(client, "editor", PASSWORD, current_code(device)).content.decode()
    time.sleep(1.1)  # the wait after the fourth failure is two seconds
    assert post_login(client, "editor", PASSWORD, current_code(device)).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    # The success forgot the failures: the free attempts are back.
    for _ in range(3):
        assert (
            "correct username and password"
            in post_login(client, "editor", "wrong", "000000").content.decode()
        )


@pytest.mark.django_db
def test_failures_from_clients_not_told_apart_never_lock_out_other_staff(client, editor):
    """Without our proxy's address every visitor comes from the same one (the proxy's, here 127.0.0.1):
    a client limit there would let one guesser lock out all staff."""
    device = TOTPDevice.objects.get(user=editor)
    for n in range(25):  # more than LOGIN_ATTEMPTS_PER_CLIENT
        post_login(client, f"guessed-{n}", "wrong", "000000")
    assert post_login(Client(), "editor", PASSWORD, current_code(device)).status_code == 302


@pytest.mark.django_db
def test_behind_the_proxy_attempts_from_one_client_are_limited_across_accounts_without_keeping_the_address(
    client, settings, editor
):
    settings.BEHIND_PROXY = True
    settings.LOGIN_ATTEMPTS_PER_CLIENT = 3
    address = "198.51.100.23"
    for name in ("a", "b", "c"):
        post_login(client, name, "x", "1", HTTP_X_FORWARDED_FOR=address)
    device = TOTPDevice.objects.get(user=editor)
    refused = post_login(client, "editor", PASSWORD, current_code(device), HTTP_X_FORWARDED_FOR=address)
    assert "Too many attempts from here. Wait a quarter of an hour" in refused.content.decode()
    # Another client is not affected.
    other = post_login(Client(), "editor", PASSWORD, current_code(device), HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert other.status_code == 302
    # The address is nowhere in the caches' keys or values, only its day-salted hash.
    contents = every_key_and_value()
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
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    one = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")
    same = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    other = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert client_key(one) == client_key(same) != client_key(other)
    assert "203.0.113.5" not in client_key(one)
    settings.BEHIND_PROXY = False
    assert client_key(one) == client_key(other)  # without a proxy, the connection's address counts
