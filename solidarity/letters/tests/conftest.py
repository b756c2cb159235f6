import datetime

import pytest

from solidarity.catalogue.tests.helpers import prisoner
from solidarity.letters.services import load_rules
from solidarity.staff.services import create_staff_member
from solidarity.staff.tests.helpers import PASSWORD


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"


@pytest.fixture
def rules(db):
    load_rules(country="BY", actor_label="tests")


@pytest.fixture
def viktar(db, rules):
    """The addressee of the tests' letters, held in a facility with a real envelope address."""
    return prisoner(
        first_name_ru="Виктор",
        first_name_be="Віктар",
        first_name_en="Viktar",
        last_name_ru="Шелест",
        last_name_be="Шалест",
        last_name_en="Shalest",
        patronymic_ru="Петрович",
        birth_date=datetime.date(1979, 12, 3),
    )


@pytest.fixture
def volunteer(db):
    return create_staff_member(username="volunteer", roles=["letters volunteer"], password=PASSWORD).user
