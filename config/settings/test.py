"""Tests: SQLite in memory and the in-memory channel layer unless DATABASE_URL /
REDIS_URL are set (CI sets them for the PostgreSQL + Redis run)."""

import os
import secrets
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.fernet import Fernet


def _redis_db_per_worker() -> None:
    """`make test` runs on every core (pytest-xdist). The tests empty the cache
    with FLUSHDB, which ignores key prefixes, so each worker gets a Redis
    database of its own: REDIS_URL's number plus the worker's (gw0 +0, gw1 +1,
    ...). The result goes back into the environment, so that servers and
    workers a test starts use the same database, and is not shifted again
    when they load these settings."""
    url, worker = os.environ.get("REDIS_URL", ""), os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker.startswith("gw") or os.environ.get("HRC_TEST_REDIS_WORKER"):
        return
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) + int(worker[2:])
    os.environ["REDIS_URL"] = parts._replace(path=f"/{db}").geturl()
    os.environ["HRC_TEST_REDIS_WORKER"] = worker


_redis_db_per_worker()

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = secrets.token_urlsafe(50)
FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 - speed, tests only
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES = {  # noqa: F405
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
_tmp = Path(tempfile.mkdtemp(prefix="hrc-test-"))
MEDIA_ROOT = _tmp / "media"
PRIVATE_STORAGE_ROOT = _tmp / "private"
if not env("DATABASE_URL", default=""):  # noqa: F405
    # A process started by a test (the /healthz probes) must not need the
    # developer's var/, which a fresh clone does not have.
    DATABASES["default"]["NAME"] = str(_tmp / "db.sqlite3")  # noqa: F405
    # The test database is in memory with a shared cache, and a live server's
    # thread reads it beside the test. In that mode a reader locks whole
    # tables and a writer meets "database table is locked" at once, without
    # the busy timeout: a browser test's factory call failed so while the page
    # it had just loaded was still asking for its unread count. Readers that
    # take no table locks remove that race; writers still queue.
    DATABASES["default"]["OPTIONS"]["init_command"] += " PRAGMA read_uncommitted = 1;"  # noqa: F405
if REDIS_URL:  # noqa: F405
    # Keep test runs apart from a developer's data on the same Redis.
    CACHES["default"]["KEY_PREFIX"] = f"hrc-test-{secrets.token_hex(4)}"  # noqa: F405
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = f"hrc-test-{secrets.token_hex(4)}"  # noqa: F405
    # Short receive and read timeouts, so that tests/consultations/test_idle_sockets.py
    # can hold sockets idle past both in a few seconds.
    from core.channel_layer import redis_hosts

    CHANNEL_LAYERS["default"]["CONFIG"].update(  # noqa: F405
        brpop_timeout=1,
        hosts=redis_hosts(REDIS_URL, brpop_timeout=1, margin=1.5),  # noqa: F405
    )

# Tests start threads that never hand their connection back (race tests), which
# would drain a pool; Django's plain per-thread connections suit them.
DATABASES["default"].get("OPTIONS", {}).pop("pool", None)  # noqa: F405
