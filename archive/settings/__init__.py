"""Settings for the policy statement archive.

Everything a deployment changes comes from the environment; the embedded defaults give a working
single-machine archive (SQLite and a Whoosh index under ARCHIVE_DATA_DIR) with no configuration at all.

Environment variables:
    ARCHIVE_DATA_DIR  folder for the SQLite database, the Whoosh index and the generated secret (./data)
    DATABASE_URL      overrides the database, e.g. postgres://user:pass@host:5432/archive
    SEARCH_URL        overrides the search backend (see archive/settings/search_url.py; default: Whoosh on disk)
    SECRET_KEY        the secret key; when unset, one is generated once and kept in ARCHIVE_DATA_DIR
    DEBUG             "1"/"true" to turn debugging on (off unless set)
    ALLOWED_HOSTS     comma-separated host names (default: 127.0.0.1,localhost,[::1])
    ARCHIVE_HTTPS     "1" when served over HTTPS (secure cookies, HSTS, redirect to https). Defaults to on
                      when SECRET_KEY is set in the environment and DEBUG is off, i.e. in a real deployment.
    ARCHIVE_TRUSTED_PROXY  in HTTPS mode, the address of the TLS proxy in front of `serve` (127.0.0.1)
    CACHE_URL         where rendered browse pages are kept (archive/page_cache.py): unset for memory in each process,
                      redis://host:6379/0 or memcached://host:11211 for a cache shared by several machines,
                      dummy:// for none
    ARCHIVE_PAGE_CACHE_ENTRIES  pages each process keeps in memory when CACHE_URL is unset (1000)
"""

import datetime
import os
import secrets
from pathlib import Path

import dj_database_url

from archive.settings.search_url import haystack_connections_from_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_from_url(url: str, max_entries: int) -> dict:
    """CACHES["default"] for CACHE_URL, with Django's built-in backends only (Redis needs the `redis` package,
    memcached `pymemcache`). Unset: memory in each process, at most `max_entries` pages, least recently used out."""
    scheme, _, rest = url.partition("://")
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "archive",
            "OPTIONS": {"MAX_ENTRIES": max_entries},
        }
    if scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if scheme == "memcached":
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": rest.split(",")}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ValueError(f"CACHE_URL {url!r}: expected redis://, rediss://, memcached:// or dummy://")


DATA_DIR = Path(os.environ.get("ARCHIVE_DATA_DIR", BASE_DIR / "data")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """The environment's secret, or one generated once per data folder so sessions survive restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "archive.index_commands",  # update_index/rebuild_index: a full build through one writer (before haystack)
    "haystack",
    "axes",
    "archive",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "archive.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface's language from the switcher's cookie or Accept-Language (archive/i18n.py).
    "archive.i18n.InterfaceLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "archive.urls"
WSGI_APPLICATION = "archive.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "archive.i18n.languages",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'archive.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}


def require_postgres_driver(setting: str) -> None:
    """Stop at start-up, with what to install, when a PostgreSQL URL is given without the driver (psycopg is an
    optional dependency: the embedded SQLite set-up does not need it)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise SystemExit(
            f"{setting} names a PostgreSQL server, but its driver is not installed: run "
            "`pip install -r requirements/postgres.txt -e '.[postgres]'` and start again."
        ) from None


if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    require_postgres_driver("DATABASE_URL")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several server processes share one SQLite file: WAL lets readers go on while one writes, and the
    # timeout makes a writer wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rendered browse pages, kept until the data changes (archive/page_cache.py). Several machines should share one
# cache (CACHE_URL=redis://... or memcached://...), or each keeps its own copy of every page it has rendered.
CACHES = {
    "default": cache_from_url(
        os.environ.get("CACHE_URL", ""), max_entries=int(os.environ.get("ARCHIVE_PAGE_CACHE_ENTRIES", "1000"))
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-axes first: it refuses a paused account before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Failed logins are counted per username and client address, in the database so every server process sees them.
# The address is REMOTE_ADDR; behind the TLS proxy `serve` takes it from the proxy's X-Forwarded-For.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "archive.security.lockout_response"

LANGUAGE_CODE = "en-gb"
# The interface's languages (the archive's records are in any language). Catalogues in locale/; adding a language
# is a line here and a locale/<code>/LC_MESSAGES/django.po (README, Languages).
LANGUAGES = [("en-gb", "English"), ("ru", "Русский"), ("zh-hans", "中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# WhiteNoise serves straight from the finders, so a new user needs no collectstatic step.
WHITENOISE_USE_FINDERS = True

HAYSTACK_CONNECTIONS = haystack_connections_from_url(os.environ.get("SEARCH_URL", ""), DATA_DIR, databases=DATABASES)
if HAYSTACK_CONNECTIONS["default"]["ENGINE"].startswith("archive.search.backends.postgres"):
    require_postgres_driver("SEARCH_URL")
# Every query names the type it searches, so haystack's extra pass restricting hits to registered models is waste.
HAYSTACK_LIMIT_TO_REGISTERED_MODELS = False
# Index changes are queued in the database and applied by one writer (archive/search/indexing.py): right after each
# commit by the process that made the change (off: leave it all to `manage.py index_worker`, e.g. on machines that
# do not hold the index), waiting at most ARCHIVE_INDEX_LOCK_TIMEOUT seconds for another writer.
ARCHIVE_INDEX_ON_COMMIT = env_flag("ARCHIVE_INDEX_ON_COMMIT", default=True)
ARCHIVE_INDEX_LOCK_TIMEOUT = float(os.environ.get("ARCHIVE_INDEX_LOCK_TIMEOUT", "10"))
# Writing processes of a full index build (rebuild_index): unset, 2 for a build of 20,000 documents or more on a
# machine with 2 cores or more (archive.search.indexing.build_procs), else 1.
ARCHIVE_BUILD_PROCS = int(os.environ["ARCHIVE_BUILD_PROCS"]) if os.environ.get("ARCHIVE_BUILD_PROCS") else None
# Exports (/api/search.csv) running at once in one server process; more are answered 429 (archive/exports.py).
ARCHIVE_CONCURRENT_EXPORTS = int(os.environ.get("ARCHIVE_CONCURRENT_EXPORTS", "2"))

LOGIN_URL = "admin:login"

# Security. ARCHIVE_HTTPS turns on what only makes sense behind HTTPS; the local `serve` runs plain HTTP.
ARCHIVE_HTTPS = env_flag("ARCHIVE_HTTPS", default=bool(os.environ.get("SECRET_KEY")) and not DEBUG)
SESSION_COOKIE_HTTPONLY = True
# No script of the admin or the site reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = ARCHIVE_HTTPS
CSRF_COOKIE_SECURE = ARCHIVE_HTTPS
LANGUAGE_COOKIE_SECURE = ARCHIVE_HTTPS
SECURE_SSL_REDIRECT = ARCHIVE_HTTPS and not env_flag("ARCHIVE_BEHIND_PROXY_NO_REDIRECT")
SECURE_HSTS_SECONDS = 31536000 if ARCHIVE_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = ARCHIVE_HTTPS
SECURE_HSTS_PRELOAD = ARCHIVE_HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if ARCHIVE_HTTPS else None
# The address of the TLS-terminating proxy whose X-Forwarded-Proto/-For headers `serve` (waitress) passes on;
# waitress drops them from anyone else, so without this an HTTPS deployment would redirect to https forever.
ARCHIVE_TRUSTED_PROXY = os.environ.get("ARCHIVE_TRUSTED_PROXY", "127.0.0.1" if ARCHIVE_HTTPS else "")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sent by archive.security.ContentSecurityPolicyMiddleware (same name and shape as Django 6.0's setting).
# No inline script or style anywhere, the admin included; everything comes from this origin.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
