"""Overload is not a bug. When the database has no connection to spare (the
pool is exhausted, PostgreSQL refuses more clients or is restarting or
unreachable, SQLite stays locked), the
answer is 503 "busy, try again" with Retry-After, not 500 "something went
wrong": a client, a proxy or a person can act on it (docs/benchmarks.md, W3)."""

from __future__ import annotations

import sqlite3
import sys

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 5
_SQLITE_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED"}


def _busy_types() -> tuple[type[BaseException], ...]:
    types: list[type[BaseException]] = []
    try:
        from psycopg_pool import PoolTimeout

        types.append(PoolTimeout)
    except ImportError:  # pragma: no cover - psycopg is a dependency
        pass
    try:
        from psycopg.errors import (
            AdminShutdown,
            CannotConnectNow,
            CrashShutdown,
            TooManyConnections,
        )

        # Too many clients, or a server going down, restarting or starting up.
        types += [TooManyConnections, AdminShutdown, CannotConnectNow, CrashShutdown]
    except ImportError:  # pragma: no cover
        pass
    return tuple(types)


def _connection_lost(exc: BaseException) -> bool:
    """psycopg's plain OperationalError (no SQLSTATE) is a connection that could
    not be made or broke mid-request: the server is gone for now."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        return False
    return type(exc) is psycopg.OperationalError


def is_database_busy(exc: BaseException | None) -> bool:
    """True when `exc`, or what it wraps (Django wraps driver errors), says the
    database has no room for this request right now."""
    busy_types = _busy_types()
    for _ in range(10):  # a chain of causes, never a loop
        if exc is None:
            return False
        if (busy_types and isinstance(exc, busy_types)) or _connection_lost(exc):
            return True
        if isinstance(exc, sqlite3.OperationalError) and (
            getattr(exc, "sqlite_errorname", "") in _SQLITE_BUSY
        ):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def with_retry_after(response: HttpResponse) -> HttpResponse:
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a busy database gets the 503 page; anything else Django's 500."""
    if is_database_busy(sys.exc_info()[1]):
        return with_retry_after(HttpResponse(render_to_string("503.html"), status=503))
    return defaults.server_error(request)
