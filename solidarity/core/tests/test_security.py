import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from solidarity.core.middleware import PERMISSIONS_POLICY

ROOT = Path(__file__).resolve().parents[3]

EXPECTED_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; manifest-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


@pytest.mark.django_db
def test_every_page_sends_the_exact_security_headers(client):
    response = client.get("/en/")
    assert response.status_code == 200
    directives = sorted(d.strip() for d in response["Content-Security-Policy"].split(";"))
    assert directives == sorted(d.strip() for d in EXPECTED_CSP.split(";"))
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert "Onion-Location" not in response


@pytest.mark.django_db
def test_back_office_pages_send_their_referrer_only_to_this_site(client):
    """A form on a `no-referrer` page posts with `Origin: null`, which CSRF protection refuses."""
    response = client.get("/admin/login/")
    assert response["Referrer-Policy"] == "same-origin"
    assert client.get("/en/")["Referrer-Policy"] == "no-referrer"


@pytest.mark.django_db
def test_onion_location_is_announced_when_configured(client, settings):
    settings.ONION_LOCATION = "http://exampleonionaddress.onion/"
    response = client.get("/ru/?q=1")
    assert response["Onion-Location"] == "http://exampleonionaddress.onion/ru/?q=1"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/be/", "/ru/", "/en/", "/en/no-such-page/"])
def test_pages_that_only_show_information_set_no_cookie(client, path):
    response = client.get(path)
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_the_staff_login_form_sets_only_a_cookie_that_ends_with_the_browser_session(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    csrf = response.cookies["csrftoken"]
    assert csrf["max-age"] == "" and csrf["expires"] == ""
    assert csrf["samesite"] == "Strict"
    assert csrf["httponly"] is True


@pytest.mark.django_db
def test_home_page_html_references_only_its_own_host(client):
    html = client.get("/en/").content.decode()
    for marker in ('src="http', "src='http", 'href="//', "@import", "<style", "style="):
        assert marker not in html
    assert "<script" not in html


def _check_deploy(env_overrides: dict[str, str]) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "HTTPS",
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _check_deploy(
        {
            "DJANGO_SETTINGS_MODULE": "solidarity.settings",
            "SECRET_KEY": "x7Jq2-Lk9vR4mZp0sTn8wYb3cHd6fGe1aUo5iQr7tVx9yWz2kMn4pBs6dFg8hJl0",
            "ALLOWED_HOSTS": "prisoners.example.org",
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr and "?: (security" not in result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_does_warn_when_run_with_debug_on():
    """The clean result above means something: the same check does complain about a debug setup."""
    result = _check_deploy({"DJANGO_SETTINGS_MODULE": "solidarity.settings", "DEBUG": "1"})
    assert result.returncode != 0
    assert "security.W018" in result.stderr  # DEBUG on in deployment


@pytest.mark.django_db
def test_no_visitor_address_or_user_agent_reaches_the_logs(client, caplog):
    address, agent = "203.0.113.77", "SecretBrowser/9.9"
    with caplog.at_level(logging.DEBUG):
        client.get("/en/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
        client.get("/en/missing/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
        client.get("/en/", REMOTE_ADDR=address, HTTP_USER_AGENT=agent, HTTP_HOST="evil.example")
    logged = "\n".join(record.getMessage() + repr(record.__dict__) for record in caplog.records)
    assert "Not Found" in logged or "Invalid HTTP_HOST" in logged  # something was logged
    assert address not in logged
    assert agent not in logged
