import csv
import datetime
import io
from xml.etree import ElementTree

import pytest
import time_machine

from solidarity.catalogue.forms import month_day_keys
from solidarity.core.spreadsheets import spreadsheet_safe
from solidarity.registry.models import EventKind
from solidarity.registry.tests.factories import EventFactory, FacilityFactory

from .helpers import prisoner

TODAY = datetime.date(2026, 11, 21)  # a Saturday


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_birthdays_start_where_a_card_posted_today_arrives_in_time(client):
    prisoner(last_name_en="Today", birth_date=datetime.date(1980, 11, 21))
    prisoner(last_name_en="Tomorrow", birth_date=datetime.date(1980, 11, 22))
    prisoner(last_name_en="TooSoon", birth_date=datetime.date(1980, 12, 11))  # 20 days: no card arrives
    prisoner(last_name_en="InTime", birth_date=datetime.date(1990, 12, 12))  # 21 days
    prisoner(last_name_en="LastInTime", birth_date=datetime.date(1970, 12, 25))  # 34 days
    prisoner(last_name_en="After", birth_date=datetime.date(1970, 12, 26))  # 35 days
    prisoner(last_name_en="NewYear", birth_date=datetime.date(1970, 1, 22))  # 62 days: the last shown
    prisoner(last_name_en="TooFar", birth_date=datetime.date(1970, 1, 23))
    prisoner(last_name_en="Freed", birth_date=datetime.date(1970, 12, 13), released=datetime.date(2025, 1, 1))
    response = client.get("/en/birthdays/")
    assert [p.last_name for p in response.context["in_time"]] == ["InTime", "LastInTime"]
    assert [p.last_name for p in response.context["later"]] == ["After", "NewYear"]
    html = response.content.decode()
    assert "turns 36" in html and "Post now: birthdays from 12 December" in html
    assert "about 21 days to arrive" in html


def test_the_leap_day_is_celebrated_on_the_28th_in_common_years():
    assert 229 in month_day_keys(datetime.date(2026, 2, 27), 2)
    assert month_day_keys(datetime.date(2028, 2, 27), 2) == [227, 228, 229]


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Плain", "Плain"),
        (None, ""),
        (42, "42"),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_defused(value, safe):
    assert spreadsheet_safe(value) == safe


@pytest.mark.django_db
def test_the_csv_has_the_current_filters_and_no_formula(client):
    prisoner(last_name_en="=cmd|' /C calc'!A0", gender="female")
    prisoner(last_name_en="Male", gender="male")
    response = client.get("/en/people.csv?gender=female")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 1
    assert rows[0]["name_latin"].endswith("=cmd|' /C calc'!A0")
    assert not any(value.startswith(("=", "+", "-", "@")) for value in rows[0].values())
    assert rows[0]["profile"].startswith("http://testserver/en/people/")
    assert response.cookies == {}


@pytest.mark.django_db
def test_the_atom_feed_lists_recognitions_releases_and_transfers(client):
    person = prisoner(last_name_en="Fed")
    EventFactory(
        person=person, kind=EventKind.TRANSFERRED, date=datetime.date(2022, 5, 5), facility=FacilityFactory()
    )
    EventFactory(person=person, kind=EventKind.CHARGED, date=datetime.date(2022, 6, 6))
    response = client.get("/en/changes.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    titles = [
        entry.findtext("{http://www.w3.org/2005/Atom}title")
        for entry in feed.iter("{http://www.w3.org/2005/Atom}entry")
    ]
    assert len(titles) == 2
    assert titles[0].startswith("Viktar Fed: transferred")
    assert titles[1] == "Viktar Fed: recognised as a political prisoner"
