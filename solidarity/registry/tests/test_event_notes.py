import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from solidarity.registry.models import Event


def test_an_events_note_is_its_standard_note_in_the_readers_words_then_the_editors_own():
    event = Event(note_code=Event.Note.HELD_ACCORDING_TO_LIST, note="Confirmed by a letter.")
    with translation.override("en"):
        assert event.note_text == "Held here according to the list. Confirmed by a letter."
    assert Event(note="Confirmed by a letter.").note_text == "Confirmed by a letter."
    assert Event().note_text == ""


@pytest.fixture
def migrator(transactional_db):
    """Moves the database between migrations, and back to the newest ones afterwards."""
    executor = MigrationExecutor(connection)

    def migrate(target: str):
        executor.loader.build_graph()
        executor.migrate([("registry", target)])
        return executor.loader.project_state([("registry", target)]).apps

    yield migrate
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_english_sentences_the_importer_stored_become_codes(migrator):
    apps = migrator("0002_event_note_code")
    person = apps.get_model("registry", "Person").objects.create(last_name_en="Lapatsin")
    event = apps.get_model("registry", "Event")
    imported, edited = (
        event.objects.create(
            person=person,
            kind="released",
            date=datetime.date(2022, 11, 30),
            source_citation="list",
            note=note,
        )
        for note in ("Released on a date the list does not give.", "Released after an appeal.")
    )

    event = migrator("0003_imported_event_notes_to_codes").get_model("registry", "Event")
    assert event.objects.filter(pk=imported.pk).values_list("note_code", "note").get() == (
        "release_date_unknown",
        "",
    )
    assert event.objects.filter(pk=edited.pk).values_list("note_code", "note").get() == (
        "",
        "Released after an appeal.",
    )
