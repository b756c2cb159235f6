"""The catalogue's lists cost the same number of queries for one item as for three (no N+1)."""

import datetime

import pytest
import time_machine

from solidarity.registry.tests.factories import FacilityFactory

from .helpers import prisoner

TODAY = datetime.date(2026, 11, 21)  # birthdays from 12 December on are shown: a card arrives in time

pytestmark = pytest.mark.django_db


def birthday_person(n: int):
    return prisoner(last_name_en=f"Birthday{n}", birth_date=datetime.date(1980 + n, 12, 14 + n))


@time_machine.travel(TODAY)
def test_the_birthdays_page_takes_the_same_number_of_queries_for_one_person_or_three(client, queries_for):
    birthday_person(0)
    one = queries_for("/en/birthdays/")
    birthday_person(1)
    birthday_person(2)
    three = queries_for("/en/birthdays/")
    print(f"\nbirthdays: {one} queries for 1 person, {three} for 3")
    html = client.get("/en/birthdays/").content.decode()
    assert all(f"Birthday{n}" in html for n in range(3))
    assert three == one


def test_the_facility_page_takes_the_same_number_of_queries_for_one_person_held_there_or_three(
    client, queries_for
):
    facility = FacilityFactory(slug="ik-1")
    prisoner(facility=facility)
    one = queries_for("/en/facilities/ik-1/")
    assert "1 political prisoner held here" in client.get("/en/facilities/ik-1/").content.decode()
    prisoner(facility=facility)
    prisoner(facility=facility)
    three = queries_for("/en/facilities/ik-1/")
    print(f"\nfacility page: {one} queries for 1 person held there, {three} for 3")
    assert "3 political prisoners held here" in client.get("/en/facilities/ik-1/").content.decode()
    assert three == one
