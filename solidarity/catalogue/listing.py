"""Lists of people as every public list shows them (the list, search, birthdays, the friend's page,
the API): cards with their facts, and a search's ranking kept through filters and pages."""

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from solidarity.registry.models import Person

from .plain_words import duration, months_between

# What a card never shows, and is the bulk of a person's row.
NOT_ON_CARDS = [
    f"{field}{suffix}"
    for field in ("story", "description")
    for suffix in ["", *(f"_{code}" for code, _name in settings.LANGUAGES)]
]


def card_people() -> QuerySet:
    return Person.objects.published().select_related("current_facility").defer(*NOT_ON_CARDS)


def with_card_facts(people, today: datetime.date) -> list:
    """Adds what a card shows, each read once: the name in this language, the profile's address,
    the facility's name, age and time served."""
    profiles = reverse("people_list")  # one reverse() per list, not two per card
    for person in people:
        person.name = person.full_name
        person.url = f"{profiles}{person.pk}/"
        person.facility_name = person.current_facility.name if person.current_facility else ""
        person.age = person.age_on(today)
        person.time_served = (
            duration(months_between(person.imprisoned_since, today)) if person.imprisoned_since else None
        )
    return people


class RankedPeople(Sequence):
    """The people of a queryset in a search's order (best match first), counted at once and
    loaded only for the slice asked for, so a paginator or an API window reads one page."""

    def __init__(self, people: QuerySet, ranking: list[int]):
        wanted = set(people.values_list("pk", flat=True))
        self._people = people
        self._pks = [pk for pk in ranking if pk in wanted]

    def __len__(self) -> int:
        return len(self._pks)

    def count(self) -> int:  # what Paginator asks for
        return len(self._pks)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self._people.get(pk=self._pks[index])
        window = self._pks[index]
        by_pk = self._people.in_bulk(window)
        return [by_pk[pk] for pk in window]

    def __iter__(self):
        return iter(self[:])


def in_order(people: QuerySet, ranking: list[int] | None):
    """The filtered people as a sliceable sequence: the queryset itself, or its ranked form."""
    return people if ranking is None else RankedPeople(people, ranking)
