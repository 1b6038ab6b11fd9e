"""SuccessHub settings, read from the environment through django-environ.

Every knob is an environment variable (see README "Configuration"). Defaults
are safe for production: ``DEBUG`` is off unless asked for, and without
``DEBUG`` the process refuses to start unless a ``SECRET_KEY`` is given.
"""

from datetime import timedelta
from pathlib import Path

import csp.constants
import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# A fixed key is only acceptable while developing; production must bring its own.
_DEV_SECRET_KEY = "django-insecure-successhub-development-only-key-do-not-use-in-production"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable, "
            "or DEBUG=true for local development."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [],
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_filters",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "import_export",
    "csp",
    "core",
    "successhub",
    "engagements",
    "playbooks",
    "successplans",
    "health",
    "notifications",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc files, served from here
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RefuseNulMiddleware",  # a NUL in any input: 400 (PostgreSQL refuses it)
    "core.ids.OutOfRangeIdMiddleware",  # a path id above 2^63 - 1: 404 (SQLite cannot bind it)
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy (below)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.EventScopeMiddleware",  # listeners share one request's lookups
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After sign-in and messages: answers the most-read pages from the cache, and counts
    # every successful write so none is answered stale (successhub/page_cache.py).
    "successhub.page_cache.PageCacheMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # In production whitenoise serves the collected, hashed and compressed files;
    # while developing runserver (and the tests' live server) serve them from static/.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "successhub.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "successhub.context_processors.workspace",
                "notifications.context_processors.unread",
            ],
            # Our shared tags (sort headers, badges) are available in every template.
            "builtins": ["core.templatetags.workspace"],
        },
    },
]

WSGI_APPLICATION = "successhub.wsgi.application"
ASGI_APPLICATION = "successhub.asgi.application"

# Default: an SQLite file next to manage.py, so nothing else is needed to start.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The same backend, knowing SQLite's real bound-variable limit (see its docstring).
    DATABASES["default"]["ENGINE"] = "successhub.sqlite3"
    # Take the write lock when a transaction starts, so two writers queue
    # instead of failing with "database is locked" half-way through.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # Tests use an in-memory database; said explicitly because pytest-django only
    # recognises the stock engine name, and would give each xdist worker a file.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The Select Records grid of a large template posts well over Django's default
# of 1,000 fields (20 objectives x 5 KPIs and 100 tasks is about 1,700).
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=10_000)

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# username from one address, that username is refused from that address (HTTP 429, our
# page) until AXES_COOLOFF_MINUTES have passed without a new attempt or an admin deletes
# the attempt under Axes > Access attempts. Username and address together, so nobody
# can lock a colleague out from elsewhere; a success clears the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out sign-in
    # ModelBackend that reads the namesakes of people labels with the user (core/auth.py);
    # ModelBackend stays for sessions signed in before it.
    # ... and, first, the same with the bell's unread count in that query (notifications/auth.py)
    "notifications.auth.UnreadCountBackend",
    "core.auth.PersonLabelBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# The REST API (api/, README "API"): personal tokens or the session (with CSRF), JSON
# only, the roles' model permissions, cursor pages, a rate per user from API_THROTTLE_RATE
# ("120/min"; empty for none).
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="120/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.ModelPermissions"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiUserRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_METADATA_CLASS": None,  # no OPTIONS answers: the schema describes everything
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SuccessHub API",
    "DESCRIPTION": "Accounts, engagements, success cases and success plans; feed KPI values.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # A case's phase and an activity's lane are both "phase": the case's is named here.
    "ENUM_NAME_OVERRIDES": {
        "CasePhaseEnum": "playbooks.models.Phase",
        "EngagementStateEnum": "engagements.models.Engagement.State",  # vs. a case's state
    },
}

# Email (password reset links): EMAIL_URL as django-environ reads it, e.g.
# smtp+tls://user:password@mail.example.com:587; by default mail is printed to the
# console (the process's standard output), so nothing leaves the machine until set.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="SuccessHub <successhub@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in mail and in the calendar feed are absolute: the address users reach the site at.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")

# Background work (mail, webhooks): django-tasks with its database backend, so it runs
# on SQLite and PostgreSQL alike; `manage.py db_worker` runs the queue (README
# "Background work"), several workers side by side on PostgreSQL. TASKS_BACKEND=immediate
# runs each task in the process that enqueued it (the test suite does that).
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[env.str("TASKS_BACKEND", default="database")],
        "QUEUES": ["default"],
    }
}

# The cache: CACHE_URL as django-environ reads it (e.g. redis://127.0.0.1:6379/1 to share
# it between app servers); by default each process keeps its own in memory.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://successhub")}
CACHES["default"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 2000)
# Whole-page caching of the pages read most (successhub/page_cache.py): each cached page
# lives PAGE_CACHE_SECONDS at most (0 turns it off) and any write retires them all.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60)
PAGE_CACHE_VIEWS = {"playbooks:case-list", "playbooks:case-detail"}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Security: strict unless DEBUG. `manage.py check --deploy` reports nothing with
# DEBUG=false and a real SECRET_KEY / ALLOWED_HOSTS.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# Content-Security-Policy (django-csp): scripts, styles, images, fonts and requests from this
# site only; no inline script or style, no eval, no plugin, no framing, forms post here only.
# Enforced without DEBUG (and in the test suite, tests/conftest.py); while developing it is
# report-only, so Django's debug pages keep their inline styles and the browser's console
# still names every violation. The API docs pages widen it for themselves (api/urls.py).
_CSP_SELF = [csp.constants.SELF]
_CSP = {
    "DIRECTIVES": {
        "default-src": _CSP_SELF,
        "script-src": _CSP_SELF,
        "style-src": _CSP_SELF,
        "img-src": _CSP_SELF,
        "font-src": _CSP_SELF,
        "connect-src": _CSP_SELF,
        "object-src": [csp.constants.NONE],
        "base-uri": _CSP_SELF,
        "form-action": _CSP_SELF,
        "frame-ancestors": [csp.constants.NONE],
    }
}
CONTENT_SECURITY_POLICY = None if DEBUG else _CSP
CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP if DEBUG else None
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    # A load balancer polls /healthz over plain HTTP inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
        # Behind a TLS-terminating proxy that sets X-Forwarded-Proto.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
