"""Creating staff accounts: a strong password and an authenticator enrolment, nothing less."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import ROLES


@dataclass
class Enrolment:
    user: object
    password: str
    otpauth_url: str
    recovery_codes: list[str]


@transaction.atomic
def create_staff_member(
    *, username: str, roles: list[str], superuser: bool = False, password: str | None = None
) -> Enrolment:
    """Creates a staff account with a TOTP device and one-time recovery codes.

    Without a password, a random one is generated; either way it must pass the validators.
    """
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles: {', '.join(sorted(unknown))}")
    user_model = get_user_model()
    password = password or secrets.token_urlsafe(18)
    user = user_model(username=username, is_staff=True, is_superuser=superuser)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(6)]
    for code in codes:
        backup.token_set.create(token=code)
    return Enrolment(user=user, password=password, otpauth_url=device.config_url, recovery_codes=codes)
