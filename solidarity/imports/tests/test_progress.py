"""The small rules of a batch's way: how far it has got, when a file is large enough for the
background worker, and which group of the review a change belongs to."""

import datetime

import pytest

from solidarity.imports import services
from solidarity.imports.mapping import IncomingEvent, IncomingSentence
from solidarity.imports.models import ImportBatch
from solidarity.imports.planning import Change

from .test_background import uploaded
from .test_review import country  # noqa: F401 (a fixture)


@pytest.mark.django_db
def test_progress_is_the_share_of_the_work_done_and_moves_only_the_current_attempt(editor, country):  # noqa: F811
    batch = uploaded(editor)
    ImportBatch.objects.filter(pk=batch.pk).update(attempt=3, progress=0)

    def progress() -> int:
        return ImportBatch.objects.get(pk=batch.pk).progress

    services._heartbeat(batch.pk, 3)(50, 200)
    assert progress() == 25
    services._heartbeat(batch.pk, 3)(1, 1)
    assert progress() == 100
    services._heartbeat(batch.pk, 3)(0, 0)  # nothing to read yet
    assert progress() == 0
    # Applying re-reads the file first: reading all of it is 90% of applying, the writing the rest.
    services._heartbeat(batch.pk, 3, share=services.APPLY_READING_SHARE)(300, 300)
    assert progress() == 90
    services._heartbeat(batch.pk, 2)(1, 1)  # an attempt that is over moves nothing
    assert progress() == 90


@pytest.mark.django_db
def test_a_file_of_exactly_the_threshold_is_read_at_once_and_one_byte_more_in_the_background(
    editor,
    country,  # noqa: F811
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    from .test_import_command import SAMPLE

    data = SAMPLE.read_bytes()
    monkeypatch.setattr(services, "BACKGROUND_ABOVE_BYTES", len(data))
    queued = []
    at_once = services.upload(file_name="a.json", data=data, fmt="auto", by=editor, read_later=queued.append)
    at_once.refresh_from_db()
    assert at_once.state == ImportBatch.State.READY and not services.in_background(at_once)
    monkeypatch.setattr(services, "BACKGROUND_ABOVE_BYTES", len(data) - 1)
    with django_capture_on_commit_callbacks(execute=True):
        later = services.upload(
            file_name="b.json", data=data, fmt="auto", by=editor, read_later=queued.append
        )
    later.refresh_from_db()
    assert later.state == ImportBatch.State.QUEUED and services.in_background(later)
    assert queued == [later.pk]


DAY = datetime.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("events", "sentences", "group"),
    [
        (["released"], False, "status"),
        (["pardoned", "transferred"], False, "status"),
        (["died"], False, "status"),
        (["transferred"], False, "facility"),
        (["sentenced"], False, "sentence"),
        ([], True, "sentence"),
        (["detained"], False, "changed"),
        ([], False, "changed"),
    ],
)
def test_a_change_is_reviewed_in_the_group_of_what_it_changes(events, sentences, group):
    change = Change(
        1,
        "changed",
        new_events=[IncomingEvent(kind=kind, date=DAY) for kind in events],
        new_sentences=[IncomingSentence(verdict_date=DAY)] if sentences else [],
    )
    assert services._group(change) == group
    for kind in ("new", "missing", "rejected"):
        assert services._group(Change(1, kind)) == kind
