"""The registry's version is one for every process of the machine: the background worker's import
is seen at once by the web server, on the embedded default (files) as on Redis."""

import os
import subprocess
import sys
from pathlib import Path

from solidarity.registry import versioning

ROOT = Path(__file__).resolve().parents[3]
BUMP = "import django; django.setup(); from solidarity.registry import versioning; versioning.bump()"


def bump_in_another_process(**env: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", BUMP],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "solidarity.settings_test", **env},
        cwd=ROOT,
        check=True,
    )


def test_a_change_made_in_another_process_is_seen_at_once():
    before = versioning.current_version()
    assert versioning.current_version() == before
    bump_in_another_process()
    assert versioning.current_version() != before


def test_a_process_on_another_database_has_versions_of_its_own(tmp_path):
    """Beside the same var/ folder or on the same Redis, another database's change is not ours,
    and what is derived from it is kept apart."""
    from django.conf import settings

    before = versioning.current_version()
    bump_in_another_process(DATABASE_URL=f"sqlite:///{tmp_path / 'other.sqlite3'}")
    assert versioning.current_version() == before
    assert settings.DATA_ID in str(settings.CACHES["versions"]["KEY_PREFIX"])
