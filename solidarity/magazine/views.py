"""The magazine's public pages: read-only, cacheable, no cookie, nothing needs JavaScript."""

import datetime
from urllib.parse import quote

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from solidarity.core.pages import public_page
from solidarity.registry.models import IN_CUSTODY, Event, Person

from . import issues, reading
from .forms import SearchForm
from .models import Article, Tag

PER_PAGE = 12


def _listing(request: HttpRequest, articles, template: str, **context) -> HttpResponse:
    page = Paginator(articles, PER_PAGE).get_page(request.GET.get("page"))
    context.update(page=page, cards=reading.cards(page.object_list), kinds=Article.Kind.choices)
    return render(request, template, context)


@public_page
def front(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    articles = reading.published()
    if kind in Article.Kind.values:
        articles = articles.filter(kind=kind)
    else:
        kind = ""
    tags = Tag.objects.filter(articles__status=Article.Status.PUBLISHED).distinct().order_by("slug")
    return _listing(
        request,
        reading.listed(articles),
        "magazine/front.html",
        kind=kind,
        tags=list(tags),
        search_form=SearchForm(),
        months=issues.months()[:6],
    )


@public_page
def by_tag(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    return _listing(
        request,
        reading.listed(reading.published().filter(tags=tag)),
        "magazine/listing.html",
        heading=_("Stories tagged “%(tag)s”") % {"tag": tag.name},
        feed=None,
    )


@public_page
def about_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.published(), pk=pk)
    return _listing(
        request,
        reading.about(person),
        "magazine/listing.html",
        heading=_("Stories about %(name)s") % {"name": person.full_name},
        person=person,
        feed=reverse("magazine_person_feed", args=[pk]),
    )


@public_page
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    articles = reading.search(form.cleaned_data["q"]) if form.is_valid() else Article.objects.none()
    return _listing(
        request,
        articles,
        "magazine/search.html",
        search_form=form,
        searched=form.is_bound,
        encoded_query=quote(form.cleaned_data["q"]) if form.is_valid() else "",
    )


def _other_languages(article: Article, shown: str) -> list[tuple[str, str, str]]:
    others = []
    for code in article.languages():
        if code != shown:
            with translation.override(code):
                others.append(
                    (code, dict(settings.LANGUAGES)[code], reverse("magazine_article", args=[article.slug]))
                )
    return others


@public_page
def article(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(reading.published().prefetch_related("authors", "tags", "images"), slug=slug)
    wanted = translation.get_language()
    language = reading.shown_language(found, wanted)
    if language is None:
        raise Http404
    subjects = _with_latest_events(list(found.subjects.published().select_related("current_facility")))
    context = reading.page_of(found, language)
    context.update(
        translated=language == wanted,
        also_in=_other_languages(found, language),
        subjects=subjects,
        related=reading.cards(reading.related(found, [person.pk for person in subjects])),
        authors=", ".join(author.name for author in found.authors.all()),
        updated=found.updated_at if found.updated_at.date() > found.published_at.date() else None,
    )
    return render(request, "magazine/article.html", context)


def _with_latest_events(people: list[Person]) -> list[Person]:
    """Each person with the latest event of their timeline up to today, so that a story shows
    what became of its subject since (released last week, transferred)."""
    latest: dict[int, Event] = {}
    events = Event.objects.filter(person__in=people, date__lte=timezone.localdate()).order_by("date", "pk")
    for event in events.select_related("facility"):
        latest[event.person_id] = event
    for person in people:
        person.latest_event = latest.get(person.pk)
        if person.latest_event is not None:
            person.latest_event.person = person  # its label agrees with the person's gender
        person.in_custody = person.status in IN_CUSTODY
    return people


@public_page
def issue_list(request: HttpRequest) -> HttpResponse:
    return render(request, "magazine/issues.html", {"months": issues.months()})


def _month(year: int, month: int) -> datetime.date:
    try:
        first = datetime.date(year, month, 1)
    except (ValueError, OverflowError) as error:
        raise Http404 from error
    if first > timezone.localdate():
        raise Http404
    return first


@public_page
def issue_epub(request: HttpRequest, year: int, month: int) -> HttpResponse:
    made = issues.epub(_month(year, month), translation.get_language(), request.build_absolute_uri("/"))
    if made is None:
        raise Http404
    response = HttpResponse(made, content_type="application/epub+zip")
    response["Content-Disposition"] = f'attachment; filename="magazine-{year}-{month:02d}.epub"'
    return response


@public_page
def issue_pdf(request: HttpRequest, year: int, month: int) -> HttpResponse:
    made = issues.pdf(_month(year, month), translation.get_language(), request.build_absolute_uri("/"))
    if made is None:
        raise Http404
    response = HttpResponse(made, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="magazine-{year}-{month:02d}.pdf"'
    return response
