"""A version changes at a change of the data and again when the change commits."""

import pytest
from django.db import transaction

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
