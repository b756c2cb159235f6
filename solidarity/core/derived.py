"""What is derived from the data and takes seconds to make at scale (the search index, the
statistics' facts): made by one process at a time, shared with the others, and never made twice.

A `Derived` value is made for a version of its data (`version()`, a `CacheVersion` reading). The
process that needs a version nobody has made yet takes a lock file and makes it; it writes the
value to `settings.DERIVED_DIR` (beside the database by default) under its name and version, so
every other process on the machine, and this one after a restart of the worker with the same
version, loads it in a fraction of the time instead of making it again. While a newer version is
being made, a process that already holds an older one goes on serving it (in the background the
new one is made, or loaded once another process has written it), so no request waits seconds
after an import; such a request is marked (`served_stale`), and the page cache does not keep what
it rendered, so nothing stale is stored under the new version.

The files are written by this application only, into its own directory, and read back with
pickle: the directory must not be writable by anyone else.
"""

import contextlib
import fcntl
import gc
import hashlib
import logging
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)
_request = threading.local()


def begin_request() -> None:
    _request.stale = False


def served_stale() -> bool:
    """Whether this thread served an older version of something since `begin_request`."""
    return getattr(_request, "stale", False)


@contextlib.contextmanager
def _without_gc():
    """Making, reading or writing hundreds of thousands of small objects without the cyclic
    garbage collector, which would walk them again and again meanwhile (a third of the time it
    takes to make them, most of the time it takes to read them)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class Derived:
    def __init__(self, name: str, *, build: Callable[[], Any], version: Callable[[], str]):
        self.name = name
        self._make = build
        self._version = version
        self._held: tuple[str, Any] | None = None  # (version, value) of this process
        self._making = threading.Lock()  # one maker per process
        self._background: str | None = None  # the version made in the background now

    def current(self) -> Any:
        version = self._version()
        held = self._held
        if held is not None and held[0] == version:
            return held[1]
        if held is not None and settings.DERIVED_IN_BACKGROUND:
            self._make_in_background(version)
            _request.stale = True
            return held[1]
        return self._made(version)

    def refresh(self) -> Any:
        """The current version, made (or loaded) now, whatever this process held: for a warm-up,
        or for the background worker after an import, so that web processes find it made."""
        return self._made(self._version())

    @cached_property
    def _code(self) -> str:
        """The code that makes the value, as a digest of its module's source: a file that another
        release made for the same data (in another shape) is never read as this code's."""
        module = sys.modules[self._make.__module__]
        return hashlib.sha256(Path(module.__file__).read_bytes()).hexdigest()[:12]

    def _path(self, version: str) -> Path:
        return Path(settings.DERIVED_DIR) / f"{self.name}-{self._code}-{version}.pickle"

    def _made(self, version: str) -> Any:
        """The value for `version`: this process's, another's from its file, or made now."""
        with self._making:
            if self._held is not None and self._held[0] == version:
                return self._held[1]
            directory = Path(settings.DERIVED_DIR)
            directory.mkdir(parents=True, exist_ok=True)
            with open(directory / f"{self.name}.lock", "a") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # another process making it: wait, then load it
                try:
                    value = self._load(version)
                    if value is None:
                        with _without_gc():
                            value = self._make()
                        self._store(version, value)
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)
            self._held = (version, value)
            # Hundreds of thousands of objects that live until the next version: out of the
            # collector's sight, or every full collection walks them all (a request's stall).
            gc.freeze()
            return value

    def _load(self, version: str) -> Any:
        try:
            with open(self._path(version), "rb") as kept, _without_gc():
                return pickle.load(kept)  # noqa: S301 (our own file; see the module)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            logger.warning("A kept %s could not be read; it is made again.", self.name)
            return None

    def _store(self, version: str, value: Any) -> None:
        directory = Path(settings.DERIVED_DIR)
        try:
            with (
                tempfile.NamedTemporaryFile(dir=directory, prefix=f".{self.name}-", delete=False) as out,
                _without_gc(),
            ):
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(out.name, self._path(version))  # readers see a whole file or none
        except OSError:
            logger.warning("A %s could not be kept for other processes.", self.name)
            with contextlib.suppress(OSError, NameError):
                os.unlink(out.name)
            return
        for older in directory.glob(f"{self.name}-*.pickle"):
            if older.name != self._path(version).name:
                with contextlib.suppress(OSError):
                    older.unlink()

    def _make_in_background(self, version: str) -> None:
        if self._background == version:
            return
        self._background = version

        def make() -> None:
            try:
                self._made(version)
            except Exception:
                logger.exception("Making %s in the background failed.", self.name)
            finally:
                self._background = None
                connections.close_all()  # this thread's own connections

        threading.Thread(target=make, name=f"derived-{self.name}", daemon=True).start()
