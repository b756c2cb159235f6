"""An Atom feed of changes to the registry: new political prisoners, releases, transfers."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from solidarity.registry.models import Event, EventKind

FEED_KINDS = [
    EventKind.RECOGNIZED,
    EventKind.RELEASED,
    EventKind.PARDONED,
    EventKind.TRANSFERRED,
    EventKind.DIED,
]


class RegistryChangesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Political prisoners: changes to the registry")
    subtitle = _("New political prisoners, releases and transfers, each with its source.")

    def get_object(self, request):
        return request.get_host()  # one feed object serves every thread: the host travels as `obj`

    def link(self):
        return reverse("people_list")

    def author_name(self) -> str:
        return str(settings.SITE_NAME)

    def items(self, host: str):
        events = list(
            Event.objects.filter(
                kind__in=FEED_KINDS, person__is_published=True, date__lte=timezone.localdate()
            )
            .select_related("person", "facility")
            .order_by("-date", "-id")[:100]
        )
        for event in events:
            # A tag URI (RFC 4151): absolute, as Atom wants ids, and stable when addresses change.
            event.feed_id = f"tag:{host},2020:event-{event.pk}"
        return events

    def item_title(self, event: Event) -> str:
        title = f"{event.person.full_name}: {event.label}"
        return f"{title} · {event.facility.name}" if event.facility else title

    def item_description(self, event: Event) -> str:
        return event.note_text or event.source

    def item_link(self, event: Event) -> str:
        return reverse("person_detail", args=[event.person_id]) + f"#event-{event.pk}"

    def item_guid(self, event: Event) -> str:
        return event.feed_id

    item_guid_is_permalink = False

    def item_pubdate(self, event: Event) -> datetime.datetime:
        return datetime.datetime.combine(event.date, datetime.time.min, tzinfo=datetime.UTC)

    def item_updateddate(self, event: Event):
        return event.created_at
