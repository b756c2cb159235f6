"""The friends' lists cost the same number of queries for one item as for three (no N+1)."""

import datetime

import pytest
import time_machine

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.friends import services
from solidarity.friends.models import Mark

TODAY = datetime.date(2026, 11, 21)

pytestmark = pytest.mark.django_db


def test_the_forgotten_take_the_same_number_of_queries_for_one_person_or_three(client, queries_for):
    prisoner(last_name_en="Forgotten0")
    one = queries_for("/en/forgotten/")
    prisoner(last_name_en="Forgotten1")
    prisoner(last_name_en="Forgotten2")
    three = queries_for("/en/forgotten/")
    print(f"\nforgotten: {one} queries for 1 person, {three} for 3")
    html = client.get("/en/forgotten/").content.decode()
    assert all(f"Forgotten{n}" in html for n in range(3))
    assert three == one


def befriended_with_marks(friend, n: int):
    """A new friendship of the friend, with two marks of this month and last."""
    person = prisoner(last_name_en=f"Friend{n}")
    services.befriend(friend=friend, person=person)
    services.mark(friend=friend, person=person, kind=Mark.Kind.LETTER, day=datetime.date(2026, 11, 3 + n))
    services.mark(friend=friend, person=person, kind=Mark.Kind.PARCEL, day=datetime.date(2026, 10, 10 + n))
    return person


@time_machine.travel(TODAY)
def test_a_friends_own_page_takes_the_same_number_of_queries_for_one_friendship_or_three(client, queries_for):
    friend, codename = services.create_friend()
    befriended_with_marks(friend, 0)
    assert client.post("/en/friends/restore/", {"codename": codename})["Location"] == "/en/friends/me/"
    client.get("/en/friends/me/")  # what is read once per version and day (the families' campaigns)
    one = queries_for("/en/friends/me/")
    befriended_with_marks(friend, 1)
    befriended_with_marks(friend, 2)
    three = queries_for("/en/friends/me/")
    print(f"\nfriend's page: {one} queries for 1 friendship with marks, {three} for 3")
    html = client.get("/en/friends/me/").content.decode()
    for n in range(3):
        assert f"Friend{n}" in html
        assert f"I wrote {3 + n} November" in html
        assert f"I sent a parcel {10 + n} October" in html
    assert three == one
