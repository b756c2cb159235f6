from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FriendsConfig(AppConfig):
    name = "solidarity.friends"
    label = "friends"
    verbose_name = _("Friendship")

    def ready(self) -> None:
        from . import plugins

        plugins.register()
