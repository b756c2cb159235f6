from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Every powerful browser feature, denied to every origin including our own.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "battery",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "document-domain",
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
        "web-share",
        "xr-spatial-tracking",
    )
)


def privacy_headers(get_response: Callable[[HttpRequest], HttpResponse]):
    """Headers that Django's SecurityMiddleware does not set: Permissions-Policy and Onion-Location."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if settings.ONION_LOCATION:
            response.headers["Onion-Location"] = settings.ONION_LOCATION.rstrip("/") + request.get_full_path()
        return response

    return middleware
