"""Lists of people as every public list shows them (the list, search, birthdays, the friend's page,
the API): cards with their facts, and a search's ranking kept through filters and pages."""

import datetime
import hashlib
import json
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import caches
from django.db.models import BooleanField, Func, QuerySet
from django.template.loader import get_template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from solidarity.registry import versioning
from solidarity.registry.models import Person

from .plain_words import duration, months_between

# What cards, their lists and the API's items read of a person and of the facility: loading only
# these halves what a page of people costs to load.
_TRANSLATED = ("first_name", "patronymic", "last_name")
CARD_FIELDS = [
    *(
        f"{field}{suffix}"
        for field in _TRANSLATED
        for suffix in ["", *(f"_{code}" for code, _name in settings.LANGUAGES)]
    ),
    *(
        "gender",
        "birth_date",
        "photo",
        "status",
        "imprisoned_since",
        "friend_count",
        "region",
        "current_facility",
    ),
    "current_facility__slug",
    *(
        f"current_facility__name{suffix}"
        for suffix in ["", *(f"_{code}" for code, _name in settings.LANGUAGES)]
    ),
]


def card_people() -> QuerySet:
    return Person.objects.published().select_related("current_facility").only(*CARD_FIELDS)


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


# A card lives as long as the day and the registry's version it was made on (both are in its key);
# the bound is only for a cache that never saw a change.
CARD_SECONDS = 24 * 3600


def card_rows(people: QuerySet) -> QuerySet:
    """Just what tells whether a person's kept card is still right: for lists whose cards are
    mostly kept already, so that a page loads fifty small rows instead of fifty people."""
    return people.values_list("pk", "friend_count", named=True)


def rendered_cards(rows, template_name: str, today: datetime.date, prepare=None) -> list[SafeString]:
    """Each person's card (`template_name` with `person`), made once per language, day, registry
    version and friend count, and kept in the "fragments" cache: a list page's misses load and
    render only the cards no page has shown since the registry last changed. `rows` are
    `card_rows`; `prepare(person)` adds what only this template shows."""
    prefix = f"card:{template_name}:{get_language()}:{today.isoformat()}:{versioning.current_version()}"
    keys = {row.pk: f"{prefix}:{row.pk}:{row.friend_count}" for row in rows}
    kept = caches["fragments"].get_many(list(keys.values()))
    missing = [pk for pk, key in keys.items() if key not in kept]
    if missing:
        loaded = card_people().in_bulk(missing)
        people = [loaded[pk] for pk in missing if pk in loaded]  # one deleted meanwhile has no card
        if prepare:
            for person in people:
                prepare(person)
        with_card_facts(people, today)
        template = get_template(template_name)
        made = {keys[person.pk]: template.render({"person": person}) for person in people}
        caches["fragments"].set_many(made, CARD_SECONDS)
        kept |= made
    return [mark_safe(kept[keys[row.pk]]) for row in rows if keys[row.pk] in kept]  # noqa: S308 (our template)


def rendered_filters(form) -> SafeString:
    """The list's filter form as its query fills it (only the form's own fields count), made once
    per language and registry version (its choices come from the registry): paging through a list
    renders its forty widgets once."""
    filled = sorted((name, form.data.getlist(name)) for name in form.fields if name in form.data)
    key = (
        "filters:"
        + hashlib.sha256(f"{get_language()}:{versioning.current_version()}:{filled!r}".encode()).hexdigest()
    )
    html = caches["fragments"].get(key)
    if html is None:
        html = get_template("catalogue/_filters.html").render({"form": form})
        caches["fragments"].set(key, html, CARD_SECONDS)
    return mark_safe(html)  # noqa: S308 (our own template's output)


class AmongIds(Func):
    """`expression IN (ids)` with the ids sent as one parameter instead of one each: a search
    ranks up to a thousand people, and a thousand parameters cost Django more to compile and the
    database more to bind than the query costs to run."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, expression, ids):
        super().__init__(expression)
        self.ids = list(ids)

    def as_sql(self, compiler, connection, **extra):  # PostgreSQL: an array
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} = ANY(%s)", (*params, self.ids)

    def as_sqlite(self, compiler, connection, **extra):  # SQLite: a JSON array, read by json_each
        sql, params = compiler.compile(self.source_expressions[0])
        # `sql` is the compiled column; the ids are a parameter.
        return f"{sql} IN (SELECT value FROM json_each(%s))", (*params, json.dumps(self.ids))  # noqa: S608


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
        by_pk = {_pk(row): row for row in self._people.filter(pk__in=window)}
        return [by_pk[pk] for pk in window]

    def __iter__(self):
        return iter(self[:])


def _pk(row) -> int:
    """The id of a person, a `card_rows` row or a `values()` dict."""
    return row["pk"] if isinstance(row, dict) else row.pk


def in_order(people: QuerySet, ranking: list[int] | None):
    """The filtered people as a sliceable sequence: the queryset itself, or its ranked form."""
    return people if ranking is None else RankedPeople(people, ranking)
