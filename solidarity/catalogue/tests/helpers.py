import datetime

from solidarity.registry.models import EventKind, Person
from solidarity.registry.services import refresh_all_derived_fields
from solidarity.registry.tests.factories import EventFactory, FacilityFactory, PersonFactory


def prisoner(detained=datetime.date(2021, 3, 12), facility=None, released=None, **names) -> Person:
    """A published person recognised as a political prisoner, with derived fields refreshed."""
    person = PersonFactory(**names)
    EventFactory(
        person=person, kind=EventKind.DETAINED, date=detained, facility=facility or FacilityFactory()
    )
    EventFactory(person=person, kind=EventKind.RECOGNIZED, date=detained + datetime.timedelta(days=20))
    if released:
        EventFactory(person=person, kind=EventKind.RELEASED, date=released)
    refresh_all_derived_fields()
    person.refresh_from_db()
    return person
