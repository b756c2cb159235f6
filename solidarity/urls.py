from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.static import serve

from solidarity.api.api import build_api
from solidarity.donations.urls import webhook_patterns

urlpatterns = [
    path(settings.ADMIN_PATH, admin.site.urls),
    path("api/v1/", build_api().urls),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's); answer, don't 404.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"), permanent=True)),
    *webhook_patterns,
]

urlpatterns += i18n_patterns(
    path("", include("solidarity.catalogue.urls")),
    path("", include("solidarity.stats.urls")),
    path("", include("solidarity.friends.urls")),
    path("", include("solidarity.letters.urls")),
    path("", include("solidarity.donations.urls")),
    path("", include("solidarity.parcels.urls")),
    path("", include("solidarity.magazine.urls")),
    path("", include("solidarity.testimonies.urls")),
    path("", include("solidarity.petitions.urls")),
    prefix_default_language=True,
)

if settings.SERVE_MEDIA:
    # Photos uploaded by editors, served by the app in the embedded setup; a proxy serves them at scale.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]
