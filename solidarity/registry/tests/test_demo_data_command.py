import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from solidarity.registry.models import Person


@pytest.mark.django_db
def test_a_small_demo_registry_scales_the_curve_down_and_has_exactly_the_people_asked_for():
    call_command("demo_data", "--people", "60", "--seed", "1")
    assert Person.objects.count() == 60
    peak = Person.objects.political_prisoners_on(datetime.date(2022, 10, 1)).count()
    assert 10 <= peak <= 60
    assert Person.objects.political_prisoners_on(datetime.date(2023, 5, 21)).count() < peak


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_registry():
    call_command("demo_data", "--people", "40", "--seed", "5")
    first = list(Person.objects.order_by("source_ref").values_list("last_name_en", "birth_date"))
    call_command("demo_data", "--people", "40", "--seed", "5", "--replace")
    assert list(Person.objects.order_by("source_ref").values_list("last_name_en", "birth_date")) == first


@pytest.mark.django_db
def test_demo_data_refuses_to_mix_with_an_existing_registry():

    call_command("demo_data", "--people", "20")
    with pytest.raises(CommandError):
        call_command("demo_data", "--people", "20")
    call_command("demo_data", "--people", "20", "--if-empty")
    assert Person.objects.count() == 20
