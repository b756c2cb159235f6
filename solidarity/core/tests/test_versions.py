"""A version changes at a change of the data and again when the change commits."""

import os
import time
from unittest import mock

import pytest
from django.core.cache.backends.filebased import FileBasedCache
from django.db import transaction

from solidarity.core.cache import VersionFiles
from solidarity.core.versions import CacheVersion

pytestmark = pytest.mark.django_db


def test_a_change_in_a_transaction_gets_one_more_number_when_it_commits(django_capture_on_commit_callbacks):
    version = CacheVersion("test:version")
    before = version.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        version.bump()
        during = version.current()
        version.bump()  # a second change in the same transaction
        last_in_transaction = version.current()
    after = version.current()
    assert len({before, during, last_in_transaction, after}) == 4
    assert len(callbacks) == 1  # one number more at the commit, however many changes


def _folder_an_hour_old(cache) -> None:
    old = time.time_ns() - 3600 * 10**9
    os.utime(cache._dir, ns=(old, old))


def test_version_files_are_read_once_while_the_folder_is_unchanged_and_again_at_once_after_a_write(tmp_path):
    web = VersionFiles(str(tmp_path), {})
    worker = VersionFiles(str(tmp_path), {})  # another process on the same folder
    worker.set("registry", "first", timeout=None)
    _folder_an_hour_old(web)
    assert web.get("registry") == "first"
    with mock.patch.object(FileBasedCache, "get", side_effect=AssertionError("a file was read")):
        assert web.get("registry") == "first"  # remembered: the folder has not changed
    worker.set("registry", "second", timeout=None)
    assert web.get("registry") == "second"
    worker.delete("registry")
    assert web.get("registry") is None


def test_a_folder_changed_within_the_last_second_is_read_file_by_file(tmp_path):
    web = VersionFiles(str(tmp_path), {})
    web.set("registry", "first", timeout=None)
    assert web.get("registry") == "first"
    # A second write within the same clock tick would leave the folder's time as it was.
    changed = os.stat(tmp_path).st_mtime_ns
    VersionFiles(str(tmp_path), {}).set("registry", "second", timeout=None)
    os.utime(tmp_path, ns=(changed, changed))
    assert web.get("registry") == "second"
