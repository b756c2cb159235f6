from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "solidarity.letters"
    label = "letters"
    verbose_name = _("Letters")

    def ready(self) -> None:
        from . import plugins, rules, services
        from .models import Reachability, Rule, RuleSet

        plugins.register()
        post_save.connect(services.PUBLIC_VERSION.bump, sender=Reachability, dispatch_uid="letters-reach")
        post_delete.connect(
            services.PUBLIC_VERSION.bump, sender=Reachability, dispatch_uid="letters-reach-del"
        )

        for model in (Rule, RuleSet):
            post_save.connect(
                rules.VERSION.bump, sender=model, dispatch_uid=f"letters-rules-{model.__name__}"
            )
            post_delete.connect(
                rules.VERSION.bump, sender=model, dispatch_uid=f"letters-rules-del-{model.__name__}"
            )
