"""The apps keep to their floors (docs/architecture.md): import-linter's contracts in pyproject.toml,
checked with every test run as well as by `make lint`."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_no_app_imports_from_a_floor_above_it_and_no_view_imports_another_apps_views():
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or "lint-imports"
    result = subprocess.run(  # noqa: S603 (our own checker, no input from outside)
        [command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "Contracts: 2 kept, 0 broken." in result.stdout
