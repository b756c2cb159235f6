"""The letter-evening kit costs the same number of queries for one person as for three (no N+1),
whichever way it lists people."""

import datetime
from urllib.parse import urlencode

import pytest
import time_machine

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.letters import services

TODAY = datetime.date(2026, 11, 21)

pytestmark = pytest.mark.django_db


def kit_person(n: int):
    """A person held in a facility, with a birthday a letter posted today reaches in time, and one
    letter already."""
    person = prisoner(last_name_en=f"Kit{n}", birth_date=datetime.date(1980 + n, 12, 14 + n))
    services.hand_over(person=person, body="Здравствуйте!", kind="letter", language="ru")
    return person


def kit_url(who: str, people: list) -> str:
    query = {"who": who, "count": 60}
    if who == "chosen":
        query["people"] = ", ".join(str(person.pk) for person in people)
    return f"/en/letters/evening/?{urlencode(query)}"


@time_machine.travel(TODAY)
@pytest.mark.parametrize("who", ["birthdays", "fewest", "chosen"])
def test_the_letter_evening_kit_takes_the_same_number_of_queries_for_one_person_or_three(
    client, queries_for, who
):
    people = [kit_person(0)]
    one = queries_for(kit_url(who, people))
    people += [kit_person(1), kit_person(2)]
    three = queries_for(kit_url(who, people))
    print(f"\nletter-evening kit ({who}): {one} queries for 1 person, {three} for 3")
    html = client.get(kit_url(who, people)).content.decode()
    assert "3 people to write to" in html
    assert all(f"Kit{n}" in html for n in range(3))
    assert html.count("ул. Володарского, 2") == 3  # each person's envelope, from their facility
    assert three == one
