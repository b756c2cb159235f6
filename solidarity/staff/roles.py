"""Staff roles as groups, with least privilege: each role gets exactly the permissions that the
apps grant it (`core.plugins.role_permissions`, registered from each app's `ready()`), so a role
grows as its app lands. Superusers are for the few who administer the site; everyone else has one
or more roles:

- editor: keeps the public record true (people, timelines, sentences, facilities, articles).
- letters volunteer: prints and mails letters; reads names and addresses, never changes them.
- finance: processes donations; sees whom a campaign is for.
- testimony reviewer: reads testimonies for the legal team; needs no access to the registry.
"""

from django.contrib.auth.models import Group, Permission

from solidarity.core import plugins
from solidarity.core.plugins import EDITOR, FINANCE, LETTERS_VOLUNTEER, STAFF_ROLES, TESTIMONY_REVIEWER

ROLES = STAFF_ROLES
__all__ = ["EDITOR", "FINANCE", "LETTERS_VOLUNTEER", "ROLES", "TESTIMONY_REVIEWER", "granted"]


def granted(role: str) -> dict[str, set[str]]:
    """Every permission the apps grant the role, by model: {"app.model": {"view", ...}}."""
    found: dict[str, set[str]] = {}
    for grant in plugins.role_permissions:
        if grant.role == role:
            for model, actions in grant.permissions.items():
                found.setdefault(model, set()).update(actions)
    return found


def permissions_for(role: str) -> list[Permission]:
    wanted = [
        (model.split(".")[0], f"{action}_{model.split('.')[1]}")
        for model, actions in granted(role).items()
        for action in actions
    ]
    found = Permission.objects.filter(content_type__app_label__in={app for app, _ in wanted}).select_related(
        "content_type"
    )
    return [p for p in found if (p.content_type.app_label, p.codename) in set(wanted)]


def sync_roles(**kwargs) -> None:
    """Creates the role groups and sets each to exactly its permissions."""
    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(permissions_for(role))
