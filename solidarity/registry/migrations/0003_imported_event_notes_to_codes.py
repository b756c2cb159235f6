"""The notes the daily import wrote as English sentences become codes, shown in the reader's language."""

from django.db import migrations

# The importer's sentences as it stored them, and their codes (Event.Note).
IMPORTED_NOTES = {
    (
        "The list gives no date of recognition; the date of arrest stands for it."
    ): "recognition_date_from_arrest",
    "Released on a date the list does not give.": "release_date_unknown",
    "Held here according to the list.": "held_according_to_list",
    "Seen at this facility in the list on this date.": "seen_in_list",
}


def notes_to_codes(apps, schema_editor):
    Event = apps.get_model("registry", "Event")
    for note, code in IMPORTED_NOTES.items():
        Event.objects.filter(note=note, note_code="").update(note_code=code, note="")


def codes_to_notes(apps, schema_editor):
    Event = apps.get_model("registry", "Event")
    for note, code in IMPORTED_NOTES.items():
        Event.objects.filter(note_code=code, note="").update(note=note, note_code="")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_event_note_code"),
    ]

    operations = [
        migrations.RunPython(notes_to_codes, codes_to_notes),
    ]
