import csv
import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control

from solidarity.letters import services as letters
from solidarity.letters.models import Reachability
from solidarity.registry.models import Event, Facility, Person, Sentence, Status

from . import search
from .forms import PeopleFilter, birthdays_within
from .plain_words import duration, months_between, sentence_in_words

PAGE_SIZE = 50
public_page = cache_control(public=True, max_age=300)


def _card_people():
    return Person.objects.published().select_related("current_facility")


def _page_of(people, ranked: list[int] | None, page_number: str | None):
    """A page of people; with a search ranking, in its order."""
    if ranked is None:
        return Paginator(people, PAGE_SIZE).get_page(page_number)
    wanted = set(people.values_list("pk", flat=True))
    page = Paginator([pk for pk in ranked if pk in wanted], PAGE_SIZE).get_page(page_number)
    by_pk = _card_people().in_bulk(list(page.object_list))
    page.object_list = [by_pk[pk] for pk in page.object_list]
    return page


def with_card_facts(people, today: datetime.date) -> list:
    for person in people:
        person.age = person.age_on(today)
        person.time_served = (
            duration(months_between(person.imprisoned_since, today)) if person.imprisoned_since else None
        )
    return people


@public_page
def people_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = PeopleFilter(request.GET or None)
    people, ranked = form.order(form.filter(_card_people(), today))
    page = _page_of(people, ranked, request.GET.get("page"))
    with_card_facts(page.object_list, today)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalogue/people_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": today},
    )


def _person_with_record(pk: int) -> Person:
    people = (
        Person.objects.published()
        .select_related("region", "current_facility__kind")
        .prefetch_related(
            "interests",
            Prefetch("events", queryset=Event.objects.select_related("facility").order_by("date", "id")),
            Prefetch(
                "sentences",
                queryset=Sentence.objects.prefetch_related("articles").order_by("verdict_date", "id"),
            ),
        )
    )
    return get_object_or_404(people, pk=pk)


def _profile_context(person: Person) -> dict:
    today = timezone.localdate()
    sentences = list(person.sentences.all())
    latest = sentences[-1] if sentences else None
    events = list(person.events.all())
    in_custody = person.status in {Status.POLITICAL_PRISONER, Status.PERSECUTED}
    return {
        "person": person,
        "today": today,
        "age": person.age_on(today),
        "events": events,
        "sentences": sentences,
        "sentence_words": sentence_in_words(latest, person.imprisoned_since, today) if latest else None,
        "time_served": (
            duration(months_between(person.imprisoned_since, today)) if person.imprisoned_since else None
        ),
        "in_custody": in_custody,
        "letters_known": letters.reachability_of(person) if in_custody else None,
        "letters_mailed": letters.letters_mailed_to(person),
        "statuses": Reachability.Status,
        "names": [(code, name, _names_in(person, code)) for code, name in settings.LANGUAGES],
    }


def _names_in(person: Person, code: str) -> str:
    parts = [getattr(person, f"{field}_{code}") for field in ("first_name", "patronymic", "last_name")]
    return " ".join(part for part in parts if part)


@public_page
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "catalogue/person_detail.html", _profile_context(_person_with_record(pk)))


@public_page
def person_print(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "catalogue/person_print.html", _profile_context(_person_with_record(pk)))


@public_page
def birthdays(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    held = _card_people().filter(status=Status.POLITICAL_PRISONER, birth_date__isnull=False)
    month_end = today.replace(day=1) + datetime.timedelta(days=32)
    days_left_in_month = (month_end.replace(day=1) - today).days - 1
    upcoming = list(birthdays_within(held, today, max(6, days_left_in_month)))
    for person in upcoming:
        person.birthday = person.next_birthday(today)
        person.turns = person.birthday.year - person.birth_date.year
    upcoming.sort(key=lambda p: (p.birthday, p.last_name))
    with_card_facts(upcoming, today)
    week_end = today + datetime.timedelta(days=6)
    return render(
        request,
        "catalogue/birthdays.html",
        {
            "today": today,
            "this_week": [p for p in upcoming if p.birthday <= week_end],
            "later_this_month": [
                p for p in upcoming if p.birthday > week_end and p.birthday.month == today.month
            ],
        },
    )


@public_page
def search_page(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    people, facilities = [], []
    if query:
        hits = search.search_people(query, limit=30)
        by_pk = _card_people().in_bulk([hit.pk for hit in hits])
        people = with_card_facts([by_pk[hit.pk] for hit in hits if hit.pk in by_pk], timezone.localdate())
        facility_hits = search.search_facilities(query, limit=10)
        found = Facility.objects.select_related("kind").in_bulk([hit.pk for hit in facility_hits])
        facilities = [found[hit.pk] for hit in facility_hits if hit.pk in found]
    return render(request, "catalogue/search.html", {"q": query, "people": people, "facilities": facilities})


@public_page
def facility_detail(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("kind", "region"), slug=slug)
    held = Person.objects.published().filter(current_facility=facility, status=Status.POLITICAL_PRISONER)
    return render(
        request, "catalogue/facility_detail.html", {"facility": facility, "held_count": held.count()}
    )


# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


CSV_COLUMNS = [
    "id",
    "name_be",
    "name_ru",
    "name_latin",
    "gender",
    "birth_date",
    "status",
    "facility",
    "region",
    "in_custody_since",
    "friend_count",
    "profile",
]


@public_page
def people_csv(request: HttpRequest) -> StreamingHttpResponse:
    today = timezone.localdate()
    form = PeopleFilter(request.GET or None)
    people, ranked = form.order(form.filter(_card_people().select_related("region"), today))
    if ranked is not None:
        by_pk = people.in_bulk()
        people = [by_pk[pk] for pk in ranked if pk in by_pk]
    else:
        people = people.iterator(chunk_size=2000)
    base = request.build_absolute_uri("/")[:-1]

    def rows():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # the BOM makes spreadsheets read UTF-8
        for person in people:
            yield writer.writerow(
                spreadsheet_safe(value)
                for value in (
                    person.pk,
                    _names_in(person, "be"),
                    _names_in(person, "ru"),
                    _names_in(person, settings.LATIN_LANGUAGE),
                    person.gender,
                    person.birth_date,
                    person.status,
                    person.current_facility.slug if person.current_facility else "",
                    person.region.slug if person.region else "",
                    person.imprisoned_since,
                    person.friend_count,
                    base + reverse("person_detail", args=[person.pk]),
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="people-{today:%Y-%m-%d}.csv"'
    return response
