import pytest

from solidarity.testimonies import sealing


@pytest.fixture
def legal_team(settings):
    """The legal team's keys: the public half configured, the private half kept by the test."""
    public, private = sealing.new_key_pair()
    settings.TESTIMONY_PUBLIC_KEY = public
    return sealing.private_key(private)
