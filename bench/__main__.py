"""`make bench`: performance figures of the registry, printed, never asserted.

For each registry size (BENCH_PEOPLE, default 5000,50000) it builds a demo registry in a fresh
database (a temporary SQLite file, or DATABASE_URL when set) and times the operations that pages
and imports lean on. Medians over repeated runs; these machines are noisy.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def describe(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(samples):8.1f} ms   p95 {p95:8.1f} ms   (n={len(samples)})"


def run(people: int) -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collectstatic here

    django.setup()
    import datetime

    from django.core.management import call_command
    from django.test import Client

    from solidarity.registry.models import Person
    from solidarity.registry.services import refresh_all_derived_fields
    from solidarity.registry.snapshot import build_snapshot

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo_data", "--people", str(people), "--replace", stdout=open(os.devnull, "w"))  # noqa: SIM115
    build_seconds = time.perf_counter() - started

    database = django.db.connection.vendor
    print(f"\n== {people} people ({database}) ==")
    print(f"build the demo registry (once)            {build_seconds * 1000:10.0f} ms")
    day = datetime.date(2023, 5, 21)
    print(
        "count political prisoners on a date     ",
        describe(timed(lambda: Person.objects.political_prisoners_on(day).count(), 20)),
    )
    print("recompute everyone's status             ", describe(timed(refresh_all_derived_fields, 5)))
    client = Client()
    client.get("/en/")
    print("render the home page                    ", describe(timed(lambda: client.get("/en/"), 30)))
    print("build the full snapshot export          ", describe(timed(build_snapshot, 3)))


def main() -> None:
    sizes = [int(n) for n in os.environ.get("BENCH_PEOPLE", "5000,50000").split(",")]
    if len(sys.argv) > 1:  # one size, in its own process and database
        run(int(sys.argv[1]))
        return
    import subprocess

    for people in sizes:
        with tempfile.TemporaryDirectory() as var_dir:
            env = {**os.environ, "DJANGO_SETTINGS_MODULE": "solidarity.settings_test", "VAR_DIR": var_dir}
            command = [sys.executable, "-m", "bench", str(people)]  # our own interpreter and module
            subprocess.run(command, cwd=ROOT, env=env, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
