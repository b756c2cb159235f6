from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.middleware.security import SecurityMiddleware as DjangoSecurityMiddleware
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header

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


def visitor_language(request: HttpRequest, check_path: bool = False) -> str:
    """The language a visitor gets: the page's prefix, then the one they chose here (the cookie),
    then the first of their browser's languages that the site has. A browser that asks only for
    languages the site lacks (German, Polish) reads English, not the site's own default: an
    outsider more likely reads English than Belarusian. No preference at all gets the default."""
    if check_path and (from_path := translation.get_language_from_path(request.path_info)):
        return from_path
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen:
        try:
            return translation.get_supported_language_variant(chosen)
        except LookupError:
            pass
    asked = parse_accept_lang_header(request.headers.get("Accept-Language", ""))
    for language, _quality in asked:
        if language == "*":
            return settings.LANGUAGE_CODE
        try:
            return translation.get_supported_language_variant(language)
        except LookupError:
            continue
    return settings.FALLBACK_LANGUAGE if asked else settings.LANGUAGE_CODE


class VisitorLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware (the prefix redirects, Vary, Content-Language), choosing the
    language by `visitor_language`."""

    def process_request(self, request):
        translation.activate(visitor_language(request, check_path=True))
        request.LANGUAGE_CODE = translation.get_language()


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
        # Announced on the clearnet site only: on the onion address itself it would point to itself.
        if settings.ONION_LOCATION and not on_onion(request):
            response.headers["Onion-Location"] = settings.ONION_LOCATION.rstrip("/") + request.get_full_path()
        return response

    return middleware


# A NUL character is never real input, and PostgreSQL cannot store or compare text holding one.
JSON_NUL_MARKS = (b"\x00", b"\\u0000")


def _any_nul(fields) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in fields.lists())


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or _any_nul(request.GET):
        return True
    content_type = request.content_type or ""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return False
    if content_type == "application/json":
        body = request.body.lower()
        return any(mark in body for mark in JSON_NUL_MARKS)
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        # Form fields only: a file's bytes may hold anything.
        return _any_nul(request.POST)
    return False


def rejects_nul(get_response: Callable[[HttpRequest], HttpResponse]):
    """Input with a NUL character in the address, a field or a JSON body is refused whole, in one
    place, before any view (or database) sees it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            message = _("The request holds a character that no text can contain (NUL). Nothing was done.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": str(message)}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return get_response(request)

    return middleware


API_PREFIX = "/api/"
API_PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
}


def open_api(get_response: Callable[[HttpRequest], HttpResponse]):
    """The open-data API is for pages on every host: any origin may read it, without credentials
    (it uses none), and a preflight is answered before any view."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204, headers=API_PREFLIGHT_HEADERS)
        else:
            response = get_response(request)
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return response

    return middleware


def on_onion(request: HttpRequest) -> bool:
    """The request came to our onion address (the Host header as sent: a bad one is not an onion)."""
    host = request.META.get("HTTP_HOST", "").rsplit(":", 1)[0].rstrip(".").lower()
    return host.endswith(".onion")


class SecurityMiddleware(DjangoSecurityMiddleware):
    """Django's, but an onion address is not sent to https: Tor encrypts it end to end, and an
    onion service has no certificate (the redirect would make the onion site unreachable)."""

    def process_request(self, request):
        if on_onion(request):
            return None
        return super().process_request(request)
