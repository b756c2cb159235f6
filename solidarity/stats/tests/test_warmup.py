"""A worker warms up before its first visitor (`core.warmup`, from gunicorn's post_worker_init)."""

import pytest

from solidarity.catalogue import search
from solidarity.catalogue.tests.helpers import prisoner
from solidarity.core.warmup import warm_up
from solidarity.registry import versioning
from solidarity.stats import computations


@pytest.mark.django_db
def test_a_worker_warms_up_the_index_the_facts_and_the_pages_in_every_language():
    person = prisoner(last_name_en="Warm")
    rendered = warm_up()
    assert {"/be/", "/ru/", "/en/", "/en/people/", "/en/birthdays/", "/en/statistics/"} <= set(rendered)
    assert f"/ru/people/{person.pk}/" in rendered
    assert search.INDEX._held[0] == versioning.current_version()
    assert computations.FACTS._held[0] == versioning.current_version()
