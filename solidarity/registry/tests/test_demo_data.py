import datetime
import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from solidarity.registry.demo import Curve, plan, published_curve
from solidarity.registry.models import (
    Article,
    Event,
    EventKind,
    Facility,
    FacilityKind,
    Interest,
    Person,
    Region,
    Status,
)

TODAY = datetime.date(2026, 11, 21)
CURVE = published_curve()


@pytest.fixture(scope="module")
def demo_registry(django_db_setup, django_db_blocker):
    """The default demo registry (3,000 people), built once for this module."""
    with django_db_blocker.unblock():
        call_command("demo_data", "--people", "3000", "--seed", "2020")
        yield
        for model in (Person, Facility, Article, FacilityKind, Region, Interest):
            model.objects.all().delete()


@pytest.mark.django_db
def test_demo_counts_follow_the_published_figures_within_two_percent(demo_registry):
    for day, published in CURVE.published.items():
        ours = Person.objects.political_prisoners_on(day).count()
        assert abs(ours - published) <= published * 0.02, (day, published, ours)
    day, women = CURVE.women
    ours = Person.objects.political_prisoners_on(day).filter(gender=Person.Gender.FEMALE).count()
    assert abs(ours - women) <= women * 0.02


@pytest.mark.django_db
def test_demo_registry_has_arrests_and_releases_and_every_status(demo_registry):
    assert Person.objects.count() == 3000
    kinds = dict(Event.objects.order_by().values_list("kind").annotate(n=Count("id")))
    for kind in (
        EventKind.DETAINED,
        EventKind.RECOGNIZED,
        EventKind.SENTENCED,
        EventKind.TRANSFERRED,
        EventKind.RELEASED,
        EventKind.PARDONED,
        EventKind.DIED,
    ):
        assert kinds.get(kind, 0) > 0, kind
    statuses = set(Person.objects.order_by().values_list("status", flat=True).distinct())
    assert {Status.POLITICAL_PRISONER, Status.RELEASED, Status.PERSECUTED, Status.DIED} <= statuses
    assert not Event.objects.filter(source_url="", source_citation="").exists()


@pytest.mark.django_db
def test_demo_people_have_names_in_three_spellings(demo_registry):
    cyrillic, latin = re.compile(r"^[А-ЯЁІЎа-яёіў'ʼ\- ]+$"), re.compile(r"^[A-Za-z'\- ]+$")
    for person in Person.objects.all()[:300]:
        assert cyrillic.match(person.last_name_be) and cyrillic.match(person.last_name_ru)
        assert latin.match(person.last_name_en) and latin.match(person.first_name_en)
        assert person.patronymic_be and person.patronymic_ru
    distinct = Person.objects.values("last_name_be", "first_name_be").distinct().count()
    assert distinct > 2500  # plausible variety, not a handful of repeated names


@pytest.mark.django_db
def test_demo_facilities_have_addresses_in_the_real_format(demo_registry):
    assert 38 <= Facility.objects.count() <= 50
    for facility in Facility.objects.all():
        lines = facility.postal_address_cyrillic.splitlines()
        assert re.match(r"^\d{6}, ", lines[-1]), facility.postal_address_cyrillic
        assert facility.postal_address_latin.splitlines()[-1] == "BELARUS"
    held = Person.objects.filter(status=Status.POLITICAL_PRISONER)
    assert held.filter(current_facility__isnull=True).count() < held.count() * 0.1


@pytest.mark.django_db
def test_the_statistics_daily_series_passes_through_the_published_counts(demo_registry):
    from solidarity.registry import versioning
    from solidarity.stats.computations import SERIES_START, daily_series

    versioning.bump()
    series = dict(daily_series(SERIES_START, max(CURVE.published)))
    for day, published in CURVE.published.items():
        assert abs(series[day] - published) <= published * 0.02, (day, series[day], published)


def test_the_demo_follows_the_counts_published_for_the_country():
    day = datetime.date
    assert CURVE.published == {
        day(2021, 11, 1): 1074,
        day(2021, 12, 1): 1104,
        day(2022, 5, 1): 1457,
        day(2022, 10, 1): 1651,
        day(2023, 5, 21): 1500,
        day(2024, 7, 1): 1570,
    }
    assert CURVE.women == (day(2023, 5, 21), 206)


def test_the_simulation_passes_through_the_points_of_any_curve_it_is_given():
    day = datetime.date
    curve = Curve(
        published={day(2021, 1, 1): 300},
        points=[(day(2020, 1, 1), 0), (day(2021, 1, 1), 300), (day(2022, 1, 1), 100)],
        women=(day(2021, 1, 1), 30),
        pardon_season=(day(2021, 6, 1), day(2021, 12, 31)),
    )
    the_plan = plan(400, seed=3, today=day(2022, 6, 1), curve=curve)

    def held(on: datetime.date) -> int:
        return sum(s.recognized <= on and (s.end is None or s.end > on) for s in the_plan.stays)

    assert the_plan.scale == 1.0
    assert (held(day(2020, 7, 2)), held(day(2021, 1, 1)), held(day(2022, 1, 1))) == (150, 300, 100)
