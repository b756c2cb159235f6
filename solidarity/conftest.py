"""Fixtures for the apps' tests: staff members who log in the real way."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from solidarity.staff.services import create_staff_member
from solidarity.staff.tests.helpers import PASSWORD, current_code


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
