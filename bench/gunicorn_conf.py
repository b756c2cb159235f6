"""gunicorn.conf.py exactly as `make run` uses it, plus one hook: when the worker has loaded the
app and warmed up it writes the file named by BENCH_READY_FILE, so that `bench/load.py` can time the first
request after a start without sending any request before it."""

import os
from pathlib import Path

exec(Path(__file__).resolve().parent.parent.joinpath("gunicorn.conf.py").read_text())  # noqa: S102


warm_up = post_worker_init  # noqa: F821 (gunicorn.conf.py's, read above)


def post_worker_init(worker):
    if os.environ.get("DJANGO_SETTINGS_MODULE") != "bench.floor_settings":  # the floor has no pages
        warm_up(worker)
    ready = os.environ.get("BENCH_READY_FILE")
    if ready:
        Path(ready).write_text(str(os.getpid()))
