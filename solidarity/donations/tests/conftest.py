import re

import pytest
from django.apps import apps
from django.db import models

from . import fakes


@pytest.fixture
def fake_stripe(settings):
    with fakes.stripe_double(settings) as server:
        yield server


@pytest.fixture
def fake_btcpay(settings):
    with fakes.btcpay_double(settings) as server:
        yield server


# Names and addresses the test doubles give as the payer's (Stripe's events carry them) and that
# tests type into forms: none of them, and no e-mail or IP address at all, may reach a table here.
DONOR_WORDS = ("Donorov", "Donorova", "donor@example.org")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")


@pytest.fixture(autouse=True)
def no_donor_record(db):
    """After every test of this app: no e-mail address, IP address or donor's name in any donations table."""
    yield
    for model in apps.get_app_config("donations").get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        for row in model.objects.values_list(*fields):
            for value in row:
                text = str(value or "")
                assert not EMAIL.search(text), f"{model.__name__}: an e-mail address {text!r}"
                assert not IPV4.search(text), f"{model.__name__}: an IP address {text!r}"
                assert not any(word in text for word in DONOR_WORDS), (
                    f"{model.__name__}: a donor's name {text!r}"
                )
