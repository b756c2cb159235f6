import csv
import datetime
import io
import random

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.registry.models import Event, EventKind, Person, Sentence
from solidarity.registry.tests.factories import ArticleFactory, EventFactory, PersonFactory, RegionFactory
from solidarity.stats import computations

TODAY = datetime.date(2026, 11, 21)
D = datetime.date


class TestDailySeriesAgreesWithTheRule(TestCase):
    """The daily series against a brute-force count with the registry's SQL rule, on random
    registries and random dates."""

    @settings(max_examples=25, deadline=None)
    @given(
        timelines=st.lists(
            st.lists(
                st.tuples(
                    st.sampled_from(list(EventKind)),
                    st.dates(min_value=D(2020, 7, 1), max_value=D(2024, 12, 31)),
                ),
                max_size=6,
            ),
            min_size=1,
            max_size=8,
        ),
        seed=st.integers(0, 10_000),
    )
    def test_series_equals_brute_force(self, timelines, seed):
        for pairs in timelines:
            person = PersonFactory()
            Event.objects.bulk_create(
                Event(person=person, kind=kind, date=date, source_citation="test") for kind, date in pairs
            )
        from solidarity.registry import versioning

        versioning.bump()
        series = dict(computations.daily_series(D(2020, 8, 1), D(2025, 1, 1)))
        rng = random.Random(seed)
        for day in [D(2020, 8, 1) + datetime.timedelta(days=rng.randint(0, 1614)) for _ in range(6)]:
            assert series[day] == Person.objects.political_prisoners_on(day).count(), day


@pytest.mark.django_db
def test_filters_by_gender_region_and_article():
    minsk = RegionFactory(slug="minsk-city")
    woman = prisoner(gender="female", region=minsk, detained=D(2021, 1, 1))
    prisoner(gender="male", detained=D(2021, 1, 1))
    Sentence.objects.create(person=woman, term_months=24, source_citation="court").articles.add(
        ArticleFactory(number="342", part="1")
    )
    day = D(2021, 6, 1)
    assert computations.daily_series(day, day) == [(day, 2)]
    assert computations.daily_series(day, day, gender="female") == [(day, 1)]
    assert computations.daily_series(day, day, region_id=minsk.pk) == [(day, 1)]
    article = woman.sentences.get().articles.get()
    assert computations.daily_series(day, day, article_id=article.pk) == [(day, 1)]


@pytest.mark.django_db
def test_the_statistics_follow_a_change_of_the_registry_at_once():
    person = prisoner(detained=D(2021, 1, 1))
    day = D(2022, 1, 1)
    assert computations.daily_series(day, day) == [(day, 1)]
    EventFactory(person=person, kind=EventKind.RELEASED, date=D(2021, 12, 1))
    assert computations.daily_series(day, day) == [(day, 0)]


@pytest.mark.django_db
def test_monthly_flows_count_arrivals_releases_and_deaths():
    released = prisoner(detained=D(2021, 1, 5))  # recognised 20 days later: arrival in January
    EventFactory(person=released, kind=EventKind.RELEASED, date=D(2021, 3, 10))
    died = prisoner(detained=D(2021, 1, 10))
    EventFactory(person=died, kind=EventKind.DIED, date=D(2021, 3, 20))
    months = {m["month"]: m for m in computations.monthly_flows(D(2021, 1, 1), D(2021, 3, 31))}
    assert (months["2021-01"]["arrivals"], months["2021-03"]["releases"], months["2021-03"]["deaths"]) == (
        2,
        1,
        1,
    )


@pytest.mark.django_db
def test_breakdowns_on_a_past_date_use_that_dates_facility_age_and_sentence():
    from solidarity.registry.tests.factories import FacilityFactory

    colony = FacilityFactory(slug="ik-2")
    person = prisoner(detained=D(2021, 1, 1), birth_date=D(2003, 6, 2), gender="female")
    EventFactory(person=person, kind=EventKind.TRANSFERRED, date=D(2022, 1, 1), facility=colony)
    Sentence.objects.create(
        person=person, verdict_date=D(2021, 9, 1), term_months=30, source_citation="court"
    )
    before = computations.breakdowns(D(2021, 6, 1))
    after = computations.breakdowns(D(2022, 6, 1))
    assert before["total"] == after["total"] == 1
    assert before["age"] == {"minors": 1}  # 17 years old then
    assert after["facility"] == {colony.pk: 1}
    assert before["term"] == {"unknown": 1} and after["term"] == {"2-3y": 1}
    assert after["served"] == {"1-2y": 1}


@pytest.mark.django_db
@time_machine.travel(TODAY)
@pytest.mark.parametrize(
    ("language", "heading"), [("be", "Статыстыка"), ("ru", "Статистика"), ("en", "Statistics")]
)
def test_the_statistics_page_in_three_languages(client, language, heading):
    prisoner(detained=D(2021, 1, 1), gender="female")
    response = client.get(f"/{language}/statistics/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in html
    assert '<data value="1">1</data>' in html
    assert html.count("<figure") == 9
    assert response.cookies == {}


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_a_chart_is_an_accessible_svg_with_no_script_allowed(client):
    prisoner(detained=D(2021, 1, 1))
    response = client.get("/en/statistics/charts/gender.svg")
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    svg = response.content.decode()
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="By gender. men: 1"' in svg
    assert "script-src 'none'" in response["Content-Security-Policy"]
    assert client.get("/en/statistics/charts/nothing.svg").status_code == 404


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_a_phone_gets_charts_drawn_for_its_width_and_articles_charted_by_number(client):
    person = prisoner(detained=D(2021, 1, 1))
    sentence = Sentence.objects.create(person=person, term_months=36, source_url="https://example.org/s")
    sentence.articles.add(ArticleFactory(code="criminal", number="342", part="1", title_en="Riots" * 12))
    html = client.get("/en/statistics/").content.decode()
    assert 'media="(max-width: 40rem)" srcset="/en/statistics/charts/article.svg?size=narrow"' in html
    assert "Riots" * 12 in html  # the table names the article whole
    for name in ("daily", "monthly", "article"):
        wide = client.get(f"/en/statistics/charts/{name}.svg").content.decode()
        narrow = client.get(f"/en/statistics/charts/{name}.svg?size=narrow").content.decode()
        assert 'viewBox="0 0 360 ' in narrow and 'viewBox="0 0 360 ' not in wide
    assert "Art. 342 part 1" in narrow and "Riots" not in narrow
    dated = client.get("/en/statistics/?date=2025-01-01").content.decode()
    assert 'srcset="/en/statistics/charts/article.svg?date=2025-01-01&amp;size=narrow"' in dated


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_every_chart_has_its_csv(client):
    prisoner(detained=D(2021, 1, 1))
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/en/statistics/data/daily.csv?date=2021-02-01").content.decode("utf-8-sig")
            )
        )
    )
    assert rows[0] == ["date", "count"]
    assert rows[-1] == ["2021-02-01", "1"]
    assert len(rows) == 1 + (D(2021, 2, 1) - D(2020, 8, 1)).days + 1
    gender = list(
        csv.reader(io.StringIO(client.get("/en/statistics/data/gender.csv").content.decode("utf-8-sig")))
    )
    assert gender[1] == ["2026-11-21", "male", "men", "1"]


@pytest.mark.django_db
@time_machine.travel(TODAY)
def test_the_api_answers_the_daily_series_with_the_registrys_rule(client):
    prisoner(detained=D(2021, 1, 1), gender="female")
    body = client.get("/api/v1/stats/daily?from=2021-01-20&to=2021-01-22").json()
    assert body == {
        "series": [
            {"date": "2021-01-20", "count": 0},
            {"date": "2021-01-21", "count": 1},
            {"date": "2021-01-22", "count": 1},
        ]
    }
    assert (
        client.get("/api/v1/stats/daily?from=2021-01-21&to=2021-01-21&gender=male").json()["series"][0][
            "count"
        ]
        == 0
    )
    assert client.get("/api/v1/stats/daily?from=2022-01-01&to=2021-01-01").status_code == 422
    assert client.get("/api/v1/stats/daily?region=atlantis").status_code == 422
    assert client.get("/api/v1/stats/breakdowns?date=2021-06-01").json()["gender"] == {"female": 1}


@pytest.mark.django_db
def test_partners_may_frame_the_counter_which_tracks_nobody(client):
    prisoner(detained=D(2021, 1, 1))
    response = client.get("/en/embed/counter/")
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "X-Frame-Options" not in response
    assert response.cookies == {}
    assert "<script" not in response.content.decode()
    assert client.get("/en/statistics/")["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_published_figures_are_loaded_from_the_countrys_data_file(client):
    from solidarity.stats.models import PublishedFigure
    from solidarity.stats.services import load_published_figures

    assert load_published_figures() == 7
    assert load_published_figures() == 7  # again: updated, not duplicated
    figure = PublishedFigure.objects.get(value=4649)
    assert figure.date == D(2023, 5, 21)
    html = client.get("/en/statistics/").content.decode()
    assert "143600–171900" in html and "4649" in html
    figure.value = 4700  # corrected in the back office: the kept page and its content show it at once
    figure.save()
    html = client.get("/en/statistics/").content.decode()
    assert "4700" in html and "4649" not in html
    figure.delete()
    assert "4700" not in client.get("/en/statistics/").content.decode()


@pytest.mark.django_db
def test_the_statistics_content_is_made_once_per_day_shown_and_address(client, settings):
    settings.ALLOWED_HOSTS = ["open-web.test", "mirror.onion"]
    prisoner(detained=D(2021, 1, 1))
    with CaptureQueriesContext(connection) as first:
        page = client.get("/en/statistics/?from=news", HTTP_HOST="open-web.test").content.decode()
    with CaptureQueriesContext(connection) as again:  # another query: a miss of the page cache
        again_page = client.get("/en/statistics/?from=mail", HTTP_HOST="open-web.test").content.decode()
    assert again_page.split("<h1>")[1] == page.split("<h1>")[1]  # the same content in another frame
    assert len(again) < len(first)
    assert 'src="http://open-web.test/' in page
    onion = client.get("/en/statistics/?from=mail", HTTP_HOST="mirror.onion").content.decode()
    assert 'src="http://mirror.onion/' in onion and "open-web.test" not in onion
    earlier = client.get("/en/statistics/?date=2021-06-01", HTTP_HOST="open-web.test").content.decode()
    assert 'value="2021-06-01"' in earlier and 'value="2021-06-01"' not in page
