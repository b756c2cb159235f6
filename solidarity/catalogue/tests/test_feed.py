"""The Atom feed of changes, read by an independent client (feedparser)."""

import datetime

import feedparser
import pytest

from solidarity.catalogue.tests.helpers import prisoner

pytestmark = pytest.mark.django_db


def test_the_feed_has_absolute_entry_ids_and_an_author(client):
    person = prisoner(detained=datetime.date(2021, 3, 1), first_name_en="Ales", last_name_en="Bialiatski")
    feed = feedparser.parse(client.get("/en/changes.atom").content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.author
    entry = feed.entries[0]
    assert entry.id.startswith("tag:testserver,2020:event-")
    assert entry.title.startswith("Ales Bialiatski")
    assert entry.link == f"http://testserver/en/people/{person.pk}/#event-{person.events.last().pk}"
    assert len({e.id for e in feed.entries}) == len(feed.entries)
