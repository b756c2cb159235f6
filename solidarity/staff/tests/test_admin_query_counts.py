"""The back office's changelists cost the same number of queries for one row as for three (no
N+1), seen by the roles that work with them."""

import pytest

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.letters import services as letters
from solidarity.staff.roles import LETTERS_VOLUNTEER
from solidarity.staff.services import create_staff_member

from .helpers import PASSWORD

pytestmark = pytest.mark.django_db

PEOPLE = "/admin/registry/person/"
LETTERS = "/admin/letters/letter/"


def test_the_people_changelist_takes_the_same_number_of_queries_for_one_person_or_three(
    verified_client, editor, queries_for
):
    client = verified_client(editor)
    prisoner(last_name_en="Listed0")
    one = queries_for(PEOPLE)
    prisoner(last_name_en="Listed1")
    prisoner(last_name_en="Listed2")
    three = queries_for(PEOPLE)
    print(f"\nadmin people changelist (editor): {one} queries for 1 person, {three} for 3")
    html = client.get(PEOPLE).content.decode()
    assert all(f"Listed{n}" in html for n in range(3))
    assert "3 people" in html
    assert html.count("Pre-trial detention centre No.") >= 3  # each row's current facility
    assert three == one


def test_the_letters_changelist_takes_the_same_number_of_queries_for_one_letter_or_three(
    verified_client, queries_for, settings, tmp_path
):
    settings.PRIVATE_ROOT = tmp_path / "private"
    volunteer = create_staff_member(username="volunteer", roles=[LETTERS_VOLUNTEER], password=PASSWORD).user
    client = verified_client(volunteer)

    def letter_to(n: int):
        person = prisoner(last_name_en=f"Addressee{n}")
        return letters.hand_over(person=person, body="Здравствуйте!", kind="letter", language="ru")[0]

    letter_to(0)
    one = queries_for(LETTERS)
    letter_to(1)
    letter_to(2)
    three = queries_for(LETTERS)
    print(f"\nadmin letters changelist (letters volunteer): {one} queries for 1 letter, {three} for 3")
    html = client.get(LETTERS).content.decode()
    assert all(f"Addressee{n}" in html for n in range(3))
    assert three == one
