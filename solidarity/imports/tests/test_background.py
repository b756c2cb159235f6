"""Imports whose worker stopped halfway, and large imports read, accepted and applied in the
background (issue 12, item 12). The tests' task backend runs a task as soon as it is enqueued;
one test runs the real database backend and its worker."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from solidarity.audit.models import AuditEntry
from solidarity.imports import services, tasks
from solidarity.imports.models import ImportBatch, ImportRow
from solidarity.registry.country import load_country
from solidarity.registry.models import Person

from .test_import_command import SAMPLE
from .test_review import review, upload

LONG_AGO = datetime.timedelta(minutes=30)


@pytest.fixture
def country(db):
    load_country()


@pytest.fixture
def large(monkeypatch):
    """Every file counts as large: read and applied by the background worker."""
    monkeypatch.setattr(services, "BACKGROUND_ABOVE_BYTES", 10)


def change_page(batch) -> str:
    return f"/admin/imports/importbatch/{batch.pk}/change/"


def queued_upload(client, capture) -> ImportBatch:
    """A large upload whose reading is queued but not started."""
    with capture(execute=False):
        upload(client, SAMPLE.read_bytes(), "viasna.json")
    return ImportBatch.objects.get()


def killed_while(batch: ImportBatch, state: str, progress: int = 48) -> ImportBatch:
    """What a worker killed halfway leaves behind: the batch at its last progress, long ago."""
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=state, progress=progress, attempt=1, progress_at=timezone.now() - LONG_AGO
    )
    batch.refresh_from_db()
    return batch


def uploaded(editor) -> ImportBatch:
    return services.upload(
        file_name="list.json",
        data=SAMPLE.read_bytes(),
        fmt="auto",
        by=editor,
        read_later=tasks.plan_batch_task.enqueue,
    )


def actions(batch) -> list[str]:
    entries = AuditEntry.objects.filter(record_id=str(batch.pk), record_type__model="importbatch")
    return list(entries.order_by("id").values_list("action", flat=True))


@pytest.mark.django_db
def test_a_batch_whose_worker_died_while_reading_shows_as_stalled_and_an_editor_has_it_read_again(
    verified_client, editor, country, large, django_capture_on_commit_callbacks
):
    client = verified_client(editor)
    batch = killed_while(queued_upload(client, django_capture_on_commit_callbacks), "planning")

    page = client.get(change_page(batch)).content.decode()
    assert "Stalled at 48%" in page
    assert 'http-equiv="refresh"' not in page  # nothing to wait for
    listing = client.get("/admin/imports/importbatch/").content.decode()
    assert "being read: stalled at 48%" in listing

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/imports/importbatch/{batch.pk}/resume/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.state, batch.progress, batch.summary["new"]) == (ImportBatch.State.READY, 100, 49)
    assert batch.attempt == 3  # the dead worker's was 1; resuming made 2, and reading took it as 3
    assert actions(batch) == ["imports.batch.uploaded", "imports.batch.resumed"]
    assert "resumed after it stalled" in client.get(change_page(batch)).content.decode()


@pytest.mark.django_db
def test_a_batch_still_being_read_is_not_stalled_and_cannot_be_resumed(
    verified_client, editor, country, large, django_capture_on_commit_callbacks
):
    client = verified_client(editor)
    batch = queued_upload(client, django_capture_on_commit_callbacks)
    ImportBatch.objects.filter(pk=batch.pk).update(state="planning", progress=48, progress_at=timezone.now())

    page = client.get(change_page(batch)).content.decode()
    assert "Stalled" not in page and 'http-equiv="refresh"' in page
    client.post(f"/admin/imports/importbatch/{batch.pk}/resume/")
    batch.refresh_from_db()
    assert (batch.state, batch.progress) == ("planning", 48)
    assert actions(batch) == ["imports.batch.uploaded"]


@pytest.mark.django_db
def test_an_editor_deletes_a_stalled_batch_but_not_one_being_read_nor_an_applied_one(
    verified_client, editor, country, large, django_capture_on_commit_callbacks
):
    client = verified_client(editor)
    batch = queued_upload(client, django_capture_on_commit_callbacks)
    delete = f"/admin/imports/importbatch/{batch.pk}/delete/"
    ImportBatch.objects.filter(pk=batch.pk).update(state="planning", progress_at=timezone.now())
    assert client.post(delete, {"post": "yes"}).status_code == 403

    killed_while(batch, "planning")
    assert "Delete this import" in client.get(change_page(batch)).content.decode()
    assert "0 rows of its review" in client.get(delete).content.decode()  # none were written yet
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not ImportBatch.objects.exists()
    deleted = AuditEntry.objects.get(action="imports.batch.deleted")
    assert (deleted.actor, deleted.data) == (editor, {"file": "viasna.json", "state": "planning"})

    applied = services.upload(
        file_name="list.json", data=b"[]", fmt="auto", by=editor, read_later=tasks.plan_batch_task.enqueue
    )
    ImportBatch.objects.filter(pk=applied.pk).update(state="applied")
    assert client.post(f"/admin/imports/importbatch/{applied.pk}/delete/", {"post": "yes"}).status_code == 403
    assert ImportBatch.objects.filter(pk=applied.pk).exists()


@pytest.mark.django_db
def test_resume_imports_at_a_worker_start_reads_stalled_batches_again_and_leaves_the_others(
    editor, country, large, django_capture_on_commit_callbacks
):
    def queued() -> ImportBatch:
        with django_capture_on_commit_callbacks(execute=False):
            return uploaded(editor)

    stalled, fresh = killed_while(queued(), "planning"), queued()
    ImportBatch.objects.filter(pk=fresh.pk).update(state="planning", attempt=1, progress_at=timezone.now())
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_imports", stdout=out)
    assert "Resumed 1 stalled imports." in out.getvalue()
    stalled.refresh_from_db(), fresh.refresh_from_db()
    assert (stalled.state, stalled.summary["new"]) == ("ready", 49)
    assert fresh.state == "planning"
    resumed = AuditEntry.objects.get(action="imports.batch.resumed")
    assert (resumed.actor_label, resumed.data) == ("resume_imports", {"was": "planning", "now": "queued"})

    # The only worker of `make run` starts: whatever was under way had no worker left.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("resume_imports", "--older-than", "0", stdout=StringIO())
    fresh.refresh_from_db()
    assert fresh.state == "ready"


@pytest.mark.django_db
def test_a_reading_that_outlived_its_attempt_writes_nothing(editor, country, monkeypatch):
    """A worker that only seemed dead wakes up after an editor resumed its batch: its findings
    are dropped, and the new attempt's are the batch's."""
    batch = ImportBatch.objects.create(file_name="list.json", data=SAMPLE.read_bytes(), format="auto")
    real_plan_file = services.plan_file

    def resumed_meanwhile(*args, **kwargs):
        plan = real_plan_file(*args, **kwargs)
        ImportBatch.objects.filter(pk=batch.pk).update(state="queued", attempt=5)
        return plan

    monkeypatch.setattr(services, "plan_file", resumed_meanwhile)
    services.plan_batch(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.attempt, batch.rows.count()) == ("queued", 5, 0)


@pytest.mark.django_db
def test_a_reading_that_stops_on_an_unexpected_error_fails_the_batch_instead_of_leaving_it_half_read(
    editor, country, large, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(*args, **kwargs):
        raise KeyError("name_be")

    monkeypatch.setattr(services, "plan_file", broken)
    with django_capture_on_commit_callbacks(execute=True):
        batch = uploaded(editor)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.FAILED
    assert batch.error == "Reading stopped on an unexpected error (logged for the developers)."


@pytest.mark.django_db
def test_accept_all_on_a_large_batch_is_one_entry_in_the_history_and_applies_in_the_background_with_progress(
    verified_client, editor, country, large, django_capture_on_commit_callbacks
):
    client = verified_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, SAMPLE.read_bytes(), "viasna.json")
    batch = ImportBatch.objects.get()
    read_as = batch.attempt
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(change_page(batch), review(batch, accept_all="1"))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.APPLYING and not Person.objects.exists()
    assert batch.attempt == read_as + 1  # applying is an attempt of its own
    page = client.get(change_page(batch)).content.decode()
    assert "0% applied; this page refreshes itself." in page and 'http-equiv="refresh"' in page

    for callback in queued:
        callback()
    batch.refresh_from_db()
    assert (batch.state, batch.progress) == (ImportBatch.State.APPLIED, 100)
    assert Person.objects.count() == 49
    assert set(batch.rows.filter(kind="new").values_list("decision", flat=True)) == {"accepted"}
    assert actions(batch) == ["imports.batch.uploaded", "imports.batch.accepted_all", "imports.batch.applied"]
    accepted = AuditEntry.objects.get(action="imports.batch.accepted_all")
    assert (accepted.actor, accepted.data) == (editor, {"rows": 49})
    applied = AuditEntry.objects.get(action="imports.batch.applied")
    assert (applied.actor, applied.data["applied"]) == (editor, 49)
    # The worker made the new search index and statistics, for the web server to load, not make.
    from solidarity.catalogue import search
    from solidarity.registry import versioning
    from solidarity.stats import computations

    assert search.INDEX._held[0] == computations.FACTS._held[0] == versioning.current_version()


@pytest.mark.django_db
def test_accept_all_is_one_update_of_the_rows_however_many_there_are(editor, country):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    batch = ImportBatch.objects.create(file_name="list.json", data=b"[]", state="ready")
    ImportRow.objects.bulk_create(
        [ImportRow(batch=batch, number=n, kind="new", group="new", name=f"P {n}") for n in range(1, 2501)]
    )
    with CaptureQueriesContext(connection) as queries:
        assert services.accept_all(batch=batch, by=editor) == 2500
    updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "imports_importrow"')]
    assert len(updates) == 1 and "CASE" not in updates[0]
    assert batch.rows.filter(decision="accepted").count() == 2500


@pytest.mark.django_db
def test_an_applying_whose_worker_died_goes_back_to_review_with_its_decisions_and_nothing_applied(
    verified_client, editor, country, large, django_capture_on_commit_callbacks
):
    client = verified_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, SAMPLE.read_bytes(), "viasna.json")
    batch = ImportBatch.objects.get()
    with django_capture_on_commit_callbacks(execute=False):  # the worker never gets to it
        client.post(change_page(batch), review(batch, accept_all="1"))
    batch = killed_while(ImportBatch.objects.get(), "applying", progress=30)
    page = client.get(change_page(batch)).content.decode()
    assert "Nothing of it was applied." in page

    client.post(f"/admin/imports/importbatch/{batch.pk}/resume/")
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.READY and not Person.objects.exists()
    assert batch.attempt == 2  # a new attempt: the dead worker's is over
    assert set(batch.rows.filter(kind="new").values_list("decision", flat=True)) == {"accepted"}
    # The attempt the dead worker was given is over: were it to run now, it would write nothing.
    services.apply_in_background(batch_id=batch.pk, attempt=1, by_id=editor.pk)
    assert not Person.objects.exists()


@pytest.mark.django_db
def test_an_applying_that_stops_on_an_error_returns_to_review_saying_so(
    editor, country, large, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        batch = uploaded(editor)
    services.accept_all(batch=batch, by=editor)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "apply_plan", broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.apply(batch=batch, by=editor, apply_later=tasks.apply_batch_task.enqueue)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.READY and not Person.objects.exists()
    assert "nothing was changed" in batch.error


def rows_on(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'name="rows-\d+-id" value="(\d+)"', page)]


@pytest.mark.django_db
def test_a_review_of_thousands_of_rows_goes_page_by_page_each_page_one_post(verified_client, editor, country):
    from django.conf import settings

    batch = ImportBatch.objects.create(file_name="list.json", data=b"[]", state="ready")
    new = [
        ImportRow(batch=batch, number=n, kind="new", group="new", name=f"Person {n}") for n in range(1, 451)
    ]
    missing = [
        ImportRow(batch=batch, number=n, kind="missing", group="missing", name=f"M {n}") for n in (451, 452)
    ]
    ImportRow.objects.bulk_create(new + missing)
    client = verified_client(editor)
    first = client.get(change_page(batch)).content.decode()
    assert "New people (450)" in first and "Page 1 of 3: rows 1 to 200 of 452." in first
    second = client.get(change_page(batch) + "?page=2").content.decode()
    shown = rows_on(second)
    assert len(shown) == 200 and not set(shown) & set(rows_on(first))

    data = {
        "rows-TOTAL_FORMS": "200",
        "rows-INITIAL_FORMS": "200",
        "rows-MIN_NUM_FORMS": "0",
        "rows-MAX_NUM_FORMS": "1000",
        "save": "1",
    }
    for i, pk in enumerate(shown):
        data |= {f"rows-{i}-id": str(pk), f"rows-{i}-decision": "accepted", f"rows-{i}-note": ""}
    assert len(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = client.post(change_page(batch) + "?page=2", data)
    assert response.status_code == 302 and response["Location"].endswith("?page=2")
    assert set(batch.rows.filter(decision="accepted").values_list("pk", flat=True)) == set(shown)

    missing = client.get(change_page(batch) + "?group=missing").content.decode()
    assert "M 451" in missing and "Person 1<" not in missing
    assert client.get(change_page(batch) + "?page=x&group=nope").status_code == 200  # read as page 1


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_a_restarted_worker_reads_what_a_killed_one_left_half_read(
    verified_client, editor, country, large
):
    from django_tasks_db.models import DBTaskResult

    def worker():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        client = verified_client(editor)
        upload(client, SAMPLE.read_bytes(), "viasna.json")
        batch = ImportBatch.objects.get()
        assert batch.state == ImportBatch.State.QUEUED
        # The worker claimed the task, read 48% and was killed: its task stays "running" for ever.
        DBTaskResult.objects.get().claim("killed-worker")
        batch = killed_while(batch, "planning")
        worker()
        batch.refresh_from_db()
        assert batch.state == "planning"  # nothing resumes it by itself...

        call_command("resume_imports", "--older-than", "0", stdout=StringIO())  # ...until a worker starts
        worker()
        batch.refresh_from_db()
        assert (batch.state, batch.summary["new"]) == (ImportBatch.State.READY, 49)

        client.post(change_page(batch), review(batch, accept_all="1"))
        assert ImportBatch.objects.get().state == ImportBatch.State.APPLYING
        worker()
        assert ImportBatch.objects.get().state == ImportBatch.State.APPLIED
        assert Person.objects.count() == 49
