"""Named actions in the history: an operation's dotted name, shown with its label, beside the
create/update/delete of admin edits."""

import pytest
from django.utils import translation

from solidarity.audit import actions
from solidarity.audit.models import AuditEntry
from solidarity.audit.services import log_action
from solidarity.registry.tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

CHECKED = actions.named("tests.person.checked", "checked against the list")


def test_a_named_action_is_stored_by_its_name_and_shown_by_its_label(editor):
    person = PersonFactory(last_name_en="Named")
    entry = log_action(action=CHECKED, obj=person, actor=editor, data={"list": "2026-11-21", "token": "x"})
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.action, stored.actor, stored.actor_label) == ("tests.person.checked", editor, "editor")
    assert stored.data == {"list": "2026-11-21"}  # a secret-looking detail is never recorded
    assert stored.action_label == "checked against the list"
    with translation.override("en"):
        assert AuditEntry(action=AuditEntry.Action.UPDATE).action_label == "changed"
    assert AuditEntry(action="gone.app.did").action_label == "gone.app.did"  # nobody declares it now


def test_a_process_is_the_author_of_what_it_does():
    entry = log_action(action=CHECKED, obj=PersonFactory(), actor_label="nightly check")
    assert entry.actor is None and entry.actor_label == "nightly check"


def test_a_name_that_is_not_app_object_verb_is_refused():
    with pytest.raises(ValueError):
        actions.named("checked", "checked")


def test_the_history_lists_named_actions_by_their_label(verified_client, editor):
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(pk=editor.pk).update(is_superuser=True)
    log_action(action=CHECKED, obj=PersonFactory(last_name_en="Listed"), actor=editor)
    client = verified_client(editor)
    assert "checked against the list" in client.get("/admin/audit/auditentry/").content.decode()
