import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from solidarity.audit.models import AuditEntry
from solidarity.registry.models import Event, EventKind, Person, Status
from solidarity.registry.tests.factories import EventFactory, FacilityFactory, PersonFactory


def _person_form(person: Person, events: list[Event] = (), **changes) -> dict:
    data = {
        "first_name_be": person.first_name_be or "",
        "first_name_ru": person.first_name_ru or "",
        "first_name_en": person.first_name_en or "",
        "patronymic_be": person.patronymic_be or "",
        "patronymic_ru": person.patronymic_ru or "",
        "patronymic_en": person.patronymic_en or "",
        "last_name_be": person.last_name_be or "",
        "last_name_ru": person.last_name_ru or "",
        "last_name_en": person.last_name_en or "",
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "region": "",
        "photo_source_url": "",
        "description_be": "",
        "description_ru": "",
        "description_en": "",
        "story_be": "",
        "story_ru": "",
        "story_en": "",
        "source_ref": person.source_ref,
        "source_url": "",
        "is_published": "on",
        "events-TOTAL_FORMS": str(len(events)),
        "events-INITIAL_FORMS": str(len(events)),
        "events-MIN_NUM_FORMS": "0",
        "events-MAX_NUM_FORMS": "1000",
        "sentences-TOTAL_FORMS": "0",
        "sentences-INITIAL_FORMS": "0",
        "sentences-MIN_NUM_FORMS": "0",
        "sentences-MAX_NUM_FORMS": "1000",
    }
    for i, event in enumerate(events):
        data.update(
            {
                f"events-{i}-id": str(event.pk),
                f"events-{i}-person": str(person.pk),
                f"events-{i}-date": event.date.isoformat(),
                f"events-{i}-kind": event.kind,
                f"events-{i}-facility": str(event.facility_id or ""),
                f"events-{i}-source_url": event.source_url,
                f"events-{i}-source_citation": event.source_citation,
                f"events-{i}-note": event.note,
            }
        )
    data.update(changes)
    return data


@pytest.mark.django_db
def test_an_admin_edit_leaves_one_entry_with_who_and_the_field_diff(verified_client, editor):
    person = PersonFactory(last_name_en="Babaryka")
    client = verified_client(editor)
    response = client.post(
        f"/admin/registry/person/{person.pk}/change/",
        _person_form(person, last_name_en="Babaryka-Corrected", birth_date="1963-11-10"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    entry = AuditEntry.objects.get()
    assert entry.actor == editor
    assert entry.actor_label == "editor"
    assert entry.action == AuditEntry.Action.UPDATE
    assert entry.changes == {
        "birth_date": ["1963-11-09", "1963-11-10"],
        "last_name_en": ["Babaryka", "Babaryka-Corrected"],
    }


@pytest.mark.django_db
def test_saving_without_changes_records_nothing(verified_client, editor):
    person = PersonFactory()
    client = verified_client(editor)
    assert client.post(f"/admin/registry/person/{person.pk}/change/", _person_form(person)).status_code == 302
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_timeline_edits_in_the_person_page_are_audited_on_the_person_and_update_the_status(
    verified_client, editor
):
    facility = FacilityFactory()
    person = PersonFactory()
    detained = EventFactory(
        person=person, kind=EventKind.DETAINED, date=datetime.date(2021, 5, 5), facility=facility
    )
    client = verified_client(editor)
    data = _person_form(person, [detained])
    data.update(
        {
            "events-TOTAL_FORMS": "2",
            "events-1-person": str(person.pk),
            "events-1-date": "2021-06-01",
            "events-1-kind": EventKind.RECOGNIZED,
            "events-1-facility": "",
            "events-1-source_url": "https://spring96.org/be/news/1",
            "events-1-source_citation": "",
            "events-1-note": "",
            "events-0-date": "2021-05-06",
        }
    )
    response = client.post(f"/admin/registry/person/{person.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]

    person_type = ContentType.objects.get_for_model(Person)
    entries = AuditEntry.objects.filter(record_type=person_type, record_id=str(person.pk))
    assert {(e.action, e.content_type.model) for e in entries} == {
        (AuditEntry.Action.CREATE, "event"),
        (AuditEntry.Action.UPDATE, "event"),
    }
    update = entries.get(action=AuditEntry.Action.UPDATE)
    assert update.changes == {"date": ["2021-05-05", "2021-05-06"]}
    person.refresh_from_db()
    assert person.status == Status.POLITICAL_PRISONER
    assert person.current_facility == facility

    page = client.get(f"/admin/registry/person/{person.pk}/change/").content.decode()
    assert 'id="audit-history"' in page
    assert "2021-05-05 → 2021-05-06" in page


@pytest.mark.django_db
def test_an_event_without_a_source_is_refused_with_a_message_and_nothing_is_lost(verified_client, editor):
    person = PersonFactory()
    client = verified_client(editor)
    data = _person_form(person, last_name_en="Changed")
    data.update(
        {
            "events-TOTAL_FORMS": "1",
            "events-0-person": str(person.pk),
            "events-0-date": "2021-06-01",
            "events-0-kind": EventKind.DETAINED,
            "events-0-facility": "",
            "events-0-source_url": "",
            "events-0-source_citation": "",
            "events-0-note": "",
        }
    )
    response = client.post(f"/admin/registry/person/{person.pk}/change/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give a source" in html
    assert 'value="Changed"' in html  # what was typed is still in the form
    assert not Event.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_deleting_a_person_is_audited(verified_client, editor):
    person = PersonFactory(last_name_en="Gone")
    client = verified_client(editor)
    response = client.post(f"/admin/registry/person/{person.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get()
    assert entry.action == AuditEntry.Action.DELETE
    assert entry.changes["last_name_en"] == ["Gone", None]


@pytest.mark.django_db
def test_nobody_can_alter_the_history(verified_client, editor):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=editor.pk).update(is_superuser=True)
    PersonFactory()
    client = verified_client(editor)
    client.post("/admin/registry/facility/add/", {})
    entry = AuditEntry.objects.create(
        actor_label="x",
        action="create",
        content_type=ContentType.objects.get_for_model(Person),
        object_id="1",
        object_repr="x",
        record_type=ContentType.objects.get_for_model(Person),
        record_id="1",
    )
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
