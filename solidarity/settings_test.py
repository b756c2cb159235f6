"""Settings for the test suite: the real settings module, with test-only defaults in the environment.

DATABASE_URL and REDIS_URL pass through untouched, so the same suite runs embedded (SQLite,
in-process cache) and at scale (PostgreSQL, Redis).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
os.environ.setdefault("CACHE_KEY_PREFIX", f"solidarity-test-{os.getpid()}")
# The embedded default's version files, this run's own (a subprocess of a test inherits them).
_VAR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "var")
os.environ.setdefault("VERSIONS_DIR", os.path.join(_VAR, f"versions-test-{os.getpid()}"))

from solidarity.settings import *  # noqa: E402, F403
from solidarity.settings import PASSWORD_HASHERS  # noqa: E402

# Argon2 is deliberately slow; tests that hash passwords don't need it to be.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]  # noqa: F811

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared memory: its locking is the real one (WAL, immediate transactions, a busy
    # timeout), so that tests of concurrent writes mean on SQLite what they mean in production.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405

# Each test run keeps what it derives apart from a server's, and makes it at once.
DERIVED_DIR = VAR_DIR / f"derived-test-{os.getpid()}"  # noqa: F405
DERIVED_IN_BACKGROUND = False
