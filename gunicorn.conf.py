# Gunicorn settings for `make run` and production.
# No access log: it would record every visitor's IP address and user agent.
accesslog = None
# The error log carries no request lines, only the app's own messages, and no client address
# (gunicorn names the address of a malformed request; our logger class blanks every address).
errorlog = "-"
logger_class = "solidarity.core.logging.PrivateGunicornLogger"
# One process with threads, so the in-process cache and rate limits of the embedded
# default are shared by every request. With REDIS_URL set, raise GUNICORN_WORKERS freely.
import os  # noqa: E402

workers = int(os.environ.get("GUNICORN_WORKERS", "1"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
bind = os.environ.get("BIND", "127.0.0.1:8000")
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_worker_init(worker):
    """Before the worker takes its first request: the search index and the statistics are made or
    loaded, and the public pages rendered once (`solidarity.core.warmup`)."""
    from solidarity.core.warmup import warm_up

    try:
        warm_up()
    except Exception:  # a database not migrated yet, say: the first visitors then wait instead
        worker.log.exception("Warming up failed.")
