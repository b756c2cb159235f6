"""Fixtures for the apps' tests: staff members who log in the real way."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from solidarity.core.tests.caches import empty_every_cache
from solidarity.staff.services import create_staff_member
from solidarity.staff.tests.helpers import PASSWORD, current_code


@pytest.fixture(autouse=True, scope="session")
def derived_files_go_with_the_run():
    """What the run derived and its version files (in folders of this run's own) go after it."""
    import shutil

    from django.conf import settings

    yield
    shutil.rmtree(settings.DERIVED_DIR, ignore_errors=True)
    if (
        "LOCATION" in settings.CACHES["versions"]
        and "versions-test-" in settings.CACHES["versions"]["LOCATION"]
    ):
        shutil.rmtree(settings.CACHES["versions"]["LOCATION"], ignore_errors=True)


@pytest.fixture
def client():
    """A browser that prefers English, so that assertions can read the admin's messages."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def editor(db):
    return create_staff_member(username="editor", roles=["editor"], password=PASSWORD).user


@pytest.fixture
def verified_client(client):
    """Logs a staff member in with password and a current one-time code, as a person would."""

    def login(user):
        device = TOTPDevice.objects.get(user=user)
        response = client.post(
            "/admin/login/",
            {
                "username": user.username,
                "password": PASSWORD,
                "otp_token": current_code(device),
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        return client

    return login


def cache_contents() -> dict[str, bytes]:
    """Every key and raw value in the cache, whichever backend it is (in-process or Redis)."""
    backend = cache._cache
    if hasattr(backend, "get_client"):  # Redis
        client = backend.get_client()
        keys = client.keys(f"{cache.key_prefix}*")
        return {key.decode(): client.get(key) or b"" for key in keys}
    return {key: value for key, value in backend.items()}


@pytest.fixture(autouse=True)
def english_to_begin_with():
    """Every test starts in English, as the `client` prefers it, whatever the test before left
    active (a request activates its language in the thread, and it stays after the response)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with no rate-limit counters, one-use markers, kept pages or registry version
    of the last one (both caches, "default" and "ledger"); on Redis only this run's keys are
    removed (a shared Redis may hold others')."""
    empty_every_cache()
    yield
    empty_every_cache()


@pytest.fixture
def queries_for(client):
    """How many database queries a page takes (it must answer 200): for tests that a list costs
    the same with one item as with three."""

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200, url
        return len(captured)

    return count
