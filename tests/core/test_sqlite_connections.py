"""SQLite connections end with their request (issue 21, lean workers).

Django's ASGI handler runs each request's sync code in a thread of its own, so
a connection kept for reuse (CONN_MAX_AGE > 0) is never reused: it stays open,
page cache and all, until the garbage collector finds it (60 requests through
uvicorn left 15 open; bench/notes.md, "Issue 21")."""

import importlib

import pytest


def test_sqlite_connections_are_not_kept(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:////tmp/hrc-settings-check.sqlite3")
    monkeypatch.delenv("DB_CONN_MAX_AGE", raising=False)
    from config.settings import base

    try:
        reloaded = importlib.reload(base)
        assert reloaded.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
        assert reloaded.DATABASES["default"]["CONN_MAX_AGE"] == 0
    finally:
        monkeypatch.undo()
        importlib.reload(base)


@pytest.fixture(autouse=True)
def _no_redis(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
