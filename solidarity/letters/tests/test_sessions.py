"""A writer's session: handing over a letter with a new codename makes the session the letter's,
so its key cycles, as every change of whom a session belongs to does."""

import pytest
from django.contrib.sessions.backends.cache import SessionStore

from solidarity.friends import services as friends
from solidarity.friends.tests.helpers import answered, codename_in
from solidarity.letters import services
from solidarity.letters.models import Letter

from .test_writing import hand_over

pytestmark = pytest.mark.django_db


def test_handing_over_a_letter_with_a_new_codename_cycles_the_session_key(client, viktar, settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"  # one whose keys can be known
    _earlier, codename = services.hand_over(person=viktar, body="Привет!", kind="letter", language="ru")
    client.post("/en/letters/follow/", {"codename": codename})
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    new_codename = codename_in(hand_over(client, viktar, with_codename="new").content.decode())
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before and not SessionStore().exists(before)
    followed = client.get("/en/letters/follow/").content.decode()
    assert followed.count("waiting for a volunteer") == 1  # the new letter's codename, not the earlier one
    assert Letter.objects.count() == 2 and new_codename != codename


def test_a_writer_who_follows_a_letter_already_hands_over_the_next_with_the_same_codename(client, viktar):
    first = hand_over(client, viktar)
    codename = codename_in(first.content.decode())
    asked = hand_over(client, viktar)  # without saying which codename: asked, nothing made
    assert "Choose which codename to go on with." in asked.content.decode()
    assert "This browser follows the letters you handed over" in asked.content.decode()
    assert Letter.objects.count() == 1
    second = hand_over(client, viktar, with_codename="mine")
    assert 'id="codename"' not in second.content.decode()
    assert "You follow it with the codename of your earlier letters." in second.content.decode()
    assert Letter.objects.count() == 2
    assert len({letter.codename_hash for letter in Letter.objects.all()}) == 1
    from django.test import Client

    elsewhere = Client(HTTP_ACCEPT_LANGUAGE="en")  # the one codename, on another device
    elsewhere.post("/en/letters/follow/", {"codename": codename})
    assert elsewhere.get("/en/letters/follow/").content.decode().count("waiting for a volunteer") == 2


def test_a_session_planted_in_the_browser_does_not_quietly_follow_the_writers_letter(client, viktar):
    """Someone signs a browser in with their own friend codename and leaves it: the writer who comes
    next is asked which codename follows the letter, and sees whose friend the signed-in one is."""
    from django.test import Client

    planter_friend, planter_codename = friends.create_friend()
    friends.befriend(friend=planter_friend, person=viktar)
    planter = Client()
    planter.post("/en/friends/restore/", {"codename": planter_codename})
    client.cookies.load({name: morsel.value for name, morsel in planter.cookies.items()})  # by someone else

    step = client.post(
        f"/en/people/{viktar.pk}/write/",
        {"kind": "letter", "language": "ru", "body": "Здравствуйте!", "action": "hand_over"},
    ).content.decode()
    assert "This browser is signed in with a codename that is a friend of: Viktar Shalest." in step
    assert 'name="with_codename"' in step
    fields = {"kind": "letter", "language": "ru", "body": "Здравствуйте!", "design": "", **answered(step)}
    unasked = client.post(f"/en/people/{viktar.pk}/write/hand-over/", fields).content.decode()
    assert "Choose which codename to go on with." in unasked and "Здравствуйте!" in unasked
    assert not Letter.objects.exists()

    handed = client.post(
        f"/en/people/{viktar.pk}/write/hand-over/", {**fields, **answered(unasked), "with_codename": "new"}
    )
    codename = codename_in(handed.content.decode())
    letter = Letter.objects.get()
    assert letter.friend is None and services.followed_by(codename)
    assert "waiting for a volunteer" in client.get("/en/letters/follow/").content.decode()
    assert "waiting for a volunteer" not in planter.get("/en/letters/follow/").content.decode()
