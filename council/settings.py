"""Settings for Council Tracker, read from environment variables.

Local use needs no variables at all: SQLite, console e-mail, eager Celery tasks.
Production sets ``DJANGO_ENV=production`` plus ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``SITE_URL``, ``DATABASE_URL``, ``REDIS_URL`` and the SMTP variables (see README).
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DJANGO_ENV = env_str("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production")
    # Only ever used on a developer's machine: production refuses to start without one.
    SECRET_KEY = "django-insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The address e-mails sent by tasks link to (a page or an export built in a request uses
# the request's own address). Production refuses to start without it, rather than send
# every reminder with a link to 127.0.0.1.
SITE_URL = env_str("SITE_URL")
if not SITE_URL:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SITE_URL must be set when DJANGO_ENV=production (e.g. https://council.example.org)"
        )
    SITE_URL = "http://127.0.0.1:8000"
if not SITE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SITE_URL must start with https:// or http://, got {SITE_URL!r}")

INSTALLED_APPS = [
    # Before the admin, so that its admin classes can show the per-language fields.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the docs' scripts served from here, not from a CDN
    "council",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Signing in sets the language cookie from the user's profile (council/middleware.py).
    "council.middleware.ProfileLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Anonymous users see only the login page.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "council.middleware.VaryOnHtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: counts failed logins and locks out brute force.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "council.urls"
WSGI_APPLICATION = "council.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "council.context_processors.notifications",
            ],
        },
    },
]

# SQLite needs nothing installed; production points DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60 if PRODUCTION else 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A page is one user waiting on one query: parallel workers only pay off for scans far
    # larger than a page reads, and on a small server they take the cores the other
    # requests need (the capped count of the commitment list at 1M commitments: 20 ms with
    # two workers, 10 ms without). DB_PARALLEL_WORKERS=N allows N; "default" leaves the
    # server's own setting.
    _parallel = env_str("DB_PARALLEL_WORKERS", "0")
    if _parallel.isdigit():
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
            f"-c max_parallel_workers_per_gather={_parallel}"
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The demo serves several requests at once: a write waits up to 20 s for another to
    # finish instead of answering "database is locked", and a write transaction takes the
    # lock when it begins (IMMEDIATE), so it never fails halfway on upgrading a read lock.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": env_int("SQLITE_TIMEOUT", 20), "transaction_mode": "IMMEDIATE"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Report figures are computed live unless the archive holds more commitments than this;
# then they are cached (per process) this many seconds and shown with their time.
REPORT_LIVE_LIMIT = env_int("REPORT_LIVE_LIMIT", 20_000)
REPORT_CACHE_SECONDS = env_int("REPORT_CACHE_SECONDS", 600)

AUTH_USER_MODEL = "council.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: 5 failures for one user name from one address lock it for 15 minutes.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Two limits (council.login_throttle): failures of one user name at one address, and
# failures from one address across all user names (an office shares an address).
AXES_HANDLER = "council.login_throttle.LoginThrottle"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]  # in this order
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 1 if PRODUCTION else 0)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "council:dashboard"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: the councils work in Russian first; English is the fallback.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("ky", _("Kyrgyz")),
]
LOCALE_PATHS = [BASE_DIR / "council" / "locale"]
USE_I18N = True
# Numbers in the locale's form: 1,400,000 in English, 1 400 000 in Russian. Identifiers
# and years in templates go through |unlocalize.
USE_THOUSAND_SEPARATOR = True
# Kazakh formats (Django ships translations for it, but no formats).
FORMAT_MODULE_PATH = ["council.formats"]
# Reference data (names of parties, agencies, councils, sectors, indicators; positions)
# is stored once with a column per language (council/translation.py). A missing
# translation falls back to English; Kazakh and Kyrgyz fall back to Russian first, the
# working language of the councils' documents that both sides read.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {
    "default": ("en", "ru", "kk", "ky"),
    "kk": ("ru", "en", "ky"),
    "ky": ("ru", "en", "kk"),
}
TIME_ZONE = env_str("TIME_ZONE", "Asia/Almaty")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Several web machines must share the uploaded files: with S3_BUCKET set they live in any
# S3-compatible store (AWS, MinIO, Yandex Object Storage, PS Cloud…), private, read back
# through the app's own permission-checked download views (never a public bucket URL).
if env_str("S3_BUCKET"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET"),
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "location": env_str("S3_PREFIX", "media"),
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# One server keeps its caches per process; several web machines share one in Redis
# (CACHE_URL, e.g. redis://redis:6379/1), so the API's per-token throttle, the public pages
# and the report figures are counted and computed once for all of them.
if env_str("CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("CACHE_URL"),
            "KEY_PREFIX": "council",
        }
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# E-mail through Django 6.1 mailers: console locally, SMTP in production.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Council Tracker <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env_str("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("SMTP_HOST"),
                "port": env_int("SMTP_PORT", 587),
                "username": env_str("SMTP_USER"),
                "password": env_str("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_USE_TLS", True),
                "timeout": env_int("SMTP_TIMEOUT", 10),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# Celery: Redis in production; without a broker every task runs in-process so the
# demo needs no Redis.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_timeout": 3, "socket_connect_timeout": 3}
# Publishing gives up quickly when Redis is down; the next scan enqueues again.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# Reminders reach people on working days from 09:00 to 18:00 in their country (Asia/Almaty,
# Asia/Bishkek, with each country's public holidays); the scan holds the rest till then.
REMINDERS_WORKING_HOURS_ONLY = env_bool("REMINDERS_WORKING_HOURS_ONLY", True)
# One static schedule: tasks themselves read what is due from the database.
CELERY_BEAT_SCHEDULE = {
    # Webhook deliveries whose task was lost, and retries whose back-off has passed.
    "webhooks-scan": {
        "task": "council.tasks.webhooks_scan",
        "schedule": env_int("WEBHOOK_SCAN_SECONDS", 60),
        "options": {"expires": env_int("WEBHOOK_SCAN_SECONDS", 60)},
    },
    # Each council's report counts on a large archive (the reports page adds them up).
    "report-tallies-scan": {
        "task": "council.tasks.report_tallies_scan",
        "schedule": env_int("REPORT_CACHE_SECONDS", 600),
        "options": {"expires": env_int("REPORT_CACHE_SECONDS", 600)},
    },
    "reminders-scan": {
        "task": "council.tasks.reminders_scan",
        "schedule": env_int("REMINDER_SCAN_SECONDS", 15 * 60),
        # A scan that waited longer than its period is superseded by the next one.
        "options": {"expires": env_int("REMINDER_SCAN_SECONDS", 15 * 60)},
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}


# The JSON API (council/api/): personal tokens, or the signed-in session for the docs page.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "council.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["council.api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api": os.environ.get("API_THROTTLE_RATE", "600/minute")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "council.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Council Tracker API",
    "DESCRIPTION": (
        "Councils, sessions, commitments, progress reports, reviews, protocols and "
        "indicators, as the staff app shows them to the token's person."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "CommitmentStatusEnum": "council.models.CommitmentStatus",
        "SessionStatusEnum": "council.models.SessionStatus",
        "ProtocolStatusEnum": "council.models.ProtocolStatus",
    },
}

# Webhooks go to HTTPS addresses; plain HTTP only to this machine, and only when asked
# (the tests' receiver, a developer's local tool).
WEBHOOKS_ALLOW_HTTP_LOOPBACK = env_bool("WEBHOOKS_ALLOW_HTTP_LOOPBACK", False)
