"""What the magazine adds to pages and services that other apps own (see `core.plugins`)."""

import datetime

from django.urls import reverse

from solidarity.core import plugins
from solidarity.registry.models import Person

from . import reading, services
from .api import router

PROFILE_STORIES = 5


def profile_section(person: Person, today: datetime.date) -> dict | None:
    """The stories about this person, newest first."""
    articles = reading.about(person)[: PROFILE_STORIES + 1]
    if not articles:
        return None
    return {
        "articles": reading.cards(articles[:PROFILE_STORIES]),
        "more": len(articles) > PROFILE_STORIES,
        "person": person,
    }


def register() -> None:
    # Publication on time is a task queued with its hour; as the worker starts it catches up
    # whatever a lost queue missed.
    plugins.chores.register(
        "magazine.schedule", plugins.Chore("publish_scheduled", daily=False, at_start=True), order=20
    )
    plugins.page_versions.register("magazine", services.PUBLIC_VERSION)
    plugins.api_routers.register("magazine", plugins.ApiRouter("magazine", router), order=70)
    # The magazine's front page: its templates compiled before the first reader comes.
    plugins.warm_ups.register("magazine", plugins.WarmUp(pages=lambda: [reverse("magazine")]))
    plugins.profile_sections.register(
        "magazine",
        plugins.ProfileSection("magazine/_profile_section.html", profile_section, place="after"),
        order=60,
    )
    # Authors write and send for review; editors also review, schedule, publish and retract
    # (`review_article`), and keep authors and tags.
    plugins.role_permissions.register(
        "magazine.author",
        plugins.RolePermissions(
            plugins.AUTHOR,
            {
                "magazine.article": ("view", "add", "change"),
                "magazine.image": ("view", "add", "change", "delete"),
                "magazine.author": ("view",),
                "magazine.tag": ("view",),
                "magazine.revision": ("view",),
            },
        ),
    )
    plugins.role_permissions.register(
        "magazine.editor",
        plugins.RolePermissions(
            plugins.EDITOR,
            {
                "magazine.article": ("view", "add", "change", "review"),
                "magazine.image": plugins.EDIT,
                "magazine.author": plugins.EDIT,
                "magazine.tag": plugins.EDIT,
                "magazine.revision": ("view",),
                "magazine.safetyreview": ("view", "add"),
            },
        ),
    )
