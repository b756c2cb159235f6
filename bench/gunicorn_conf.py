"""gunicorn.conf.py exactly as `make run` uses it, plus one hook: when the worker has loaded the
app it writes the file named by BENCH_READY_FILE, so that `bench/load.py` can time the first
request after a start without sending any request before it."""

import os
from pathlib import Path

exec(Path(__file__).resolve().parent.parent.joinpath("gunicorn.conf.py").read_text())  # noqa: S102


def post_worker_init(worker):
    ready = os.environ.get("BENCH_READY_FILE")
    if ready:
        Path(ready).write_text(str(os.getpid()))
