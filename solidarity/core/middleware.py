from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Every powerful browser feature Chromium knows, denied to every origin including our own.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "gamepad",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "interest-cohort",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


# Pages whose forms post back to us. Under `no-referrer` a browser sends `Origin: null` with such
# a post, which Django's CSRF protection must refuse; `same-origin` still tells other hosts nothing.
FORM_PAGE_REFERRER_POLICY = "same-origin"


def allows_own_referrer(view):
    """For a public page whose form posts back to this site (see FORM_PAGE_REFERRER_POLICY)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Referrer-Policy"] = FORM_PAGE_REFERRER_POLICY
        return response

    return wrapped


def privacy_headers(get_response: Callable[[HttpRequest], HttpResponse]):
    """Headers that Django's SecurityMiddleware does not set (Permissions-Policy, Onion-Location),
    and the referrer policy of the back office, whose every page is a form."""
    admin_prefix = f"/{settings.ADMIN_PATH}"

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.path.startswith(admin_prefix):
            response.headers["Referrer-Policy"] = FORM_PAGE_REFERRER_POLICY
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if settings.ONION_LOCATION:
            response.headers["Onion-Location"] = settings.ONION_LOCATION.rstrip("/") + request.get_full_path()
        return response

    return middleware
