import csv
import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from solidarity.core import plugins
from solidarity.core.page_cache import kept_fragment
from solidarity.core.pages import public_page
from solidarity.core.spreadsheets import spreadsheet_safe
from solidarity.registry.country import post_days
from solidarity.registry.models import (
    IN_CUSTODY,
    Event,
    EventKind,
    Facility,
    Person,
    Sentence,
    Status,
    next_birthday,
)

from . import search
from .forms import PeopleFilter, birthdays_in_time_for_the_post
from .listing import card_people, card_rows, in_order, rendered_cards, rendered_filters
from .plain_words import duration, months_between, sentence_in_words

PAGE_SIZE = 50
# Events too routine for the home page's news. (Excluding them, rather than listing the others,
# lets the database walk the newest-first index instead of sorting.)
ROUTINE_KINDS = [EventKind.CHARGED, EventKind.INCOMMUNICADO]


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """The count, the ways to help and the news: made once per language, day and registry version
    (it shows no friend count), whatever the address's query says."""

    def content() -> str:
        published = Person.objects.published()
        held = published.filter(status=Status.POLITICAL_PRISONER)
        recent = (
            Event.objects.exclude(kind__in=ROUTINE_KINDS)
            .filter(person__is_published=True, date__lte=timezone.localdate())
            .select_related("person", "facility")
            .order_by("-date", "-id")[:10]
        )
        cards = [
            {"title": card.title, "text": card.text, "url": reverse(card.url_name)}
            for card in plugins.help_cards
        ]
        return render_to_string(
            "catalogue/_home.html",
            {
                "prisoner_count": held.count(),
                "women_count": held.filter(gender=Person.Gender.FEMALE).count(),
                "as_of": timezone.localdate(),
                "recent_events": recent,
                "help_cards": cards,
                "source_name": settings.REGISTRY_SOURCE_NAME,
                "source_url": settings.REGISTRY_SOURCE_URL,
            },
        )

    page = kept_fragment("home", content)
    return render(request, "catalogue/home.html", {"content": mark_safe(page)})  # noqa: S308 (our template)


def _people_list(query: QueryDict, page_number: str) -> str:
    today = timezone.localdate()
    form = PeopleFilter(query or None)
    people, ranking = form.order(form.filter(card_people(), today))
    page = Paginator(in_order(card_rows(people), ranking), PAGE_SIZE).get_page(page_number)
    return render_to_string(
        "catalogue/_people_list.html",
        {
            "filters": rendered_filters(form),
            # Folded on a phone unless in use (`js/filters.js` unfolds them on a wide screen).
            "filters_open": any(query.values()),
            "page": page,
            "cards": rendered_cards(page.object_list, "catalogue/_person_card.html", today),
            "query": query.urlencode(),
        },
    )


@public_page
def people_list(request: HttpRequest) -> HttpResponse:
    """The list as the filters and the page ask for it, kept for as long as its friend counts may
    lag (`PAGE_CACHE_SECONDS`): an address with anything else in its query (a link's click
    identifier) or a visitor with a cookie costs the frame around it. Its links carry only the
    filters, never what else the address held."""
    query = QueryDict(mutable=True)
    for name in PeopleFilter.base_fields:
        if any(values := request.GET.getlist(name)):
            query.setlist(name, values)
    asked = request.GET.get("page", "")
    # One kept list per page, not one per spelling of its number (page=02, page=abc).
    page_number = str(int(asked)) if asked.isascii() and asked.isdigit() and len(asked) < 10 else ""
    content = kept_fragment(
        f"list:{query.urlencode()}:{page_number}",
        lambda: _people_list(query, page_number),
        settings.PAGE_CACHE_SECONDS,
    )
    return render(request, "catalogue/people_list.html", {"content": mark_safe(content)})  # noqa: S308 (our template)


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
    return {
        "person": person,
        "today": today,
        "age": person.age_on(today),
        "events": list(person.events.all()),
        "sentences": sentences,
        "sentence_words": (
            sentence_in_words(latest, person.imprisoned_since, today, held=person.status in IN_CUSTODY)
            if latest
            else None
        ),
        "time_served": (
            duration(months_between(person.imprisoned_since, today)) if person.imprisoned_since else None
        ),
        "in_custody": person.status in IN_CUSTODY,
        "names": [(code, name, person.name_in(code)) for code, name in settings.LANGUAGES],
    }


def _sections(person: Person, today: datetime.date) -> dict[str, list[tuple[str, dict]]]:
    """What the apps that registered a profile section have to show about this person, by place."""
    shown: dict[str, list[tuple[str, dict]]] = {"help": [], "after": []}
    for section in plugins.profile_sections:
        context = section.context(person, today)
        if context is not None:
            shown.setdefault(section.place, []).append((section.template, context))
    return shown


@public_page
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The profile: its record (the person, the sentence, the timeline and what the apps add) is
    made once per language, day, versions and friend count, so that a miss of the page cache costs
    one small query instead of nine."""
    person = get_object_or_404(Person.objects.published().values_list("friend_count", named=True), pk=pk)

    def record() -> dict:
        context = _profile_context(_person_with_record(pk))
        context["sections"] = _sections(context["person"], context["today"])
        return {
            "title": context["person"].full_name,
            "html": render_to_string("catalogue/_profile.html", context),
        }

    made = kept_fragment(f"profile:{pk}:{person.friend_count}", record)
    return render(
        request,
        "catalogue/person_detail.html",
        {"title": made["title"], "record": mark_safe(made["html"])},  # noqa: S308 (our own template)
    )


@public_page
def person_print(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "catalogue/person_print.html", _profile_context(_person_with_record(pk)))


# The birthdays page: two weeks of birthdays that a card posted today reaches in time, then the
# four weeks after them.
IN_TIME_DAYS, AFTER_DAYS = 14, 28


def _birthdays() -> str:
    today = timezone.localdate()
    held = card_people().filter(status=Status.POLITICAL_PRISONER, birth_date__isnull=False)
    rows = birthdays_in_time_for_the_post(held, today, IN_TIME_DAYS + AFTER_DAYS - 1).values_list(
        "pk", "friend_count", "birth_date", "last_name", named=True
    )
    upcoming = sorted(rows, key=lambda row: (next_birthday(row.birth_date, today), row.last_name))
    first_day = today + datetime.timedelta(days=post_days())
    after_day = first_day + datetime.timedelta(days=IN_TIME_DAYS)
    in_time = [row for row in upcoming if next_birthday(row.birth_date, today) < after_day]
    later = upcoming[len(in_time) :]

    def prepare(person: Person) -> None:
        person.birthday = person.next_birthday(today)
        person.turns = person.birthday.year - person.birth_date.year

    return render_to_string(
        "catalogue/_birthdays.html",
        {
            "first_day": first_day,
            "after_day": after_day,
            "post_days": post_days(),
            "in_time": in_time,
            "later": later,
            "in_time_cards": rendered_cards(in_time, "catalogue/_birthday_card.html", today, prepare),
            "later_cards": rendered_cards(later, "catalogue/_birthday_card.html", today, prepare),
        },
    )


@public_page
def birthdays(request: HttpRequest) -> HttpResponse:
    """Birthdays far enough ahead for a card to arrive: none of today's, which no card reaches.
    Kept, like the list, for as long as its friend counts may lag."""
    content = kept_fragment("birthdays", _birthdays, settings.PAGE_CACHE_SECONDS)
    return render(request, "catalogue/birthdays.html", {"content": mark_safe(content)})  # noqa: S308 (our template)


@public_page
def search_page(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:200]
    people, facilities = [], []
    if query:
        hits = search.search_people(query, limit=30)
        people = rendered_cards(
            list(in_order(card_rows(card_people()), [hit.pk for hit in hits])),
            "catalogue/_person_card.html",
            timezone.localdate(),
        )
        facility_hits = search.search_facilities(query, limit=10)
        found = Facility.objects.select_related("kind").in_bulk([hit.pk for hit in facility_hits])
        facilities = [found[hit.pk] for hit in facility_hits if hit.pk in found]
    return render(request, "catalogue/search.html", {"q": query, "people": people, "facilities": facilities})


@public_page
def facility_detail(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(Facility.objects.select_related("kind", "region"), slug=slug)
    held = Person.objects.published().filter(current_facility=facility, status=Status.POLITICAL_PRISONER)
    today = timezone.localdate()
    sections = [
        (section.template, context)
        for section in plugins.facility_sections
        if (context := section.context(facility, today)) is not None
    ]
    return render(
        request,
        "catalogue/facility_detail.html",
        {"facility": facility, "held_count": held.count(), "sections": sections},
    )


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
    people, ranking = form.order(form.filter(card_people().select_related("region"), today))
    people = people.iterator(chunk_size=2000) if ranking is None else in_order(people, ranking)
    base = request.build_absolute_uri("/")[:-1]

    def rows():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # the BOM makes spreadsheets read UTF-8
        for person in people:
            yield writer.writerow(
                spreadsheet_safe(value)
                for value in (
                    person.pk,
                    person.name_in("be"),
                    person.name_in("ru"),
                    person.name_in(settings.LATIN_LANGUAGE),
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
