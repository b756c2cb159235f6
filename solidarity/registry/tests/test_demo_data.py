import datetime
import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from solidarity.registry.demo import PUBLISHED, PUBLISHED_WOMEN
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
    for day, published in PUBLISHED.items():
        ours = Person.objects.political_prisoners_on(day).count()
        assert abs(ours - published) <= published * 0.02, (day, published, ours)
    day, women = PUBLISHED_WOMEN
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
    series = dict(daily_series(SERIES_START, max(PUBLISHED)))
    for day, published in PUBLISHED.items():
        assert abs(series[day] - published) <= published * 0.02, (day, series[day], published)
