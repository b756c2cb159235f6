from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "solidarity.core"
    label = "core"

    def ready(self) -> None:
        from . import plugins

        # Last of the day: an archive of what the chores before it left (`core.backups`).
        plugins.chores.register("core.backup", plugins.Chore("backup"), order=1000)
