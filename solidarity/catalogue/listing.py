"""Lists of people as every public list shows them (the list, search, birthdays, the friend's page,
the API): cards with their facts, and a search's ranking kept through filters and pages."""

import datetime
from collections.abc import Sequence

from django.db.models import QuerySet

from solidarity.registry.models import Person

from .plain_words import duration, months_between


def card_people() -> QuerySet:
    return Person.objects.published().select_related("current_facility")


def with_card_facts(people, today: datetime.date) -> list:
    """Adds what a card shows and the database does not hold: age and time served."""
    for person in people:
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
