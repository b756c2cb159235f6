import datetime

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.test import Client

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.friends import services
from solidarity.friends.models import Friend, Friendship, Mark
from solidarity.registry.models import Interest, Person

from .helpers import answered, codename_in, solved

TODAY = datetime.date(2026, 11, 21)


def befriend(client, person, fields=solved, **choice) -> object:
    """Befriends as a visitor would; a browser signed in with a codename also says which to use
    (`with_codename="mine"` or `"new"`)."""
    page = client.get(f"/en/people/{person.pk}/befriend/").content.decode()
    return client.post(f"/en/people/{person.pk}/befriend/", {**fields(page), **choice})


@pytest.fixture
def person(db):
    return prisoner(
        first_name_en="Maryia", last_name_en="Kalesnikava", birth_date=datetime.date(1982, 11, 30)
    )


@pytest.mark.django_db
def test_the_profile_invites_to_befriend_without_setting_a_cookie(client, person):
    response = client.get(f"/en/people/{person.pk}/")
    assert f'href="/en/people/{person.pk}/befriend/"' in response.content.decode()
    assert "0 friends so far" in response.content.decode()
    assert response.cookies == {}


@pytest.mark.django_db
def test_becoming_a_friend_shows_the_codename_once_and_counts_one_friend(client, person):
    response = befriend(client, person)
    codename = codename_in(response.content.decode())
    assert len(codename.split()) == 7
    assert Person.objects.get(pk=person.pk).friend_count == 1
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    # Nothing that lasts beyond the browser session is left on the device by default.
    for cookie in client.cookies.values():
        assert cookie["max-age"] == "" and cookie["expires"] == "", cookie.key
    me = client.get("/en/friends/me/").content.decode()
    assert "Maryia Kalesnikava" in me
    assert codename not in me


@pytest.mark.django_db
def test_a_post_without_the_check_is_refused_and_changes_no_count(client, person):
    client.get(f"/en/people/{person.pk}/befriend/")
    response = client.post(f"/en/people/{person.pk}/befriend/", {})
    assert "Please answer the question." in response.content.decode()
    assert Person.objects.get(pk=person.pk).friend_count == 0
    assert not Friend.objects.exists()


@pytest.mark.django_db
def test_a_solution_counts_once_and_a_honeypot_stops_robots(client, person):
    page = client.get(f"/en/people/{person.pk}/befriend/").content.decode()
    fields = solved(page)
    client.post(f"/en/people/{person.pk}/befriend/", fields)
    other = prisoner()
    replay = client.post(f"/en/people/{other.pk}/befriend/", {**fields, "with_codename": "mine"})
    assert "did not succeed" in replay.content.decode()
    robot = client.post(
        f"/en/people/{other.pk}/befriend/",
        {**solved(page), "with_codename": "mine", "website": "http://spam"},
    )
    assert "filled in by a program" in robot.content.decode()
    assert Person.objects.get(pk=other.pk).friend_count == 0


@pytest.mark.django_db
def test_without_javascript_a_question_does_it_behind_a_stricter_limit(client, person, settings):
    settings.FRIENDS_LIMIT_PER_HOUR_WITHOUT_JS = 2
    response = befriend(client, person, answered)
    assert len(codename_in(response.content.decode()).split()) == 7
    page = client.get(f"/en/people/{person.pk}/befriend/").content.decode()
    wrong = client.post(
        f"/en/people/{person.pk}/befriend/", {**answered(page), "answer": "1000", "with_codename": "mine"}
    )
    assert "not right" in wrong.content.decode()
    third = befriend(client, prisoner(), answered, with_codename="mine")
    assert "Too many requests" in third.content.decode()


@pytest.mark.django_db
def test_the_codename_restores_everything_on_another_device(client, person, django_user_model):
    from django.test import Client

    codename = codename_in(befriend(client, person).content.decode())
    other_device = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert other_device.get("/en/friends/me/").status_code == 302
    response = other_device.post("/en/friends/restore/", {"codename": codename.upper().replace(" ", "-")})
    assert response["Location"] == "/en/friends/me/"
    assert "Maryia Kalesnikava" in other_device.get("/en/friends/me/").content.decode()
    wrong = Client().post("/en/friends/restore/", {"codename": "a b c d e f g"}, follow=True)
    assert "No friend has this codename" in wrong.content.decode()


@pytest.mark.django_db
def test_remember_me_sets_a_strict_httponly_cookie(client, person, settings):
    codename = codename_in(befriend(client, person).content.decode())
    response = client.post("/en/friends/remember/", {"codename": codename})
    cookie = response.cookies[settings.FRIENDS_REMEMBER_COOKIE]
    assert cookie["httponly"] is True and cookie["samesite"] == "Strict"
    assert int(cookie["max-age"]) == 365 * 24 * 3600
    assert cookie["secure"] == ""  # tests run as plain HTTP; production sets Secure (HTTPS=1)
    client.cookies.pop(settings.SESSION_COOKIE_NAME)  # the browser was closed
    assert "Maryia Kalesnikava" in client.get("/en/friends/me/").content.decode()


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_the_friends_page_lists_what_is_due_and_takes_marks(client, person):
    befriend(client, person)
    html = client.get("/en/friends/me/").content.decode()
    assert "A letter this month" in html
    assert "Birthday in 9 days" in html
    client.post(f"/en/people/{person.pk}/mark/", {"kind": "letter"})
    html = client.get("/en/friends/me/").content.decode()
    assert "A letter this month" not in html
    assert "I wrote 21 November" in html


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_the_calendar_feed_has_birthdays_and_monthly_reminders_and_nothing_about_the_subscriber(
    client, person
):
    codename = codename_in(befriend(client, person).content.decode())
    html = client.get("/en/friends/me/").content.decode()
    url = html.split("/friends/calendar/")[1].split(".ics")[0]
    response = client.get(f"/en/friends/calendar/{url}.ics")
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "SUMMARY:Birthday of Maryia Kalesnikava" in body and "RRULE:FREQ=YEARLY" in body
    assert "SUMMARY:Write to Maryia Kalesnikava" in body and "RRULE:FREQ=MONTHLY" in body
    # A codename word may be in the feed's own text by chance ("art" in "DTSTART"): only a word that
    # another friend's feed does not also have would be about this subscriber.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    befriend(other, person)
    other_url = other.get("/en/friends/me/").content.decode().split("/friends/calendar/")[1].split(".ics")[0]
    other_body = other.get(f"/en/friends/calendar/{other_url}.ics").content.decode()
    assert codename not in body
    assert [word for word in codename.split() if word in body and word not in other_body] == []
    assert client.get("/en/friends/calendar/guessed.ics").status_code == 404


@pytest.mark.django_db
def test_unfriend_and_forget_me_from_the_friends_page(client, person, settings):
    codename = codename_in(befriend(client, person).content.decode())
    client.post("/en/friends/remember/", {"codename": codename})
    client.post(f"/en/people/{person.pk}/unfriend/")
    assert Person.objects.get(pk=person.pk).friend_count == 0
    befriend(client, person, with_codename="mine")
    assert Person.objects.get(pk=person.pk).friend_count == 1
    asked = client.post("/en/friends/forget/")
    assert asked.status_code == 200 and "Yes, delete everything" in asked.content.decode()
    assert "friendship with 1 person" in asked.content.decode()
    assert Friend.objects.exists() and Friendship.objects.exists()  # only asked
    response = client.post("/en/friends/forget/", {"confirm": "1"})
    assert response.cookies[settings.FRIENDS_REMEMBER_COOKIE]["max-age"] == 0
    assert not Friend.objects.exists() and not Friendship.objects.exists()
    assert Person.objects.get(pk=person.pk).friend_count == 0
    assert services.find_friend(codename) is None


@pytest.mark.django_db
def test_the_forgotten_come_first_and_a_suggestion_favours_them(client):
    lonely = prisoner(last_name_en="Lonely")
    popular = prisoner(last_name_en="Popular")
    Person.objects.filter(pk=popular.pk).update(friend_count=40)
    html = client.get("/en/forgotten/").content.decode()
    assert html.index("Lonely") < html.index("Popular")
    picks = [client.get("/en/forgotten/suggest/")["Location"] for _ in range(60)]
    assert picks.count(f"/en/people/{lonely.pk}/") > 50  # weights 1 : 1/1681
    books = Interest.objects.create(slug="books", name_en="Books")
    popular.interests.add(books)
    assert client.get("/en/forgotten/suggest/?interests=books")["Location"] == f"/en/people/{popular.pk}/"


@pytest.mark.django_db
def test_no_address_or_user_agent_of_a_visitor_is_found_in_any_table(client, person, editor, verified_client):
    from django.test import Client

    address, agent = "203.0.113.199", "UniqueAgent/4.2 (tracking-test)"
    visitor = Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent, HTTP_ACCEPT_LANGUAGE="en")
    codename = codename_in(befriend(visitor, person).content.decode())
    visitor.post(f"/en/people/{person.pk}/mark/", {"kind": "letter"})
    Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent).post("/en/friends/restore/", {"codename": codename})
    Client(REMOTE_ADDR=address, HTTP_USER_AGENT=agent).post(
        "/admin/login/", {"username": "editor", "password": "wrong", "otp_token": "123456"}
    )
    for path in ("/en/", "/en/people/", f"/en/people/{person.pk}/", "/en/statistics/", "/api/v1/people"):
        visitor.get(path)
    found = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            if not model._meta.managed:
                continue  # no table of ours (django-rq's dashboard)
            table = model._meta.db_table
            columns = [f.column for f in model._meta.concrete_fields]
            cursor.execute(f"SELECT {', '.join(connection.ops.quote_name(c) for c in columns)} FROM {table}")  # noqa: S608
            for row in cursor.fetchall():
                text = " ".join(str(value) for value in row)
                if address in text or "UniqueAgent" in text:
                    found.append(table)
    assert found == []


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_a_friend_leaves_nothing_in_the_audit_history(client, person):
    from solidarity.audit.models import AuditEntry

    codename = codename_in(befriend(client, person).content.decode())
    client.post(f"/en/people/{person.pk}/mark/", {"kind": "parcel"})
    client.post("/en/friends/remember/", {"codename": codename})
    client.post(f"/en/people/{person.pk}/unfriend/")
    client.post("/en/friends/forget/", {"confirm": "1"})
    assert not Friend.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_bad_input_to_the_friends_forms_says_what_is_wrong_and_changes_nothing(client, person):
    befriend(client, person)
    marked = client.post(f"/en/people/{person.pk}/mark/", {"kind": "visit"}, follow=True)
    assert "Choose what you did: a letter or a parcel." in marked.content.decode()
    assert not Mark.objects.exists()
    empty = Client(HTTP_ACCEPT_LANGUAGE="en").post("/en/friends/restore/", {"codename": ""}, follow=True)
    assert "No friend has this codename" in empty.content.decode()
    assert client.post("/en/friends/remember/", {}).status_code == 404
    unknown = client.get("/en/forgotten/suggest/?interests=no-such-interest")
    assert unknown["Location"] == f"/en/people/{person.pk}/"  # unknown interests are ignored


@pytest.mark.django_db
def test_restoring_is_limited_per_client(client, person):
    for _ in range(20):
        client.post("/en/friends/restore/", {"codename": "a b c d e f g"})
    codename = codename_in(befriend(Client(HTTP_ACCEPT_LANGUAGE="en"), person).content.decode())
    refused = client.post("/en/friends/restore/", {"codename": codename}, follow=True)
    assert "Too many attempts from here." in refused.content.decode()
    assert "Maryia Kalesnikava" not in client.get("/en/friends/me/", follow=True).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("event", ["released", "died"])
def test_nobody_can_befriend_someone_released_or_dead_even_by_posting_the_form(client, event):
    from solidarity.registry.models import EventKind
    from solidarity.registry.services import refresh_all_derived_fields
    from solidarity.registry.tests.factories import EventFactory

    person = prisoner(first_name_en="Ihar", last_name_en="Losik")
    page = client.get(f"/en/people/{person.pk}/befriend/").content.decode()
    EventFactory(person=person, kind=getattr(EventKind, event.upper()), date=datetime.date(2025, 6, 1))
    refresh_all_derived_fields()
    assert "Become a friend" not in client.get(f"/en/people/{person.pk}/").content.decode()
    posted = client.post(f"/en/people/{person.pk}/befriend/", solved(page)).content.decode()
    refusal = (
        "Ihar Losik is not held as a political prisoner now: a friendship can only begin with someone who is."
    )
    assert refusal in posted and 'id="codename"' not in posted
    assert refusal in client.get(f"/en/people/{person.pk}/befriend/").content.decode()
    assert Person.objects.get(pk=person.pk).friend_count == 0
    assert not Friend.objects.exists() and not Friendship.objects.exists()
