"""The friend of a browser: the server keeps no session and nothing that dates a visit more finely
than the day; a session planted in the browser gathers nothing of a newcomer's; the remember-me
cookie holds a token only this server can make, not the codename."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, models
from django.test import Client
from django.utils import timezone

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.core.tests.caches import every_key_and_value
from solidarity.friends import codenames, services
from solidarity.friends.models import Friend, Friendship

from .helpers import codename_in, solved

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def browser() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def befriend(client, person, **choice):
    page = client.get(f"/en/people/{person.pk}/befriend/").content.decode()
    return client.post(f"/en/people/{person.pk}/befriend/", {**solved(page), **choice})


def datetimes_since(moment: datetime.datetime) -> list[str]:
    """Every table and column holding a date and time from `moment` on."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed:
            continue  # no table of ours (django-rq's dashboard)
        for field in model._meta.concrete_fields:
            if (
                isinstance(field, models.DateTimeField)
                and model._default_manager.filter(**{f"{field.name}__gte": moment}).exists()
            ):
                found.append(f"{model._meta.db_table}.{field.column}")
    return found


def test_a_visit_leaves_no_session_on_the_server_and_nothing_that_dates_it_finer_than_the_day(settings):
    from solidarity.letters.services import load_rules

    load_rules(country="BY", actor_label="tests")
    person = prisoner(first_name_en="Maryia", last_name_en="Kalesnikava")
    began = timezone.now()
    visitor = browser()
    codename = codename_in(befriend(visitor, person).content.decode())
    visitor.post(f"/en/people/{person.pk}/mark/", {"kind": "letter"})
    visitor.post("/en/friends/remember/", {"codename": codename})
    browser().post("/en/friends/restore/", {"codename": codename})
    writer = browser()
    letter = {"kind": "letter", "language": "ru", "body": "Здравствуйте! У нас выпал снег.", "design": ""}
    step = writer.post(f"/en/people/{person.pk}/write/", {**letter, "action": "hand_over"}).content.decode()
    writer.post(f"/en/people/{person.pk}/write/hand-over/", {**letter, **solved(step)})
    writer.post("/en/letters/follow/", {"codename": codename})
    assert settings.SESSION_COOKIE_NAME in visitor.cookies and settings.SESSION_COOKIE_NAME in writer.cookies

    assert "django_session" not in connection.introspection.table_names()
    assert datetimes_since(began) == []
    friend = Friend.objects.get()
    stored = every_key_and_value()
    assert not any("session" in key for key in stored)
    for secret in (friend.key_hash, codenames.calendar_token(codename), *codename.split()):
        # Whole words: a codename's "ion" is no leak in a key named "...-version".
        found = re.compile(rf"(?<![^\W\d_]){re.escape(secret)}(?![^\W\d_])".encode())
        assert not any(found.search(key.encode()) or found.search(value) for key, value in stored.items())


def test_a_staff_session_lives_only_in_its_cookie_and_a_new_password_ends_every_copy(verified_client, editor):
    began = timezone.now()
    office = verified_client(editor)
    assert office.get("/admin/").status_code == 200
    copy = browser()
    copy.cookies = office.cookies  # a copied cookie works like the original…
    assert copy.get("/admin/").status_code == 200
    assert [
        column for column in datetimes_since(began) if not column.startswith(("auth_user.", "otp_"))
    ] == []
    editor.set_password("another long password 43")
    editor.save()
    assert copy.get("/admin/").status_code == 302  # …until the password changes
    assert office.get("/admin/").status_code == 302


def test_a_session_planted_in_the_browser_does_not_gather_a_newcomers_friendship():
    planter_friend, planter_codename = services.create_friend()
    watched = prisoner(last_name_en="Watched")
    services.befriend(friend=planter_friend, person=watched)
    planter = browser()
    planter.post("/en/friends/restore/", {"codename": planter_codename})
    newcomer = browser()
    newcomer.cookies = planter.cookies  # set in the newcomer's browser by someone else
    person = prisoner(first_name_en="Ales", last_name_en="Bialiatski")

    page = newcomer.get(f"/en/people/{person.pk}/befriend/").content.decode()
    assert "This browser is signed in with a codename that is a friend of: " in page
    assert "Watched" in page
    unasked = newcomer.post(f"/en/people/{person.pk}/befriend/", solved(page))
    assert "Choose which codename to go on with." in unasked.content.decode()
    assert not Friendship.objects.filter(person=person).exists()

    response = befriend(newcomer, person, with_codename="new")
    codename = codename_in(response.content.decode())
    assert not Friendship.objects.filter(person=person, friend=planter_friend).exists()
    assert Friendship.objects.filter(person=person, friend=services.find_friend(codename)).exists()
    me = newcomer.get("/en/friends/me/").content.decode()
    assert "Ales Bialiatski" in me and "Watched" not in me


def test_a_signed_in_friend_befriends_with_their_own_codename_when_they_say_so():
    friend, codename = services.create_friend()
    client = browser()
    client.post("/en/friends/restore/", {"codename": codename})
    person = prisoner()
    page = client.get(f"/en/people/{person.pk}/befriend/").content.decode()
    assert "This browser is signed in with a codename that is not a friend of anyone yet." in page
    assert befriend(client, person, with_codename="mine")["Location"] == "/en/friends/me/"
    assert Friendship.objects.filter(friend=friend, person=person).exists()


def test_every_change_of_whom_the_session_belongs_to_cycles_its_key(settings):
    """Whatever the session engine: on one that keeps sessions on the server, a key someone knew
    before a change is worth nothing after it (a signed cookie is new at every change anyway)."""
    from django.contrib.sessions.backends.cache import SessionStore

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    person = prisoner()
    first, second = (services.create_friend()[1] for _ in range(2))
    client = browser()
    keys = []
    for codename in (first, second, first):
        client.post("/en/friends/restore/", {"codename": codename})
        keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    befriend(client, person, with_codename="new")
    keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert len(set(keys)) == 4
    assert [SessionStore().exists(key) for key in keys] == [False, False, False, True]


def test_the_remember_me_cookie_holds_a_token_only_this_server_can_make_not_the_codename(settings):
    person = prisoner(first_name_en="Maryia", last_name_en="Kalesnikava")
    client = browser()
    codename = codename_in(befriend(client, person).content.decode())
    token = (
        client.post("/en/friends/remember/", {"codename": codename})
        .cookies[settings.FRIENDS_REMEMBER_COOKIE]
        .value
    )
    friend = Friend.objects.get()
    assert not any(word in token for word in codename.split())
    assert friend.key_hash not in token
    calendar = codenames.calendar_token(codename)

    def with_cookie(value):
        device = browser()  # the browser was closed: only the remembered cookie is left
        device.cookies[settings.FRIENDS_REMEMBER_COOKIE] = value
        return device.get("/en/friends/me/")

    returned = with_cookie(token).content.decode()
    assert "Maryia Kalesnikava" in returned
    assert f"/friends/calendar/{calendar}.ics" in returned  # the calendar's address comes back too
    assert with_cookie(codename).status_code == 302  # an old cookie holding the codename is no key
    assert with_cookie(calendar).status_code == 302  # nor the calendar's address alone
    assert with_cookie(f"{calendar}.{'0' * 64}").status_code == 302  # nor a token we did not make
    assert with_cookie(token[:-1] + ("0" if token[-1] != "0" else "1")).status_code == 302


def test_with_https_the_session_and_remembered_cookies_can_only_be_set_by_this_host():
    """`__Host-` cookies: a sibling subdomain (or a plain-HTTP page of one) cannot plant them."""
    env = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "solidarity.settings",
            "HTTPS": "1",
            "SECRET_KEY": "x" * 60,
            "ALLOWED_HOSTS": "example.org",
        }
    )
    printed = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_NAME, s.FRIENDS_REMEMBER_COOKIE, "
            "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_PATH)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.split() == ["__Host-session", "__Host-friend", "True", "/"]


def test_the_session_rows_an_older_version_left_are_deleted_by_the_migration():
    from importlib import import_module
    from types import SimpleNamespace

    migration = import_module("solidarity.friends.migrations.0002_no_session_rows")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE django_session (session_key varchar(40) PRIMARY KEY, expire_date varchar(40))"
        )
        cursor.execute("INSERT INTO django_session VALUES ('k', '2026-11-21 14:03:27.123456')")
        migration.delete_session_rows(apps, SimpleNamespace(connection=connection))
        cursor.execute("SELECT COUNT(*) FROM django_session")
        assert cursor.fetchone() == (0,)
        cursor.execute("DROP TABLE django_session")
