"""Cards, the filter form and a profile's record are made once and kept in the "fragments" cache:
what a miss of the page cache renders again is only what changed."""

import datetime
import time

import pytest
from django.db.models import F
from django.test.signals import template_rendered

from solidarity.registry.models import Person

from .helpers import prisoner

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders():
    """How many times each template is rendered while the test runs."""
    counted: dict[str, int] = {}

    def count(sender, template, **_kwargs):
        counted[template.name] = counted.get(template.name, 0) + 1

    template_rendered.connect(count)
    yield counted
    template_rendered.disconnect(count)


def test_a_page_missing_the_page_cache_renders_no_card_or_filter_form_it_made_before(client, renders):
    for number in range(3):
        prisoner(last_name_en=f"Card{number}")
    assert "Card2" in client.get("/en/people/").content.decode()
    assert renders["catalogue/_person_card.html"] == 3 and renders["catalogue/_filters.html"] == 1
    # Other addresses miss the page cache (clearing it would empty all of a shared Redis).
    assert "Card2" in client.get("/en/people/?page=1").content.decode()  # another page, same filters
    assert "Card2" in client.get("/en/people/?ref=news").content.decode()  # not the form's field
    assert renders["catalogue/_person_card.html"] == 3 and renders["catalogue/_filters.html"] == 1
    assert 'value="Card' in client.get("/en/people/?q=Card").content.decode()  # filled in as asked
    assert renders["catalogue/_filters.html"] == 2
    client.get("/ru/people/")
    assert renders["catalogue/_person_card.html"] == 6  # each language has its own cards


def test_a_card_changes_as_soon_as_the_person_does(client):
    person = prisoner(last_name_en="Before")
    assert "Before" in client.get("/en/people/").content.decode()
    person.last_name_en = "After"
    person.save()
    page = client.get("/en/people/").content.decode()
    assert "After" in page and "Before" not in page


def test_a_card_says_whether_the_person_is_held_and_how_many_friends_they_have(client):
    prisoner(last_name_en="Held")
    prisoner(last_name_en="Freed", released=datetime.date(2024, 9, 1))
    page = client.get("/en/people/?status=all").content.decode()
    cards = page.split('<li class="card">')[1:]
    [held] = [card for card in cards if "Held</a>" in card]
    [freed] = [card for card in cards if "Freed</a>" in card]
    assert "Political prisoner" in held and "no friends yet" in held
    assert "Released" in freed and "no friends yet" not in freed


def test_a_card_shows_the_friend_count_of_the_moment_it_is_made(client, settings):
    settings.PAGE_CACHE_SECONDS = 1
    person = prisoner()
    assert "1 friend" not in client.get("/en/people/").content.decode()
    Person.objects.filter(pk=person.pk).update(friend_count=F("friend_count") + 1)  # as befriending does
    # The list as these filters ask for it is kept as long as a kept page (the query's other words
    # change nothing); its cards never lag behind the count: another list shows it at once.
    assert "1 friend" not in client.get("/en/people/?ref=news").content.decode()
    assert "1 friend" in client.get("/en/people/?sort=name").content.decode()
    time.sleep(1.1)
    assert "1 friend" in client.get("/en/people/?ref=mail").content.decode()


def test_birthday_cards_are_kept_per_day(client, renders, time_machine):
    time_machine.move_to(datetime.datetime(2026, 11, 21, 12, 0))
    prisoner(last_name_en="Soon", birth_date=datetime.date(1980, 12, 14))
    assert "turns 46" in client.get("/en/birthdays/").content.decode()
    client.get("/en/birthdays/?ref=news")  # not kept as a page
    assert renders["catalogue/_birthday_card.html"] == 1
    time_machine.move_to(datetime.datetime(2026, 11, 22, 12, 0))
    assert "turns 46" in client.get("/en/birthdays/").content.decode()
    assert renders["catalogue/_birthday_card.html"] == 2


def test_a_profile_missing_the_page_cache_renders_its_record_once_per_language(client, renders):
    person = prisoner(last_name_en="Kept")
    assert "Kept" in client.get(f"/en/people/{person.pk}/").content.decode()
    assert "Kept" in client.get(f"/en/people/{person.pk}/?ref=news").content.decode()
    assert renders["catalogue/_profile.html"] == 1
    assert "Timeline" in client.get(f"/en/people/{person.pk}/?ref=news").content.decode()
    client.get(f"/ru/people/{person.pk}/")
    assert renders["catalogue/_profile.html"] == 2  # each language has its own record


def test_a_profile_changes_as_soon_as_the_person_does_and_shows_the_friend_count_of_the_moment(client):
    person = prisoner(last_name_en="Before")
    page = client.get(f"/en/people/{person.pk}/").content.decode()
    assert "Before" in page.split("<title>")[1].split("</title>")[0]  # the title comes with the record
    person.last_name_en = "After"
    person.story_en = "Wrote poems in the pre-trial prison."
    person.save()
    page = client.get(f"/en/people/{person.pk}/").content.decode()
    assert "After" in page and "Before" not in page and "Wrote poems" in page
    Person.objects.filter(pk=person.pk).update(friend_count=F("friend_count") + 1)  # as befriending does
    assert "1 friend so far" in client.get(f"/en/people/{person.pk}/?ref=news").content.decode()


def test_an_unpublished_or_unknown_profile_is_not_found_even_when_its_record_was_kept(client):
    person = prisoner()
    assert client.get(f"/en/people/{person.pk}/").status_code == 200
    Person.objects.filter(pk=person.pk).update(is_published=False)  # no version bump: the row decides
    assert client.get(f"/en/people/{person.pk}/?ref=news").status_code == 404
    assert client.get("/en/people/999999/").status_code == 404
