from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import cache_control

from solidarity.registry.models import Event, EventKind, Person, Status

# Events too routine for the home page's news. (Excluding them, rather than listing the others,
# lets the database walk the newest-first index instead of sorting.)
ROUTINE_KINDS = [EventKind.CHARGED, EventKind.INCOMMUNICADO]


@cache_control(public=True, max_age=300)
def home(request: HttpRequest) -> HttpResponse:
    published = Person.objects.published()
    recent = (
        Event.objects.exclude(kind__in=ROUTINE_KINDS)
        .filter(person__is_published=True, date__lte=timezone.localdate())
        .select_related("person", "facility")
        .order_by("-date", "-id")[:10]
    )
    return render(
        request,
        "core/home.html",
        {
            "prisoner_count": published.filter(status=Status.POLITICAL_PRISONER).count(),
            "women_count": published.filter(
                status=Status.POLITICAL_PRISONER, gender=Person.Gender.FEMALE
            ).count(),
            "as_of": timezone.localdate(),
            "recent_events": recent,
        },
    )
