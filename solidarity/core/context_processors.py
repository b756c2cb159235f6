from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url


def site(request: HttpRequest) -> dict:
    """The site's name, the canonical list it follows, and, for the language switcher, this
    page's address in every language.

    The switcher is plain links rather than Django's set_language form, so switching needs no
    cookie and no JavaScript.
    """
    path = request.get_full_path()
    return {
        "site_name": settings.SITE_NAME,
        "source_name": settings.REGISTRY_SOURCE_NAME,
        "source_url": settings.REGISTRY_SOURCE_URL,
        "language_links": [
            {"code": code, "name": name, "url": translate_url(path, code)}
            for code, name in settings.LANGUAGES
        ],
    }
