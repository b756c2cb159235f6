from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "solidarity.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from . import plugins, services
        from .models import Milestone, Petition

        plugins.register()
        # Public pages follow the petitions' rows; counts move with `services` (which bump too).
        for model in (Petition, Milestone):
            post_save.connect(
                services.PUBLIC_VERSION.bump, sender=model, dispatch_uid=f"petitions-{model.__name__}"
            )
            post_delete.connect(
                services.PUBLIC_VERSION.bump, sender=model, dispatch_uid=f"petitions-del-{model.__name__}"
            )
        m2m_changed.connect(
            services.PUBLIC_VERSION.bump, sender=Petition.people.through, dispatch_uid="petitions-people"
        )
