"""The one settings module, driven by environment variables.

Safe by default: DEBUG is off unless asked for, HTTPS is assumed unless DEBUG is on or HTTPS=0,
and everything runs embedded (SQLite, in-process cache) unless DATABASE_URL / REDIS_URL say
otherwise. Every secret can also be read from a file named by the same variable plus `_FILE`.
"""

import hashlib
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from solidarity.registry.country import canonical_list, read_country

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    """The variable's value, or the content of the file named by NAME_FILE, or the default."""
    if name in os.environ:
        return os.environ[name]
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Production serves over HTTPS; `make run` on 127.0.0.1 says HTTPS=0.
HTTPS = env_bool("HTTPS", not DEBUG)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE), or DEBUG=1 for development.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    "solidarity.staff.apps.StaffAdminConfig",  # the admin, behind two-factor authentication
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",  # RQ's worker command, for the tasks at scale
    "solidarity.core",
    "solidarity.audit",
    "solidarity.registry",
    "solidarity.catalogue",
    "solidarity.api",
    "solidarity.imports",
    "solidarity.stats",
    "solidarity.friends",
    "solidarity.letters",
    "solidarity.donations",
    "solidarity.parcels",
    "solidarity.magazine",
    "solidarity.testimonies",
    "solidarity.petitions",
    "solidarity.staff",
]

MIDDLEWARE = [
    "solidarity.core.middleware.SecurityMiddleware",  # Django's, without sending onion visitors to https
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "solidarity.core.middleware.privacy_headers",
    "solidarity.core.middleware.open_api",
    # Before everything a visitor without cookies need not go through (`core.page_cache`).
    "solidarity.core.page_cache.serves_kept_pages",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "solidarity.core.middleware.VisitorLocaleMiddleware",
    "solidarity.core.middleware.rejects_nul",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "solidarity.urls"
WSGI_APPLICATION = "solidarity.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "solidarity.core.context_processors.site",
            ],
        },
    },
]

# --- Data ----------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock up front so
    # concurrent transactions wait for each other instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        # secure_delete: a deleted row's bytes are overwritten, not left in free pages (a purged
        # testimony's codename hash and key must not be found in the file afterwards).
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Which data this is: the versions of one database and what is derived from it are never taken for
# another's (two databases beside one var/ folder, or on one Redis).
DATA_ID = hashlib.sha256(
    repr([DATABASES["default"].get(part) for part in ("ENGINE", "NAME", "HOST", "PORT")]).encode()
).hexdigest()[:12]

# Two caches (`core.cache`): "default" for what can be made again (an outage of Redis is a miss),
# and "ledger" for rate limits, delays and one-use markers, which are never dropped to make room
# (Redis must keep its default maxmemory-policy, noeviction) and whose outage refuses what needs
# them. The same Redis holds both, under one prefix.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    REDIS_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    CACHES = {
        alias: {
            "BACKEND": backend,
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "solidarity"),
            "OPTIONS": REDIS_OPTIONS,
        }
        for alias, backend in (
            ("default", "solidarity.core.cache.RedisCache"),
            ("ledger", "solidarity.core.cache.RedisLedger"),
            ("pages", "solidarity.core.cache.RedisCache"),
            ("fragments", "solidarity.core.cache.RedisCache"),
            ("versions", "solidarity.core.cache.RedisCache"),
        )
    }
    CACHES["versions"]["KEY_PREFIX"] += f":{DATA_ID}"
else:
    # Whole pages and parts of pages have caches of their own, so that a crawler's thousand addresses
    # cannot push out the statistics or the versions; in the process each is bounded by the bytes
    # it holds (megabytes: PAGE_CACHE_MB, FRAGMENT_CACHE_MB), the least recently read going first.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        },
        "ledger": {"BACKEND": "solidarity.core.cache.LocalLedger", "LOCATION": "ledger"},
        "pages": {
            "BACKEND": "solidarity.core.cache.BoundedLocalCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 100_000, "MAX_BYTES": env_int("PAGE_CACHE_MB", 16) * 2**20},
        },
        # Parts of pages: a person's card (about 1.5 KB), a profile's record, the home page's content.
        "fragments": {
            "BACKEND": "solidarity.core.cache.BoundedLocalCache",
            "LOCATION": "fragments",
            "OPTIONS": {"MAX_ENTRIES": 100_000, "MAX_BYTES": env_int("FRAGMENT_CACHE_MB", 16) * 2**20},
        },
        # The data's versions (`core.versions`): files, shared by the web server and the worker.
        "versions": {
            "BACKEND": "solidarity.core.cache.VersionFiles",
            "LOCATION": env("VERSIONS_DIR", str(VAR_DIR / "versions")),
            "KEY_PREFIX": DATA_ID,
        },
    }
# Sessions are signed cookies: the server keeps no session at all, so nothing of it dates a visit.
# A friend's holds the codename's keyed hash (`friends.session`); staff's, the account, a keyed
# hash of its password (changing the password ends every copy) and the verified device.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"

# Background work (large imports, the magazine's schedule, the daily chores), run by `manage.py
# worker`: kept in the database on the embedded default; at scale in Redis, run by RQ's workers.
TASKS = {
    "default": {
        "BACKEND": env(
            "TASKS_BACKEND", "django_tasks_rq.RQBackend" if REDIS_URL else "django_tasks_db.DatabaseBackend"
        )
    }
}
RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
# The daily chores' hour in TIME_ZONE (`core.chores`): shortly after midnight, when a day is new.
CHORES_AT = env("CHORES_AT", "00:20")

# --- Languages -----------------------------------------------------------------------------------

# The interface languages; content fields get one column per language (modeltranslation).
LANGUAGE_CODE = env("LANGUAGE_CODE", "be")
LANGUAGES = [
    ("be", "Беларуская"),
    ("ru", "Русский"),
    ("en", "English"),
]
# For a browser that asks only for languages the site does not have.
FALLBACK_LANGUAGE = "en"
# The language whose name fields hold the Latin spelling of people's names.
LATIN_LANGUAGE = "en"
LOCALE_PATHS = [BASE_DIR / "solidarity" / "locale"]
# Formats for the languages Django has none for: Belarusian dates as "10 сакавіка 2024".
FORMAT_MODULE_PATH = ["solidarity.formats"]
USE_I18N = True
USE_TZ = True
# The country whose registry this is: the data file with its regions, facility kinds,
# criminal-code articles, time zone, and the canonical list the counts follow.
COUNTRY = env("COUNTRY", "by")
TIME_ZONE = env("TIME_ZONE") or read_country(COUNTRY)["country"]["time_zone"]
MODELTRANSLATION_DEFAULT_LANGUAGE = LANGUAGE_CODE
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("be", "ru", "en")}

REGISTRY_SOURCE_NAME = env("REGISTRY_SOURCE_NAME") or canonical_list(COUNTRY).name
REGISTRY_SOURCE_URL = env("REGISTRY_SOURCE_URL") or canonical_list(COUNTRY).url

# --- Static and media ----------------------------------------------------------------------------

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- Authentication (staff only: supporters never need an account) --------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
ADMIN_PATH = "admin/"
# The magazine's pictures stay in memory while they are re-encoded (`magazine.uploads`).
FILE_UPLOAD_HANDLERS = [
    "solidarity.testimonies.uploads.SealingUploadHandler",  # testimonies' files: sealed as they arrive
    "solidarity.magazine.uploads.PicturesInMemory",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "Solidarity back office")
# django-otp's own throttle off: after a mistyped code it refused even the correct one for a second
# or more and we could only say "wrong code". `staff.throttle` slows guessing per account instead,
# and says so when it does.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Staff logins: after LOGIN_FAILURES_PER_ACCOUNT attempts on an account (forgotten after a success,
# or LOGIN_FAILURE_WINDOW after the last), each further attempt waits 1, 2, 4... seconds, up to the
# window; and LOGIN_ATTEMPTS_PER_CLIENT attempts per window per client, only where our proxy tells
# clients apart (hashed, never stored).
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_ATTEMPTS_PER_CLIENT = env_int("LOGIN_ATTEMPTS_PER_CLIENT", 20)
LOGIN_FAILURE_WINDOW = env_int("LOGIN_FAILURE_WINDOW", 15 * 60)

# --- Security headers and cookies ----------------------------------------------------------------

# Cookies exist only where a form needs one, and end with the browser session.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_COOKIE_SAMESITE = "Strict"
# Over HTTPS, a `__Host-` cookie can only be set by this host itself: no sibling subdomain (nor a
# plain-HTTP page of one) can plant a session of its own in a visitor's browser.
COOKIE_PREFIX = "__Host-" if HTTPS else ""
SESSION_COOKIE_NAME = f"{COOKIE_PREFIX}session"
CSRF_COOKIE_AGE = None
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
# Django looks for its own SecurityMiddleware by name; ours is a subclass of it (it only spares the
# onion address the redirect), so every SECURE_* setting takes effect.
SILENCED_SYSTEM_CHECKS = ["security.W001"]
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env_bool("HSTS_PRELOAD", True)
# Behind our own reverse proxy: trust its X-Forwarded-Proto, and the address it appends to
# X-Forwarded-For (used, hashed, for rate limits only) when the connection comes from one of
# TRUSTED_PROXIES (addresses or networks).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "127.0.0.1,::1")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Tor users can be told about the onion service (an `Onion-Location` header on every page).
ONION_LOCATION = env("ONION_LOCATION", "")

# Nothing but our own origin, and no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
    }
}

# --- Logging: no visitor's IP address or user agent is ever written -------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"without_request": {"()": "solidarity.core.logging.WithoutRequest"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["without_request"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replaces Django's default, which mails the request (with its address) to ADMINS.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # runserver's access log.
        "django.server": {"handlers": [], "propagate": False},
        # fpdf2 subsets fonts with fontTools, which reports every table at INFO; fpdf2 itself warns
        # of characters a font lacks by quoting them, which would put pieces of letters in the log.
        "fontTools": {"level": "WARNING"},
        # The Stripe SDK reports every call at INFO, with the objects' ids in the path.
        "stripe": {"level": "WARNING"},
        "fpdf": {"level": "ERROR"},
    },
}

SITE_NAME = _("Solidarity with political prisoners")

# Friendship: codenames are stored as HMACs with this pepper (derived from SECRET_KEY when unset;
# set it separately in production, since changing it makes every codename unknown).
FRIENDS_PEPPER = env("FRIENDS_PEPPER", "")
FRIENDS_LIMIT_PER_HOUR = env_int("FRIENDS_LIMIT_PER_HOUR", 30)  # with the proof-of-work
FRIENDS_LIMIT_PER_HOUR_WITHOUT_JS = env_int("FRIENDS_LIMIT_PER_HOUR_WITHOUT_JS", 6)
FRIENDS_REMEMBER_COOKIE = f"{COOKIE_PREFIX}friend"
FRIENDS_REMEMBER_DAYS = 365
# Letters: texts are deleted this many days after mailing (or returning); read replies this many days
# after first reading. Reply scans live in PRIVATE_ROOT, which is never served as media.
LETTERS_TEXT_DAYS = env_int("LETTERS_TEXT_DAYS", 30)
LETTERS_REPLY_DAYS = env_int("LETTERS_REPLY_DAYS", 14)
LETTERS_UNREAD_REPLY_DAYS = env_int("LETTERS_UNREAD_REPLY_DAYS", 180)  # a reply nobody comes for
LETTERS_LIMIT_PER_HOUR = env_int("LETTERS_LIMIT_PER_HOUR", 10)  # letters handed to volunteers per client
PRIVATE_ROOT = Path(env("PRIVATE_ROOT", str(VAR_DIR / "private")))

# --- Donations: a payment provider without its settings is simply not offered --------------------
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", "")
STRIPE_WEBHOOK_TOLERANCE = env_int("STRIPE_WEBHOOK_TOLERANCE", 300)  # seconds a signed event stays good
STRIPE_API_BASE = env("STRIPE_API_BASE", "")  # Stripe's own when empty (stripe-mock, a test double)
# Where Checkout's hosted page lives: the giving page's form may only send the donor there.
STRIPE_CHECKOUT_ORIGIN = env("STRIPE_CHECKOUT_ORIGIN", "https://checkout.stripe.com")
BTCPAY_URL = (env("BTCPAY_URL", "") or "").rstrip("/")  # the organisation's own BTCPay Server
BTCPAY_STORE_ID = env("BTCPAY_STORE_ID", "")
BTCPAY_API_KEY = env("BTCPAY_API_KEY", "")
BTCPAY_WEBHOOK_SECRET = env("BTCPAY_WEBHOOK_SECRET", "")
# Where donors' browsers reach it, when not at BTCPAY_URL (the server may reach it by another address).
BTCPAY_PUBLIC_URL = (env("BTCPAY_PUBLIC_URL", "") or "").rstrip("/")
BTCPAY_PROXY = env("BTCPAY_PROXY", "")  # socks5h://127.0.0.1:9050 to reach an onion address through Tor
DONATIONS_PEPPER = env("DONATIONS_PEPPER", "")  # the key of references' and stop codes' hashes

# --- Testimonies ---------------------------------------------------------------------------------

# The legal team's X25519 public key (base64, or a file holding it, as `python -m
# solidarity.testimonies.offline keygen` writes it). Only ever the public half: `check` fails if a
# private key is configured. Without one the testimony form says it is closed.
_TESTIMONY_KEY_FILE = env("TESTIMONY_PUBLIC_KEY_FILE", "")
_TESTIMONY_KEY_PATH = Path(_TESTIMONY_KEY_FILE) if _TESTIMONY_KEY_FILE else None
TESTIMONY_PUBLIC_KEY = env("TESTIMONY_PUBLIC_KEY", "") or (
    _TESTIMONY_KEY_PATH.read_text().strip() if _TESTIMONY_KEY_PATH and _TESTIMONY_KEY_PATH.exists() else ""
)
TESTIMONY_MAX_BYTES = env_int("TESTIMONY_MAX_MEGABYTES", 200) * 1024 * 1024  # each attachment
# Attachments sealed but not yet part of a stored testimony, across all posts under way: past this,
# new files are refused ("busy"), so that posts that never finish cannot fill the database.
TESTIMONY_PENDING_BYTES = env_int("TESTIMONY_PENDING_MEGABYTES", 4000) * 1024 * 1024
TESTIMONY_KEEP_DAYS = env_int("TESTIMONY_KEEP_DAYS", 180)  # sealed data not confirmed by then goes
TESTIMONIES_PEPPER = env("TESTIMONIES_PEPPER", "")  # the codenames' hash key: not the friends'
TESTIMONY_LEAVE_URL = env("TESTIMONY_LEAVE_URL", "https://www.google.com/search?q=weather")
# --- Petitions, and mail ------------------------------------------------------------------------

PETITIONS_PEPPER = env("PETITIONS_PEPPER", "")  # the key of signers' address hashes
# Mail (the petitions' confirmations) goes through Django's e-mail framework: into files under
# var/mail/ in the embedded default (`make run` says so), through SMTP when EMAIL_HOST is set.
EMAIL_HOST = env("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
else:
    EMAIL_BACKEND = "solidarity.core.mail.OutboxFileBackend"  # no recipient, no time kept
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "petitions@localhost")

DONATION_CURRENCIES = env_list("DONATION_CURRENCIES", "EUR,USD,PLN")
# Stripe takes refunds for 180 days and disputes for 120: a provider's reference is kept this long
# after the gift, then only its keyed hash remains.
DONATION_REFERENCE_DAYS = env_int("DONATION_REFERENCE_DAYS", 180)
DONATION_RECEIPT_DAYS = env_int("DONATION_RECEIPT_DAYS", 7)  # how long a receipt's code downloads it
DONATION_LIMIT_PER_HOUR = env_int("DONATION_LIMIT_PER_HOUR", 20)  # checkouts and invoices started per client
DONATION_BANK_DETAILS = env("DONATION_BANK_DETAILS", "")  # shown to donors who would rather transfer
DONATION_RECEIPT_ISSUER = env("DONATION_RECEIPT_ISSUER", "")  # named on receipts (the site's name if empty)

# The embedded setup serves uploaded photos itself; behind a proxy, let the proxy do it.
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)

# Public pages are kept whole in the cache under the versions of the data they show; this long at
# most, which is also how old a friend count on them may be.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 60)
# What is derived from the registry and slow to make (the search index, the statistics' facts) is
# kept here for every process of the machine (`core.derived`); only this application writes it.
DERIVED_DIR = Path(env("DERIVED_DIR", str(VAR_DIR / "derived" / DATA_ID)))
# While a newer version is made, serve the one a process holds (off in tests: made at once).
DERIVED_IN_BACKGROUND = True
