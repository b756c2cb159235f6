"""The registry as one JSON document: the snapshot format (docs/snapshot-format.md).

The same format is what the importer reads back, so export and import round-trip exactly.
Derived values (status, current facility) are included for readers' convenience and ignored on
import: the timeline is the truth.
"""

from collections import defaultdict

from django.conf import settings
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


def find_article(public_id: str) -> Article | None:
    """The article an `article_id` ("criminal:342:1") names, or None."""
    code, _sep, rest = public_id.partition(":")
    number, _sep, part = rest.partition(":")
    return Article.objects.filter(code=code, number=number, part=part).first()


def _source(url: str, citation: str) -> dict[str, str]:
    return {"url": url, "citation": citation}


def _date(value) -> str | None:
    return value.isoformat() if value else None


def _grouped(rows, key_index: int = 0) -> dict:
    groups: dict = defaultdict(list)
    for row in rows:
        groups[row[key_index]].append(row)
    return groups


def _people(facility_slugs: dict[int, str]) -> list[dict]:
    """Every person with timeline and sentences, read with a handful of flat queries (no
    per-person querysets: at 50,000 people the ORM's prefetching costs more than the data)."""
    codes = [code for code, _name in settings.LANGUAGES]
    regions = dict(Region.objects.values_list("pk", "slug"))
    interest_slugs = dict(Interest.objects.values_list("pk", "slug"))
    article_ids = {a.pk: article_id(a) for a in Article.objects.all()}
    interests = _grouped(Person.interests.through.objects.values_list("person_id", "interest_id"))
    events = _grouped(
        Event.objects.order_by("person_id", "date", "id").values_list(
            "person_id", "date", "kind", "facility_id", "source_url", "source_citation", "note_code", "note"
        )
    )
    sentence_articles = _grouped(Sentence.articles.through.objects.values_list("sentence_id", "article_id"))
    sentences = _grouped(
        Sentence.objects.order_by("person_id", "verdict_date", "id").values_list(
            "person_id",
            "id",
            "verdict_date",
            "term_months",
            "regime",
            "court",
            "judge",
            "appeal_date",
            "note",
            "source_url",
            "source_citation",
        )
    )
    translated = [
        f"{field}_{code}"
        for field in ("first_name", "patronymic", "last_name", "description", "story")
        for code in codes
    ]
    people = []
    for row in (
        Person.objects.order_by("pk")
        .values(
            "pk",
            "source_ref",
            "source_url",
            "gender",
            "birth_date",
            "region_id",
            "photo",
            "photo_source_url",
            "is_published",
            "status",
            "current_facility_id",
            "imprisoned_since",
            *translated,
        )
        .iterator(chunk_size=5000)
    ):
        pk = row["pk"]
        people.append(
            {
                "id": pk,
                "source_ref": row["source_ref"],
                "source_url": row["source_url"],
                "names": {
                    key: {
                        "first": row[f"first_name_{code}"] or "",
                        "patronymic": row[f"patronymic_{code}"] or "",
                        "last": row[f"last_name_{code}"] or "",
                    }
                    for code, key in language_keys()
                },
                "gender": row["gender"],
                "birth_date": _date(row["birth_date"]),
                "region": regions.get(row["region_id"]),
                "description": {code: row[f"description_{code}"] or "" for code in codes},
                "story": {code: row[f"story_{code}"] or "" for code in codes},
                "interests": sorted(interest_slugs[interest] for _person, interest in interests.get(pk, [])),
                "photo": row["photo"] or None,
                "photo_source_url": row["photo_source_url"],
                "is_published": row["is_published"],
                "events": [
                    {
                        "date": _date(date),
                        "kind": kind,
                        "facility": facility_slugs.get(facility),
                        "source": _source(url, citation),
                        "note_code": note_code,
                        "note": note,
                    }
                    for _person, date, kind, facility, url, citation, note_code, note in events.get(pk, [])
                ],
                "sentences": [
                    {
                        "verdict_date": _date(verdict),
                        "term_months": term,
                        "regime": regime,
                        "articles": sorted(article_ids[a] for _s, a in sentence_articles.get(sentence, [])),
                        "court": court,
                        "judge": judge,
                        "appeal_date": _date(appeal),
                        "note": note,
                        "source": _source(url, citation),
                    }
                    for (
                        _person,
                        sentence,
                        verdict,
                        term,
                        regime,
                        court,
                        judge,
                        appeal,
                        note,
                        url,
                        citation,
                    ) in sentences.get(pk, [])
                ],
                "derived": {
                    "status": row["status"],
                    "current_facility": facility_slugs.get(row["current_facility_id"]),
                    "imprisoned_since": _date(row["imprisoned_since"]),
                },
            }
        )
    return people


def facility_record(f: Facility) -> dict:
    """A facility as the snapshot and the open-data API describe it (load `kind` and `region`)."""
    return {
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


def article_record(a: Article) -> dict:
    """An article of a legal code as the snapshot and the open-data API describe it."""
    return {
        "id": article_id(a),
        "code": a.code,
        "number": a.number,
        "part": a.part,
        "title": translations(a, "title"),
    }


def build_snapshot() -> dict:
    facilities = list(Facility.objects.select_related("kind", "region"))
    facility_slugs = {facility.pk: facility.slug for facility in facilities}
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
        "articles": [article_record(a) for a in Article.objects.all()],
        "facilities": [facility_record(f) for f in facilities],
        "people": _people(facility_slugs),
    }
