"""A worker that only shows pages does not carry the letters' heavy parts: the PDF stack (fpdf and
its fonts, about 31 MB) and py3langid's numpy (15 MB) load with the first letter checked or printed."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("fpdf", "fontTools", "numpy", "py3langid")

STARTED_WORKER = """
import sys, django
django.setup()
import solidarity.urls  # every app's views, as a worker loads them for its first request
print(",".join(name for name in {heavy!r} if name in sys.modules))
from solidarity.letters import checker, pdf  # what the first check of a letter loads
checker._identifier()
print(",".join(name for name in {heavy!r} if name in sys.modules))
"""


def test_a_started_worker_loads_the_letters_heavy_parts_only_with_the_first_letter():
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", STARTED_WORKER.format(heavy=HEAVY)],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "solidarity.settings_test", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    at_start, after_a_letter = done.stdout.splitlines()[-2:]
    assert at_start == ""
    assert set(after_a_letter.split(",")) == set(HEAVY)
