"""Staff roles as groups, with least privilege: each role gets exactly the permissions named here.

Permissions of apps that do not exist yet are skipped, so a role grows as its app lands (letters
volunteers get the letters app's permissions when it is installed, and so on). Superusers are
for the few who administer the site; everyone else has one or more roles.
"""

from django.contrib.auth.models import Group, Permission

EDITOR = "editor"
LETTERS_VOLUNTEER = "letters volunteer"
FINANCE = "finance"
TESTIMONY_REVIEWER = "testimony reviewer"

_EDIT = ("view", "add", "change", "delete")

ROLES: dict[str, dict[str, tuple[str, ...]]] = {
    # Keeps the public record true: people, timelines, sentences, facilities, articles.
    EDITOR: {
        "registry.person": _EDIT,
        "registry.event": _EDIT,
        "registry.sentence": _EDIT,
        "registry.facility": _EDIT,
        "registry.article": _EDIT,
        "registry.region": ("view",),
        "registry.facilitykind": ("view",),
        "registry.interest": _EDIT,
        "audit.auditentry": ("view",),
        "imports.importbatch": ("view", "add", "change"),
        "letters.reachability": _EDIT,
    },
    # Prints and mails letters: needs to read names and addresses, never to change them.
    # The rules and the reports of whether letters arrive are theirs to keep; a letter is never
    # added or edited by them, only moved along the queue (the "change" permission) and given replies.
    LETTERS_VOLUNTEER: {
        "registry.person": ("view",),
        "registry.facility": ("view",),
        "letters.letter": ("view", "change"),
        "letters.reply": ("view", "add", "delete"),
        "letters.reachability": _EDIT,
        "letters.ruleset": ("view", "change"),
        "letters.rule": _EDIT,
    },
    # Processes donations; sees whom a campaign is for.
    FINANCE: {
        "registry.person": ("view",),
    },
    # Reads testimonies for the legal team; no access to the registry is needed.
    TESTIMONY_REVIEWER: {},
}


def permissions_for(role: str) -> list[Permission]:
    wanted = [
        (model.split(".")[0], f"{action}_{model.split('.')[1]}")
        for model, actions in ROLES[role].items()
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
