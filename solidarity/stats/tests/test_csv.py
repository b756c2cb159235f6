"""The statistics' CSVs hold every row, with the API's ids, the date in a column of its own, and a
BOM like people.csv; the charts show the largest rows and sum the rest as "others"."""

import csv
import datetime
import io

import pytest
import time_machine

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.registry.tests.factories import FacilityFactory
from solidarity.stats.views import TOP

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 21)


@pytest.fixture
def many_facilities(db):
    facilities = [FacilityFactory(slug=f"colony-{n}", name_en=f"Colony {n}") for n in range(TOP + 3)]
    for facility in facilities:
        prisoner(detained=datetime.date(2021, 1, 1), facility=facility)
    return facilities


@time_machine.travel(TODAY)
def test_the_facility_csv_lists_every_facility_by_its_id(client, many_facilities):
    response = client.get("/en/statistics/data/facility.csv")
    text = response.content.decode()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == ["date", "facility", "name", "count"]
    assert len(rows) == 1 + len(many_facilities)
    assert {row[1] for row in rows[1:]} == {f.slug for f in many_facilities}
    assert {row[0] for row in rows[1:]} == {TODAY.isoformat()}
    assert ["2026-11-21", "colony-0", "Colony 0", "1"] in rows


@time_machine.travel(TODAY)
def test_the_facility_chart_sums_what_it_does_not_show_as_others(client, many_facilities):
    svg = client.get("/en/statistics/charts/facility.svg").content.decode()
    assert "3 others" in svg
    html = client.get("/en/statistics/").content.decode()
    assert "3 others" in html  # the chart's table, for readers without images


@time_machine.travel(TODAY)
def test_the_gender_csv_labels_rows_with_keys_and_names(client):
    prisoner(detained=datetime.date(2021, 1, 1), gender="female")
    rows = list(
        csv.reader(io.StringIO(client.get("/en/statistics/data/gender.csv").content.decode("utf-8-sig")))
    )
    assert rows == [["date", "gender", "name", "count"], ["2026-11-21", "female", "women", "1"]]
