"""A writer's session: handing over a letter with a new codename makes the session the letter's,
so its key cycles, as every change of whom a session belongs to does."""

import pytest
from django.contrib.sessions.backends.cache import SessionStore

from solidarity.friends.tests.helpers import codename_in
from solidarity.letters import services
from solidarity.letters.models import Letter

from .test_writing import hand_over

pytestmark = pytest.mark.django_db


def test_handing_over_a_letter_with_a_new_codename_cycles_the_session_key(client, viktar, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"  # one whose keys can be known
    _earlier, codename = services.hand_over(person=viktar, body="Привет!", kind="letter", language="ru")
    client.post("/en/letters/follow/", {"codename": codename})
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    new_codename = codename_in(hand_over(client, viktar).content.decode())
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before and not SessionStore().exists(before)
    followed = client.get("/en/letters/follow/").content.decode()
    assert followed.count("waiting for a volunteer") == 1  # the new letter's codename, not the earlier one
    assert Letter.objects.count() == 2 and new_codename != codename
