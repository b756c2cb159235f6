from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def in_language(path: str, code: str) -> str:
    """This address in another language. Our addresses are the same in every language but for
    their prefix (no pattern is translated: `core/tests/test_languages.py` holds us to it), so
    only the prefix changes; an address without one (the API, the feeds' files) stays as it is."""
    prefix = f"/{get_language()}/"
    return f"/{code}/{path[len(prefix) :]}" if path.startswith(prefix) else path


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
            {"code": code, "name": name, "url": in_language(path, code)} for code, name in settings.LANGUAGES
        ],
    }
