"""Connections that heal (core.db_postgresql): after a PostgreSQL restart no
request fails on a stale pooled connection, and while the server is down a
request learns it within a second (503 with Retry-After), not after the pool's
10 s. Runs against a private server on its own port (make faults)."""

import os
import time

import pytest

from core.busy import is_database_busy
from core.db_postgresql.base import DatabaseUnreachable, DatabaseWrapper

from . import private_pg
from .conftest import closed_port

pytestmark = pytest.mark.skipif(
    not (os.environ.get("HRC_FAULTS") and private_pg.available()),
    reason="starts its own PostgreSQL: make faults (HRC_FAULTS=1)",
)


@pytest.fixture(scope="module")
def server():
    pg = private_pg.PrivatePostgres(port=closed_port()).init()
    pg.start()
    yield pg
    pg.destroy()


def _wrapper(port: int) -> DatabaseWrapper:
    from django.db.utils import ConnectionHandler

    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "core.db_postgresql",
                "NAME": "postgres",
                "USER": "postgres",
                "HOST": "127.0.0.1",
                "PORT": str(port),
                "CONN_MAX_AGE": 0,
                "CONN_HEALTH_CHECKS": True,
                "OPTIONS": {
                    "connect_timeout": 2,
                    "pool": {"min_size": 2, "max_size": 4, "timeout": 10},
                },
            }
        }
    )
    return handler["default"]


def _request(db) -> None:
    """What one request does with the database: take, query, give back."""
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1")
            assert cursor.fetchone() == (1,)
    finally:
        db.close()  # back to the pool, as at the end of every request


def test_a_restart_costs_no_request_and_an_outage_answers_at_once(server, django_db_blocker):
    with django_db_blocker.unblock():
        _drill(server)


def _drill(server) -> None:
    db = _wrapper(server.port)
    for _ in range(10):
        _request(db)  # the pool holds live connections now

    server.restart()
    sent, failed = 50, 0
    for _ in range(sent):
        try:
            _request(db)
        except Exception:
            failed += 1
    assert failed == 0

    server.stop()
    started = time.monotonic()
    with pytest.raises(Exception) as outage:
        _request(db)
    waited = time.monotonic() - started
    assert is_database_busy(outage.value)  # 503 with Retry-After (core.busy)
    assert isinstance(outage.value.__cause__, DatabaseUnreachable) or isinstance(
        outage.value, DatabaseUnreachable
    )
    assert waited < 1.0

    server.start()
    started = time.monotonic()
    while True:
        try:
            _request(db)
            break
        except Exception:
            assert time.monotonic() - started < 30
            time.sleep(0.1)
    recovered = time.monotonic() - started
    db.close_pool()
    print(  # noqa: T201 - the figures
        f"\ndb restart: {sent} requests after restart, {failed} failed; outage answered in"
        f" {waited:.2f} s; recovered {recovered:.2f} s after the server came back"
    )
