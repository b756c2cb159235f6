import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from solidarity.registry.tests.factories import PersonFactory
from solidarity.staff.roles import ROLES
from solidarity.staff.services import create_staff_member

from .helpers import PASSWORD


@pytest.mark.django_db
def test_migrate_creates_every_role_with_exactly_its_permissions():
    editor = Group.objects.get(name="editor")
    codenames = set(editor.permissions.values_list("codename", flat=True))
    assert {"change_person", "add_event", "delete_sentence", "view_auditentry"} <= codenames
    assert "change_auditentry" not in codenames
    assert "change_user" not in codenames
    volunteer = Group.objects.get(name="letters volunteer")
    assert set(volunteer.permissions.values_list("codename", flat=True)) == {
        "view_person",
        "view_facility",
        "view_letter",
        "change_letter",
        "view_reply",
        "add_reply",
        "delete_reply",
        "view_reachability",
        "add_reachability",
        "change_reachability",
        "delete_reachability",
        "view_ruleset",
        "change_ruleset",
        "view_rule",
        "add_rule",
        "change_rule",
        "delete_rule",
    }
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)


@pytest.mark.django_db
def test_sync_restores_a_role_that_was_widened_by_hand():
    from django.contrib.auth.models import Permission

    volunteer = Group.objects.get(name="letters volunteer")
    volunteer.permissions.add(Permission.objects.get(codename="change_person"))
    call_command("migrate", verbosity=0)
    assert not volunteer.permissions.filter(codename="change_person").exists()


@pytest.mark.django_db
def test_an_editor_may_edit_a_person_and_a_letters_volunteer_may_only_look(verified_client, client):
    person = PersonFactory()
    editor = create_staff_member(username="ed", roles=["editor"], password=PASSWORD).user
    response = verified_client(editor).get(f"/admin/registry/person/{person.pk}/change/")
    assert response.status_code == 200
    assert 'name="last_name_be"' in response.content.decode()
    client.logout()

    volunteer = create_staff_member(username="vol", roles=["letters volunteer"], password=PASSWORD).user
    viewer = verified_client(volunteer)
    page = viewer.get(f"/admin/registry/person/{person.pk}/change/")
    assert page.status_code == 200
    assert 'name="last_name_be"' not in page.content.decode()  # read-only view
    assert viewer.post(f"/admin/registry/person/{person.pk}/delete/", {"post": "yes"}).status_code == 403
    assert viewer.get("/admin/audit/auditentry/").status_code == 403


@pytest.mark.django_db
def test_create_staff_prints_a_password_an_enrolment_and_recovery_codes(capsys):
    call_command("create_staff", "anna", "--role", "editor")
    output = capsys.readouterr().out
    assert "otpauth://totp/" in output
    assert "Password: " in output
    assert output.count("\n  ") >= 6
    from django.contrib.auth import get_user_model

    anna = get_user_model().objects.get(username="anna")
    assert anna.is_staff and not anna.is_superuser
    assert anna.password.startswith(("argon2", "md5"))  # hashed, never stored plainly
    assert list(anna.groups.values_list("name", flat=True)) == ["editor"]
