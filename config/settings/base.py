"""Settings shared by every environment. Every value that differs between
machines comes from the environment (CONTRACT.md section 1)."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# Placeholder that production refuses (see config.settings.security).
INSECURE_SECRET_KEY = "insecure-development-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env("DJANGO_SECRET_KEY", default=INSECURE_SECRET_KEY)
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Our apps first so their templates override the libraries'.
    "core.apps.CoreConfig",
    "accounts.apps.AccountsConfig",
    "cms.apps.CmsConfig",
    "moderation.apps.ModerationConfig",
    "consultations.apps.ConsultationsConfig",
    "petitions.apps.PetitionsConfig",
    "complaints.apps.ComplaintsConfig",
    "accountability.apps.AccountabilityConfig",
    "events.apps.EventsConfig",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.locales",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "channels",
    "guardian",
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    # Serves Swagger UI's assets for /api/v1/docs from this site (no CDN).
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # Outermost: the site's CSP and Permissions-Policy on every response.
    "core.headers.SecurityHeadersMiddleware",
    # First, so its headers land on every response of a confidential path,
    # error pages and redirects included (no-store, same-origin referrer, CSP).
    "core.privacy.SensitivePagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "core.middleware.ApiErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.LocaleMiddleware",
    # After the locale (its refusals are in the caller's language), before CSRF,
    # which is the first to read a POST body.
    "core.middleware.RequestLimitsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Staff need a verified second factor for case, moderation and admin pages.
    "accounts.second_factor.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After sessions, auth and messages, so it can tell who must get a fresh page;
    # inside the header-setting middleware, so cached pages get the same headers.
    "core.page_cache.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Domain errors no view caught: 404, 403, sign-in or a message (core.errors).
    "core.http_errors.DomainErrorMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.site_chrome",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the one embedded process take concurrent requests.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # secure_delete: a deleted row's bytes are overwritten, not left in a
        # free page (the complaints purge, issue 17).
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
        ),
    }
    # Closed at the end of each request. Under ASGI every request runs its sync
    # code in a thread of its own (asgiref's per-request executor), so a kept
    # connection is never reused: it stayed open, page cache and all, until the
    # garbage collector found it, and a busy SQLite worker grew by hundreds of
    # MB (issue 21; docs/architecture.md, "Lean workers").
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # A pool per worker process: every request in flight would otherwise hold
    # its own connection, and a signing burst ran PostgreSQL out of them
    # (docs/benchmarks.md, W3). Requests wait up to `timeout` for a free one.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": env.int("DB_POOL_MIN", default=2),
        "max_size": env.int("DB_POOL_MAX", default=20),
        "timeout": env.int("DB_POOL_TIMEOUT", default=10),
    }
    # Connections that heal: checked before use, an outage answered at once
    # with 503 (core.db_postgresql); libpq's shortest connect timeout is 2 s.
    DATABASES["default"]["ENGINE"] = "core.db_postgresql"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"].setdefault(
        "connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=2)
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    from core.channel_layer import redis_hosts

    CACHES = {
        "default": {
            # Reads miss and writes drop while Redis is down (core.cache_backends).
            "BACKEND": "core.cache_backends.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="hrc"),
            # Explicit, not redis-py's default (none before 8, 5 s since): nothing
            # the cache sends (page cache, site chrome, throttles, axes) blocks on
            # the server, so a slow reply means Redis is stalled and the callers
            # should fail soft quickly (core.cache_backends sets 1 s).
        },
        # Where the failure limiter counts while Redis is down (core.throttle).
        "fallback": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "axes_cache",
        },
    }
    # The layer's blocking receive must end before the client's read timeout
    # does (core/channel_layer.py; docs/architecture.md, "Sockets that hold").
    CHANNEL_BRPOP_TIMEOUT = 5
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "core.channel_layer.RedisChannelLayer",
            "CONFIG": {
                "hosts": redis_hosts(REDIS_URL, brpop_timeout=CHANNEL_BRPOP_TIMEOUT),
                "brpop_timeout": CHANNEL_BRPOP_TIMEOUT,
                "prefix": env("CHANNEL_PREFIX", default="hrc"),
            },
        }
    }
    AXES_CACHE = "default"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Login failures must be counted atomically across processes, so
        # without Redis they live in a database cache table (createcachetable).
        "axes": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "axes_cache",
        },
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    AXES_CACHE = "axes"
# Sockets that share big groups (a consultation's readers) take part through
# one member per process on the layer above (core.fanout; issue 21).
CHANNEL_LAYERS["live"] = {
    "BACKEND": "core.fanout.LocalFanoutLayer",
    "CONFIG": {"upstream": "default"},
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz wants a task worker's check-in within a minute (docs/operations.md).
HEALTH_CHECK_WORKER = env.bool("HEALTH_CHECK_WORKER", default=True)
# Finished task rows (their arguments, results, tracebacks) are pruned after this.
TASK_RESULTS_KEEP_HOURS = env.int("TASK_RESULTS_KEEP_HOURS", default=24)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes must come first so a locked account is refused before any check.
    "axes.backends.AxesStandaloneBackend",
    # No rules.permissions backend: "may I?" is asked only through core.permissions
    # (docs/architecture.md, "One permission API"), never through user.has_perm.
    # Django's ModelBackend, but the user comes with its roles in one query.
    "accounts.backends.RolesWithUserBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    # Argon2id at OWASP's 19 MiB rather than Django's 100 MiB a sign-in, which
    # alone set a worker's peak memory (accounts/hashers.py, issue 21).
    "accounts.hashers.LeanArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "/"

# Failed logins lock the attacked username only, never an IP (a shared café or
# shelter IP must not lock everyone out) and never another account.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Failures are counted in the cache (Redis when scaled out), so no table keeps
# the IP address or user agent of people signing in (minimum collection).
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]
# Axes' log lines name the client; verbose mode adds its IP and user agent.
AXES_VERBOSE = False

GUARDIAN_USER_OBJ_PERMS_MODEL = "guardian.UserObjectPermission"
GUARDIAN_GROUP_OBJ_PERMS_MODEL = "guardian.GroupObjectPermission"
ANONYMOUS_USER_NAME = None  # no guardian "AnonymousUser" row: anonymous has no grants

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", "한국어"), ("en", "English")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True
# One date and time format per language (config/formats/<lang>/formats.py):
# templates write {{ value|date:"DATETIME_FORMAT" }} or "DATE_FORMAT", never a pattern.
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "static_collected"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Private files (complaint evidence) live outside MEDIA_ROOT and are never served directly.
PRIVATE_STORAGE_ROOT = env.path("PRIVATE_STORAGE_ROOT", default=VAR_DIR / "private")
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_BYTES", default=10 * 1024 * 1024)
# Evidence must never reach the disk unencrypted: keep request bodies (which the
# ASGI handler spools past this size) and uploads up to the evidence limit, plus
# room for the multipart envelope, in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = EVIDENCE_MAX_BYTES + 256 * 1024
# No route takes a larger body: refused from its Content-Length before anything
# is read (core.asgi, core.middleware). Uploads only ever live in memory.
REQUEST_BODY_MAX_BYTES = env.int("REQUEST_BODY_MAX_BYTES", default=FILE_UPLOAD_MAX_MEMORY_SIZE)
FILE_UPLOAD_HANDLERS = ["core.uploads.MemoryOnlyUploadHandler"]
# Django's ASGI handler spools a body past this size to disk: never let it.
FILE_UPLOAD_MAX_MEMORY_SIZE = max(FILE_UPLOAD_MAX_MEMORY_SIZE, REQUEST_BODY_MAX_BYTES)
# At most this many HTTP requests inside Django at once per worker; more wait
# in the event loop, none is refused (core.asgi.InFlightLimitMiddleware). Each
# one inside holds a thread and a database connection. 0: no bound. SQLite
# takes one writer at a time, and its one worker's memory is what the bound
# is for: 8 kept it at 206-227 MB with 1,000 sockets where 16 gave 258-265,
# signing at the same rate; on PostgreSQL 16, below the pool's 20
# (bench/notes.md, "Session 4").
ASGI_IN_FLIGHT_LIMIT = env.int(
    "ASGI_IN_FLIGHT_LIMIT",
    default=8 if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else 16,
)

WAGTAIL_SITE_NAME = _("Human Rights City")
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The admin under the strict CSP, with no third party: no Gravatar (it would send
# each editor's hashed e-mail to gravatar.com) and no release check against
# releases.wagtail.org (docs/architecture.md, "The Wagtail admin under the strict CSP").
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "txt", "hwp"]

# Without EMAIL_URL, mail is written to files under var/mail/ (one per
# message), never to the console: the log must not hold addresses or bodies.
EMAIL_CONFIG = (
    env.email_url("EMAIL_URL")
    if env("EMAIL_URL", default="")
    else {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(VAR_DIR / "mail"),
    }
)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env(
    "DEFAULT_FROM_EMAIL", default="Human Rights Office <humanrights@localhost>"
)
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

SESSION_COOKIE_HTTPONLY = True
# Django's database sessions, read with a query compiled once (core.sessions).
SESSION_ENGINE = "core.sessions"
# Confidential paths: see core.privacy.SensitivePagesMiddleware.
SENSITIVE_PATH_PREFIXES = ["complaints/", "casework/", "api/v1/complaints"]
# Complaint follow-up and retention (complaints.services, complaints.receipt_session).
COMPLAINTS_RECEIPT_IDLE_SECONDS = 30 * 60  # CONTRACT.md section 3
# The receipt page shows the receipt, kept encrypted in the session, this long.
COMPLAINTS_RECEIPT_SHOWN_SECONDS = 30 * 60
# "Exit this page" leaves for a neutral site.
COMPLAINTS_EXIT_URL = env("COMPLAINTS_EXIT_URL", default="https://www.naver.com/")
# Filing limits (generous: a shelter's shared connection must still get through).
COMPLAINTS_FILINGS_PER_CLIENT = env.int("COMPLAINTS_FILINGS_PER_CLIENT", default=30)
COMPLAINTS_FILINGS_PER_SESSION = env.int("COMPLAINTS_FILINGS_PER_SESSION", default=10)
COMPLAINTS_FILINGS_WINDOW_SECONDS = env.int("COMPLAINTS_FILINGS_WINDOW_SECONDS", default=60 * 60)
COMPLAINTS_RECEIPT_MAX_FAILURES = env.int("COMPLAINTS_RECEIPT_MAX_FAILURES", default=5)
COMPLAINTS_RECEIPT_WINDOW_SECONDS = env.int("COMPLAINTS_RECEIPT_WINDOW_SECONDS", default=15 * 60)
COMPLAINTS_RETENTION_DAYS = env.int("COMPLAINTS_RETENTION_DAYS", default=5 * 365)
COMPLAINTS_PURGE_WARNING_DAYS = env.int("COMPLAINTS_PURGE_WARNING_DAYS", default=30)
# The deadline engine (complaints.deadlines; docs/architecture.md "The deadline engine").
COMPLAINTS_TRIAGE_DAYS = env.int("COMPLAINTS_TRIAGE_DAYS", default=14)
COMPLAINTS_INVESTIGATION_DAYS = env.int("COMPLAINTS_INVESTIGATION_DAYS", default=90)
COMPLAINTS_REPLY_DAYS = env.int("COMPLAINTS_REPLY_DAYS", default=5)
COMPLAINTS_REMINDER_DAYS = env.int("COMPLAINTS_REMINDER_DAYS", default=3)
COMPLAINTS_DIGEST_HOUR = env.int("COMPLAINTS_DIGEST_HOUR", default=8)
SESSION_COOKIE_SAMESITE = "Lax"
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma
# separated). Empty by default: no header can change who the client is
# (core.throttle.client_address), so none can reset a limiter.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "core.logging.ScrubSensitiveFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["scrub"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
    "loggers": {
        # Request bodies and URLs can carry complaint text: never log them.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}

# Benchmarks only (`make bench`, issue 7): reference views at /bench/ref/ and a
# query-count header. Never set in production.
BENCH_REFERENCE_VIEWS = env.bool("BENCH_REFERENCE_VIEWS", default=False)
if BENCH_REFERENCE_VIEWS:
    MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]

# The name an authenticator app shows beside the staff code.
OTP_TOTP_ISSUER = "Human Rights City"

SILENCED_SYSTEM_CHECKS = [
    # Lockout is per username on purpose: locking an IP would lock out everyone
    # behind a shared connection (a shelter, a library, a migrant centre).
    "axes.W006",
]
