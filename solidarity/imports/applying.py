"""Applying a plan: every accepted change, in one transaction, each one in the audit history with
the import as its author. Writes in bulk, so that thousands of new people take seconds."""

import re
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from solidarity.audit.models import AuditEntry
from solidarity.audit.services import new_entry
from solidarity.registry.country import save_facility
from solidarity.registry.models import (
    Article,
    Event,
    FacilityKind,
    Interest,
    Person,
    Region,
    Sentence,
)
from solidarity.registry.services import refresh_all_derived_fields

from .mapping import ArticleRef, FacilityRef, IncomingSentence
from .models import FacilityAlias
from .planning import Change, Plan, Registry


class Applier:
    def __init__(self, plan: Plan, actor_label: str, actor=None):
        self.plan = plan
        self.actor_label = actor_label
        self.actor = actor if getattr(actor, "pk", None) else None
        self.registry = Registry()
        self.regions = dict(Region.objects.values_list("slug", "pk"))
        self.interests = dict(Interest.objects.values_list("slug", "pk"))
        self.audit: list[AuditEntry] = []
        self.created_facilities = 0

    # --- reference data -----------------------------------------------------------------------

    def load_snapshot_reference(self) -> None:
        """A snapshot brings its own regions, kinds, interests, articles and facilities."""
        reference = self.plan.reference or {}
        languages = [code for code, _n in settings.LANGUAGES]

        def names(item: dict, key: str = "name") -> dict:
            return {f"{key}_{code}": (item.get(key) or {}).get(code, "") for code in languages}

        for item in reference.get("regions", []):
            Region.objects.update_or_create(slug=item["id"], defaults=names(item))
        for item in reference.get("facility_kinds", []):
            FacilityKind.objects.update_or_create(slug=item["id"], defaults=names(item))
        for item in reference.get("interests", []):
            Interest.objects.update_or_create(slug=item["id"], defaults=names(item))
        for item in reference.get("articles", []):
            Article.objects.update_or_create(
                code=item["code"], number=item["number"], part=item["part"], defaults=names(item, "title")
            )
        kinds = {kind.slug: kind for kind in FacilityKind.objects.all()}
        regions = {region.slug: region for region in Region.objects.all()}
        for item in reference.get("facilities", []):
            save_facility(
                {**item, "slug": item["id"], "women": item["holds_women"]},
                kind=kinds[item["kind"]],
                region=regions.get(item.get("region")),
            )
        self.registry = Registry()
        self.regions = dict(Region.objects.values_list("slug", "pk"))
        self.interests = dict(Interest.objects.values_list("slug", "pk"))

    def facility_id(self, ref: FacilityRef | None) -> int | None:
        if ref is None:
            return None
        slug = self.registry.facility_slug(ref)
        if slug is None:
            slug = self._create_facility(ref)
        if not ref.slug and ref.key not in self.registry.aliases:
            FacilityAlias.objects.get_or_create(
                key=ref.key, defaults={"facility": self.registry.facilities[slug]}
            )
            self.registry.aliases[ref.key] = slug
        return self.registry.facilities[slug].pk

    def _create_facility(self, ref: FacilityRef) -> str:
        """A facility the list names and we do not know yet: created from what the list says, in
        Latin script; its Cyrillic address is for an editor to add."""
        kind, _created = FacilityKind.objects.get_or_create(
            slug=ref.kind or "other",
            defaults={f"name_{code}": ref.kind or "other" for code, _n in settings.LANGUAGES},
        )
        base = slugify(f"{ref.title} {ref.city}")[:90] or "facility"
        slug, n = base, 1
        while slug in self.registry.facilities:
            n += 1
            slug = f"{base}-{n}"
        latin = settings.LATIN_LANGUAGE
        facility = save_facility(
            {
                "slug": slug,
                "name": {latin: ref.title},
                "city": {latin: ref.city},
                "postal_code": ref.postal_code,
                "street": {"latin": ref.street},
            },
            kind=kind,
        )
        self.registry.facilities[slug] = facility
        self.registry.facilities_by_pk[facility.pk] = facility
        self.created_facilities += 1
        self._audit(
            facility,
            AuditEntry.Action.CREATE,
            {"name": [None, ref.title], "address": [None, ref.address]},
            record=facility,
        )
        return slug

    def article_ids(self, refs: Iterable[ArticleRef]) -> list[int]:
        ids = []
        for ref in refs:
            if ref.key not in self.registry.articles:
                article = Article.objects.create(
                    code=ref.code,
                    number=ref.number,
                    part=ref.part,
                    **{f"title_{settings.LATIN_LANGUAGE}": ref.title_en or f"Art. {ref.number}"},
                )
                self.registry.articles[ref.key] = article.pk
            if self.registry.articles[ref.key] not in ids:
                ids.append(self.registry.articles[ref.key])
        return ids

    # --- people -------------------------------------------------------------------------------

    def _audit(self, obj, action: str, changes: dict, record) -> None:
        self.audit.append(
            new_entry(
                actor_label=self.actor_label,
                obj=obj,
                action=action,
                changes=changes,
                record=record,
                actor=self.actor,
            )
        )

    def _person_values(self, fields: dict) -> dict:
        values = dict(fields)
        if "region" in values:
            values["region_id"] = self.regions.get(values.pop("region"))
        return {
            name: ("" if value is None and name not in {"birth_date", "region_id"} else value)
            for name, value in values.items()
        }

    def _sentence(self, person_id: int, sentence: IncomingSentence) -> Sentence:
        return Sentence(
            person_id=person_id,
            verdict_date=sentence.verdict_date,
            term_months=sentence.term_months,
            regime=sentence.regime,
            court=sentence.court,
            judge=sentence.judge,
            appeal_date=sentence.appeal_date,
            note=sentence.note[:500],
            source_url=sentence.source_url,
            source_citation=sentence.source_citation,
        )

    def _events(self, person_id: int, change: Change) -> list[Event]:
        return [
            Event(
                person_id=person_id,
                kind=e.kind,
                date=e.date,
                facility_id=self.facility_id(e.facility),
                note=e.note[:500],
                note_code=e.note_code,
                source_url=e.source_url[:500],
                source_citation=e.source_citation[:500],
            )
            for e in change.new_events
        ]

    def apply(self, changes: list[Change]) -> list[int]:
        """Applies the given changes; returns the ids of the people touched."""
        new = [c for c in changes if c.kind == "new"]
        changed = [c for c in changes if c.kind == "changed"]
        people = [
            Person(**self._person_values(c.incoming.fields), source_ref=c.incoming.source_ref) for c in new
        ]
        Person.objects.bulk_create(people, batch_size=1000)
        events, sentences, article_links, interest_links = [], [], [], []
        for person, change in zip(people, new, strict=True):
            change.person_id = person.pk
            events += self._events(person.pk, change)
            for incoming in change.new_sentences:
                sentence = self._sentence(person.pk, incoming)
                sentence.article_ids = self.article_ids(incoming.articles)
                sentences.append(sentence)
            for slug in change.interests or []:
                if slug in self.interests:
                    interest_links.append(
                        Person.interests.through(person_id=person.pk, interest_id=self.interests[slug])
                    )
            self._audit(
                person,
                AuditEntry.Action.CREATE,
                {**change.fields, "events": [None, len(change.new_events)]},
                record=person,
            )
        for change in changed:
            person = Person.objects.get(pk=change.person_id)
            if change.fields:
                values = self._person_values({name: new for name, (_old, new) in change.fields.items()})
                for name, value in values.items():
                    setattr(person, name, value)
                person.save(update_fields=list(values))
            added = self._events(person.pk, change)
            events += added
            for incoming in change.new_sentences:
                sentence = self._sentence(person.pk, incoming)
                sentence.article_ids = self.article_ids(incoming.articles)
                sentences.append(sentence)
            for sentence_pk, incoming, diff in change.changed_sentences:
                sentence = Sentence.objects.get(pk=sentence_pk)
                for name in diff:
                    if name != "articles":
                        setattr(sentence, name, getattr(incoming, name))
                sentence.save()
                if "articles" in diff:
                    sentence.articles.set(self.article_ids(incoming.articles))
                self._audit(sentence, AuditEntry.Action.UPDATE, diff, record=person)
            if change.interests is not None:
                person.interests.set([self.interests[s] for s in change.interests if s in self.interests])
            self._audit(
                person,
                AuditEntry.Action.UPDATE,
                {
                    **change.fields,
                    **{f"+{e.kind}": [None, e.date] for e in change.new_events},
                },
                record=person,
            )
        Event.objects.bulk_create(events, batch_size=2000)
        Sentence.objects.bulk_create(sentences, batch_size=1000)
        for sentence in sentences:
            article_links += [
                Sentence.articles.through(sentence_id=sentence.pk, article_id=a) for a in sentence.article_ids
            ]
        Sentence.articles.through.objects.bulk_create(article_links, batch_size=2000)
        Person.interests.through.objects.bulk_create(interest_links, batch_size=2000)
        AuditEntry.objects.bulk_create(self.audit, batch_size=1000)
        return [c.person_id for c in new + changed]


def apply_plan(plan: Plan, *, actor_label: str, actor=None, numbers: set[int] | None = None) -> dict:
    """Applies the plan's new and changed records (only those numbered in `numbers`, if given)."""
    chosen = [
        c for c in plan.changes if c.kind in {"new", "changed"} and (numbers is None or c.number in numbers)
    ]
    if not chosen and plan.format != "snapshot":
        # Nothing new: nothing is written, and the registry's version (the search index, the
        # statistics) does not move.
        return {"applied": 0, "facilities_created": 0, "at": timezone.now()}
    with transaction.atomic():
        applier = Applier(plan, actor_label, actor)
        if plan.format == "snapshot":
            applier.load_snapshot_reference()
        touched = applier.apply(chosen)
        if touched:
            refresh_all_derived_fields(people=touched)
    return {"applied": len(chosen), "facilities_created": applier.created_facilities, "at": timezone.now()}


def import_label(filename: str) -> str:
    """The author of an import's changes in the audit history."""
    safe_name = re.sub(r"[^\w.\-]+", "_", filename)[:150]
    return f"import: {safe_name}"
