from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StaffAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with our site as the default: two-factor login, throttled attempts."""

    default = False
    default_site = "solidarity.staff.admin_site.StaffAdminSite"


class StaffConfig(AppConfig):
    default = True
    name = "solidarity.staff"
    label = "staff"
    verbose_name = _("Staff")

    def ready(self) -> None:
        from .roles import sync_roles

        # Roles are code: after every migrate (new apps bring new permissions) the groups are
        # set to exactly what roles.py grants them. This app has no models, so Django sends it
        # no post_migrate of its own; the handler runs after each app's, the last one settling it.
        post_migrate.connect(sync_roles, dispatch_uid="solidarity.staff.sync_roles")
