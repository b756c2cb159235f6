from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "solidarity.registry"
    label = "registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import models, versioning

        for model in (models.Person, models.Event, models.Sentence, models.Facility, models.Article):
            post_save.connect(versioning.bump, sender=model, dispatch_uid=f"version-save-{model.__name__}")
            post_delete.connect(
                versioning.bump, sender=model, dispatch_uid=f"version-delete-{model.__name__}"
            )
        m2m_changed.connect(
            versioning.bump, sender=models.Person.interests.through, dispatch_uid="version-m2m"
        )
