from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "solidarity.imports"
    label = "imports"
    verbose_name = _("Daily update")

    def ready(self) -> None:
        from solidarity.core import plugins

        # The only worker resumes whatever an earlier one left under way.
        plugins.chores.register(
            "imports.resume",
            plugins.Chore("resume_imports", ("--older-than", "0"), daily=False, at_start=True),
            order=10,
        )
        plugins.role_permissions.register(
            "imports.editor",
            plugins.RolePermissions(plugins.EDITOR, {"imports.importbatch": ("view", "add", "change")}),
        )
