"""The registry as one JSON document: the snapshot format (docs/snapshot-format.md).

The same format is what the importer reads back, so export and import round-trip exactly.
Derived values (status, current facility) are included for readers' convenience and ignored on
import: the timeline is the truth.
"""

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from .models import Article, Event, Facility, FacilityKind, Interest, Person, Region, Sentence

FORMAT = "solidarity-registry-snapshot"
VERSION = 1


def language_keys() -> list[tuple[str, str]]:
    """(language code, key in the snapshot): the Latin-spelling language is called "latin"."""
    return [
        (code, "latin" if code == settings.LATIN_LANGUAGE else code) for code, _name in settings.LANGUAGES
    ]


def translations(obj, field: str) -> dict[str, str]:
    return {code: getattr(obj, f"{field}_{code}") or "" for code, _name in settings.LANGUAGES}


def article_id(article: Article) -> str:
    return ":".join([article.code, article.number, article.part])


def _source(obj) -> dict[str, str]:
    return {"url": obj.source_url, "citation": obj.source_citation}


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _person(person: Person, facility_slugs: dict[int, str]) -> dict:
    return {
        "id": person.pk,
        "source_ref": person.source_ref,
        "source_url": person.source_url,
        "names": {
            key: {
                "first": getattr(person, f"first_name_{code}") or "",
                "patronymic": getattr(person, f"patronymic_{code}") or "",
                "last": getattr(person, f"last_name_{code}") or "",
            }
            for code, key in language_keys()
        },
        "gender": person.gender,
        "birth_date": _date(person.birth_date),
        "region": person.region.slug if person.region else None,
        "description": translations(person, "description"),
        "story": translations(person, "story"),
        "interests": sorted(interest.slug for interest in person.interests.all()),
        "photo": person.photo.name or None,
        "photo_source_url": person.photo_source_url,
        "is_published": person.is_published,
        "events": [
            {
                "date": _date(event.date),
                "kind": event.kind,
                "facility": facility_slugs.get(event.facility_id),
                "source": _source(event),
                "note": event.note,
            }
            for event in person.events.all()
        ],
        "sentences": [
            {
                "verdict_date": _date(sentence.verdict_date),
                "term_months": sentence.term_months,
                "regime": sentence.regime,
                "articles": sorted(article_id(article) for article in sentence.articles.all()),
                "court": sentence.court,
                "judge": sentence.judge,
                "appeal_date": _date(sentence.appeal_date),
                "note": sentence.note,
                "source": _source(sentence),
            }
            for sentence in person.sentences.all()
        ],
        "derived": {
            "status": person.status,
            "current_facility": facility_slugs.get(person.current_facility_id),
            "imprisoned_since": _date(person.imprisoned_since),
        },
    }


def build_snapshot() -> dict:
    facilities = list(Facility.objects.select_related("kind", "region"))
    facility_slugs = {facility.pk: facility.slug for facility in facilities}
    people = (
        Person.objects.select_related("region")
        .prefetch_related(
            "interests",
            Prefetch("events", queryset=Event.objects.order_by("date", "id")),
            Prefetch(
                "sentences",
                queryset=Sentence.objects.prefetch_related("articles").order_by("verdict_date", "id"),
            ),
        )
        .order_by("pk")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "country": settings.COUNTRY,
        "languages": [code for code, _name in settings.LANGUAGES],
        "regions": [{"id": r.slug, "name": translations(r, "name")} for r in Region.objects.all()],
        "facility_kinds": [
            {"id": k.slug, "name": translations(k, "name")} for k in FacilityKind.objects.all()
        ],
        "interests": [{"id": i.slug, "name": translations(i, "name")} for i in Interest.objects.all()],
        "articles": [
            {
                "id": article_id(a),
                "code": a.code,
                "number": a.number,
                "part": a.part,
                "title": translations(a, "title"),
            }
            for a in Article.objects.all()
        ],
        "facilities": [
            {
                "id": f.slug,
                "kind": f.kind.slug,
                "name": translations(f, "name"),
                "code": {"cyrillic": f.code_cyrillic, "latin": f.code_latin},
                "region": f.region.slug if f.region else None,
                "city": translations(f, "city"),
                "postal_code": f.postal_code,
                "street": {"cyrillic": f.street_cyrillic, "latin": f.street_latin},
                "postal_address": {"cyrillic": f.postal_address_cyrillic, "latin": f.postal_address_latin},
                "holds_women": f.holds_women,
            }
            for f in facilities
        ],
        "people": [_person(person, facility_slugs) for person in people.iterator(chunk_size=2000)],
    }
