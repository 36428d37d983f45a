"""PostgreSQL with connections that heal (docs/operations.md, section 4).

Django's pooled back-end, plus:

- pooled connections are checked before use (CONN_HEALTH_CHECKS, set in
  settings): after a PostgreSQL restart the dead ones are dropped, not handed
  to a request that then fails with 500;
- a request that finds no free connection within half a second looks whether the
  server is there at all (one TCP connect, no PostgreSQL session). If it is not,
  the request gets `DatabaseUnreachable` at once (503 with Retry-After, see
  core.busy) instead of waiting out the pool's whole timeout; if it is (a busy
  moment, a burst of signatures), it waits the rest of the timeout as before.
"""

from __future__ import annotations

import os
import socket

from django.db.backends.postgresql import base
from psycopg_pool import ConnectionPool, PoolTimeout

FIRST_WAIT_SECONDS = 0.5


class DatabaseUnreachable(PoolTimeout):
    """Nothing listens at the database's address: an outage, not a busy pool."""


def server_listening(kwargs: dict, timeout: float = FIRST_WAIT_SECONDS) -> bool:
    host = kwargs.get("host") or "/var/run/postgresql"
    port = int(kwargs.get("port") or 5432)
    if host.startswith("/"):
        return os.path.exists(os.path.join(host, f".s.PGSQL.{port}"))
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


class HealingPool(ConnectionPool):
    def getconn(self, timeout: float | None = None):
        timeout = self.timeout if timeout is None else timeout
        try:
            return super().getconn(timeout=min(timeout, FIRST_WAIT_SECONDS))
        except PoolTimeout:
            if timeout <= FIRST_WAIT_SECONDS:
                raise
            if not server_listening(self.kwargs):
                raise DatabaseUnreachable("the database server does not answer") from None
            return super().getconn(timeout=timeout - FIRST_WAIT_SECONDS)


class DatabaseWrapper(base.DatabaseWrapper):
    @property
    def pool(self):
        pool = super().pool
        if pool is not None and type(pool) is ConnectionPool:
            # Django builds a plain ConnectionPool; this one only adds getconn's
            # early answer, so swapping the class of the unopened pool is safe.
            pool.__class__ = HealingPool
        return pool
