"""Sessions are signed cookies now: the rows that the database sessions left behind are deleted.

Each row's `expire_date` was a friend's or a letter writer's last activity plus eight hours, to the
microsecond, and nothing would ever delete them any more (`django.contrib.sessions` is no longer
installed). The table itself stays, empty, as Django's migrations left it.
"""

from django.db import migrations

SESSION_TABLE = "django_session"


def delete_session_rows(apps, schema_editor):
    connection = schema_editor.connection
    if SESSION_TABLE in connection.introspection.table_names():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(SESSION_TABLE)}")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("friends", "0001_initial")]

    operations = [migrations.RunPython(delete_session_rows, migrations.RunPython.noop)]
