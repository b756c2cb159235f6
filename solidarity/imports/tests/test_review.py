import pytest

from solidarity.audit.models import AuditEntry
from solidarity.imports.models import ImportBatch, ImportRow
from solidarity.imports.wording import SUMMARY_LABELS
from solidarity.registry.country import load_country
from solidarity.registry.models import Person, Sentence, Status

from .test_import_command import RECORDS, SAMPLE, run


@pytest.fixture
def country(db):
    load_country()


def review(batch, decisions=None, notes=None, **buttons) -> dict:
    """The review form as an editor posts it: every row's decision and note, some changed."""
    rows = list(batch.rows.all())
    data = {
        "rows-TOTAL_FORMS": str(len(rows)),
        "rows-INITIAL_FORMS": str(len(rows)),
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        **buttons,
    }
    for i, row in enumerate(rows):
        data[f"rows-{i}-id"] = str(row.pk)
        data[f"rows-{i}-decision"] = (decisions or {}).get(row.pk, row.decision)
        data[f"rows-{i}-note"] = (notes or {}).get(row.pk, row.note)
    return data


def upload(client, content: bytes, name: str = "list.json"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        "/admin/imports/importbatch/add/", {"file": SimpleUploadedFile(name, content), "format": "auto"}
    )


@pytest.mark.django_db
def test_an_editor_uploads_reviews_row_by_row_and_applies_only_the_accepted(verified_client, editor, country):
    client = verified_client(editor)
    response = upload(client, SAMPLE.read_bytes(), "viasna.json")
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.READY
    assert batch.summary["new"] == 49
    page = client.get(response["Location"]).content.decode()
    assert "New people (49)" in page and "Siarhei Lapatsin" in page

    rows = {row.number: row for row in batch.rows.all()}
    decisions = {row.pk: "rejected" for row in rows.values()}
    decisions[rows[1].pk] = decisions[rows[2].pk] = "accepted"
    notes = {rows[3].pk: "duplicate of someone we have"}
    response = client.post(
        f"/admin/imports/importbatch/{batch.pk}/change/", review(batch, decisions, notes, apply="1")
    )
    assert response.status_code == 302
    assert set(Person.objects.values_list("source_ref", flat=True)) == {"viasna:1", "viasna:2"}
    assert ImportRow.objects.get(pk=rows[3].pk).note == "duplicate of someone we have"
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLIED
    # An applied batch cannot be applied again.
    assert (
        client.post(
            f"/admin/imports/importbatch/{batch.pk}/change/", review(batch, accept_all="1")
        ).status_code
        == 403
    )


@pytest.mark.django_db
def test_the_review_is_in_the_batchs_history_with_who_decided_what_and_what_was_applied(
    verified_client, editor, country
):
    client = verified_client(editor)
    upload(client, SAMPLE.read_bytes(), "viasna.json")
    batch = ImportBatch.objects.get()
    first = batch.rows.get(number=1)
    client.post(
        f"/admin/imports/importbatch/{batch.pk}/change/",
        review(batch, {first.pk: "accepted"}, {first.pk: "checked"}, apply="1"),
    )
    entries = AuditEntry.objects.filter(record_id=str(batch.pk), record_type__model="importbatch")
    assert [(e.action, e.actor) for e in entries.order_by("id")] == [
        ("imports.batch.uploaded", editor),
        ("imports.row.decided", editor),
        ("imports.batch.applied", editor),
    ]
    decided = entries.get(action="imports.row.decided")
    assert decided.object_id == str(first.pk) and decided.data == {"decision": "accepted", "note": "checked"}
    assert entries.get(action="imports.batch.applied").data["applied"] == 1
    page = client.get(f"/admin/imports/importbatch/{batch.pk}/change/").content.decode()
    assert "uploaded: viasna.json" in page and "decided: 1 new" in page and "applied: viasna.json" in page


@pytest.mark.django_db
def test_a_decision_that_cannot_be_read_saves_nothing_and_says_so(verified_client, editor, country):
    client = verified_client(editor)
    upload(client, SAMPLE.read_bytes(), "viasna.json")
    batch = ImportBatch.objects.get()
    first, second = batch.rows.order_by("number")[:2]
    data = review(batch, {first.pk: "accepted", second.pk: "maybe"}, {first.pk: "seen in court"}, apply="1")
    response = client.post(f"/admin/imports/importbatch/{batch.pk}/change/", data)
    assert response.status_code == 200
    assert "Some decisions could not be read: nothing was saved." in response.content.decode()
    assert 'value="seen in court"' in response.content.decode()  # what the editor typed is still there
    assert set(batch.rows.values_list("decision", flat=True)) == {"pending"}
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_batch_is_applied_once_even_if_two_editors_apply_it(editor, country):
    from solidarity.imports import services, tasks

    batch = services.upload(
        file_name="list.json",
        data=SAMPLE.read_bytes(),
        fmt="auto",
        by=editor,
        read_later=tasks.plan_batch_task.enqueue,
    )
    services.accept_all(batch=batch, by=editor)
    stale = ImportBatch.objects.get(pk=batch.pk)  # the second editor's page, read before the first applied
    assert services.apply_batch(batch=batch, by=editor)["applied"] == 49
    with pytest.raises(services.BatchError):
        services.apply_batch(batch=stale, by=editor)
    assert Person.objects.count() == 49


@pytest.mark.django_db
def test_accept_all_applies_everything_and_missing_people_are_never_released(
    verified_client, editor, country, tmp_path
):
    run(SAMPLE)
    client = verified_client(editor)
    import json

    shorter = [r for r in RECORDS if r["id"] != 1]
    upload(client, json.dumps(shorter).encode())
    batch = ImportBatch.objects.get()
    assert batch.summary["missing"] == 1
    page = client.get(f"/admin/imports/importbatch/{batch.pk}/change/").content.decode()
    assert "Missing from the new list" in page and "possibly released" in page
    client.post(f"/admin/imports/importbatch/{batch.pk}/change/", review(batch, accept_all="1"))
    assert Person.objects.get(source_ref="viasna:1").status == Status.POLITICAL_PRISONER


@pytest.mark.django_db
def test_an_unreadable_upload_says_why_and_writes_nothing(verified_client, editor, country):
    client = verified_client(editor)
    upload(client, b'[{"id": 1, "name": "broken')
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.FAILED
    page = client.get(f"/admin/imports/importbatch/{batch.pk}/change/").content.decode()
    assert "The JSON is broken" in page
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_a_large_file_is_read_in_the_background_with_progress(
    verified_client, editor, country, monkeypatch, django_capture_on_commit_callbacks
):
    from solidarity.imports import services

    monkeypatch.setattr(services, "BACKGROUND_ABOVE_BYTES", 10)
    client = verified_client(editor)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        upload(client, SAMPLE.read_bytes())
    batch = ImportBatch.objects.get()
    assert batch.state == ImportBatch.State.QUEUED
    page = client.get(f"/admin/imports/importbatch/{batch.pk}/change/").content.decode()
    assert 'http-equiv="refresh"' in page  # the page follows the progress, without JavaScript
    for callback in queued:
        callback()  # the task is enqueued; the tests' immediate backend runs it at once
    batch.refresh_from_db()
    assert (batch.state, batch.progress, batch.summary["new"]) == (ImportBatch.State.READY, 100, 49)


@pytest.mark.django_db
def test_a_letters_volunteer_cannot_import(verified_client, country):
    from solidarity.staff.services import create_staff_member
    from solidarity.staff.tests.helpers import PASSWORD

    volunteer = create_staff_member(username="vol", roles=["letters volunteer"], password=PASSWORD).user
    client = verified_client(volunteer)
    assert upload(client, SAMPLE.read_bytes()).status_code == 403
    assert not ImportBatch.objects.exists()


@pytest.mark.django_db
def test_the_review_speaks_the_editors_language_with_field_labels_and_person_ids(
    verified_client, editor, country
):
    import json

    from django.utils import translation

    run(SAMPLE)
    changed = [dict(r) for r in RECORDS]
    changed[0] |= {"birthday": "1994-02-12", "decision": "7 years", "judge": "Ina Bialova"}
    client = verified_client(editor)
    client.cookies["django_language"] = "be"
    upload(client, json.dumps(changed).encode())
    batch = ImportBatch.objects.get()
    lapatsin = Person.objects.get(source_ref="viasna:1")
    page = client.get(f"/admin/imports/importbatch/{batch.pk}/change/").content.decode()
    with translation.override("be"):
        birth = str(Person._meta.get_field("birth_date").verbose_name)
        judge = str(Sentence._meta.get_field("judge").verbose_name)
        changed_label = str(SUMMARY_LABELS["changed"])
    assert birth != "date of birth" and f"{birth}: 1994-02-11 → 1994-02-12" in page
    assert f"{judge}: Aliaksandr Piatrovich → Ina Bialova" in page
    assert f"<strong>1</strong> {changed_label}" in page
    assert f"№ {lapatsin.pk}</a><br><span" in page and "viasna:1</span>" in page
    for raw in ("birth_date", "term_months", "<strong>1</strong> changed"):
        assert raw not in page


@pytest.mark.django_db
def test_a_rejected_record_shows_why_in_the_review(verified_client, editor, country):
    from .test_list_quirks import QUIRKS

    client = verified_client(editor)
    upload(client, QUIRKS.read_bytes(), "quirks.json")
    batch = ImportBatch.objects.get()
    rejected = batch.rows.filter(kind="rejected")
    assert rejected.count() == 2
    assert all(row.details and row.details[0] for row in rejected)  # the reason, not an empty change
    page = client.get(f"/admin/imports/importbatch/{batch.pk}/change/").content.decode()
    assert "appears twice in the file" in page


@pytest.mark.django_db
def test_records_that_change_nothing_are_counted_not_kept_for_review(verified_client, editor, country):
    run(SAMPLE)
    client = verified_client(editor)
    upload(client, SAMPLE.read_bytes(), "again.json")
    batch = ImportBatch.objects.get()
    assert batch.summary["unchanged"] == 49 and batch.summary["new"] == 0
    assert not batch.rows.filter(kind="unchanged").exists()
