from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "solidarity.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from solidarity.core import plugins

        from . import models, versioning

        plugins.page_versions.register("registry", versioning.VERSION)
        # First of the day: statuses by the timeline's rule on the new date, before anything reads them.
        plugins.chores.register("registry.refresh", plugins.Chore("refresh_registry"), order=10)
        edit, view = plugins.EDIT, ("view",)
        plugins.role_permissions.register(
            "registry.editor",
            plugins.RolePermissions(
                plugins.EDITOR,
                {
                    "registry.person": edit,
                    "registry.event": edit,
                    "registry.sentence": edit,
                    "registry.facility": edit,
                    "registry.article": edit,
                    "registry.interest": edit,
                    "registry.region": view,
                    "registry.facilitykind": view,
                    "audit.auditentry": view,  # the history of the record they keep
                },
            ),
        )
        for role in (plugins.LETTERS_VOLUNTEER, plugins.FINANCE):  # whom a letter or a gift is for
            plugins.role_permissions.register(
                f"registry.{role}",
                plugins.RolePermissions(role, {"registry.person": view, "registry.facility": view}),
            )

        versioned = (
            models.Person,
            models.Event,
            models.Sentence,
            models.Facility,
            models.Article,
            models.Region,
            models.Interest,
        )
        for model in versioned:
            post_save.connect(versioning.bump, sender=model, dispatch_uid=f"version-save-{model.__name__}")
            post_delete.connect(
                versioning.bump, sender=model, dispatch_uid=f"version-delete-{model.__name__}"
            )
        m2m_changed.connect(
            versioning.bump, sender=models.Person.interests.through, dispatch_uid="version-m2m"
        )
