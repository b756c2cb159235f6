"""The registry's version is one for every process of the machine: the background worker's import
is seen at once by the web server, on the embedded default (files) as on Redis."""

import os
import subprocess
import sys
from pathlib import Path

from solidarity.registry import versioning

ROOT = Path(__file__).resolve().parents[3]
BUMP = "import django; django.setup(); from solidarity.registry import versioning; versioning.bump()"


def test_a_change_made_in_another_process_is_seen_at_once():
    before = versioning.current_version()
    assert versioning.current_version() == before
    subprocess.run(  # noqa: S603
        [sys.executable, "-c", BUMP],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "solidarity.settings_test"},
        cwd=ROOT,
        check=True,
    )
    assert versioning.current_version() != before
