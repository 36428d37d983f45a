"""A failure limiter against guessing (receipts, codes): after `limit` failures
within `window_seconds`, a client is refused until the window ends.

Clients are known only by a keyed hash of their address: the cache never
holds an IP, and entries expire with the window. IPv6 addresses count per /64
network, because one device can use any address of its /64.

A limiter fails closed: it never answers a guess it could not count. When the
shared cache (Redis) is down, it counts in the `fallback` cache (a database
table) instead; when that fails too, every guess is refused as too fast until
one of them is back (docs/operations.md, section 4).
"""

import hashlib
import hmac
import ipaddress
import logging
import math
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError
from django.utils.translation import ngettext

from .cache_generations import CACHE_DOWN
from .errors import TooFast

logger = logging.getLogger(__name__)
T = TypeVar("T")
# How long a guess is refused while no counter can be reached.
UNCOUNTED_RETRY_SECONDS = 60

__all__ = ["FailureLimiter", "Limited", "client_address", "client_key"]


class Limited(TooFast):  # noqa: N818 - reads naturally: `except Limited`
    """Too many attempts from this client: a domain error (core.errors.TooFast)
    whose message says, in the active language, when to try again; the API
    answers 429 with Retry-After, a page shows the message."""

    default_code = "too_many_attempts"

    def __init__(self, retry_after_seconds: int, *, code: str | None = None):
        minutes = max(1, math.ceil(retry_after_seconds / 60))
        message = ngettext(
            "Too many attempts. Please try again in %(minutes)d minute.",
            "Too many attempts. Please try again in %(minutes)d minutes.",
            minutes,
        ) % {"minutes": minutes}
        super().__init__(message, retry_after=retry_after_seconds, code=code)
        self.retry_after_seconds = retry_after_seconds


def _trusted_proxies() -> list:
    networks = []
    for entry in getattr(settings, "TRUSTED_PROXIES", None) or []:
        try:
            networks.append(ipaddress.ip_network(str(entry).strip(), strict=False))
        except ValueError:
            continue
    return networks


def _is_trusted(address: str, networks) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request) -> str:
    """The client's address. `X-Forwarded-For` is believed only when the
    request comes from one of settings.TRUSTED_PROXIES (empty by default:
    then no header can change who the client is). Read right to left, the
    first address that is not a trusted proxy is the client."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    networks = _trusted_proxies()
    if not networks or not _is_trusted(address, networks):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "") or ""
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _is_trusted(hop, networks):
            return hop
    return address


def client_key(request) -> str:
    """An opaque, stable identifier for the request's client: HMAC-SHA256 of
    its address (client_address) under SECRET_KEY (so the hash cannot be
    reversed by trying all 4 billion IPv4 addresses without the key)."""
    address = client_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        network = address
    else:
        if ip.version == 6 and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.version == 6:
            network = str(ipaddress.ip_network(f"{ip}/64", strict=False))
        else:
            network = str(ip)
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"client:{network}".encode(), hashlib.sha256
    ).hexdigest()
    return digest[:32]


class FailureLimiter:
    """Usage, around a guess:

        limiter = FailureLimiter("receipt", limit=5, window_seconds=900)
        key = client_key(request)
        limiter.check(key)            # raises Limited(retry_after_seconds)
        if wrong: limiter.fail(key)
        else: limiter.reset(key)

    Counting uses cache.add + cache.incr, atomic on Redis and LocMem. The
    window is fixed: it starts at the first failure and does not grow.
    """

    def __init__(self, scope: str, limit: int, window_seconds: int, code: str | None = None):
        self.scope = scope
        self.limit = limit
        self.window_seconds = window_seconds
        self.code = code  # the Limited error's code (core.errors), when not the default

    def _counting(self, operation: Callable[[object], T]) -> T:
        """Run `operation(counter_cache)` on the shared cache, else on the
        database fallback; raise Limited when neither can count."""
        if not getattr(cache, "is_down", False):
            try:
                return operation(getattr(cache, "strict", cache))
            except CACHE_DOWN as exc:
                logger.error("Failure limiter %s: cache down (%s)", self.scope, type(exc).__name__)
        if "fallback" in settings.CACHES:
            try:
                return operation(caches["fallback"])
            except (DatabaseError, *CACHE_DOWN) as exc:
                logger.error(
                    "Failure limiter %s: fallback down: %s", self.scope, type(exc).__name__
                )
        raise Limited(UNCOUNTED_RETRY_SECONDS, code=self.code)

    def _keys(self, key: str) -> tuple[str, str]:
        base = f"failures:{self.scope}:{key}"
        return f"{base}:count", f"{base}:until"

    def check(self, key: str) -> None:
        count_key, until_key = self._keys(key)
        values = self._counting(lambda counter: counter.get_many([count_key, until_key]))
        if values.get(count_key, 0) < self.limit:
            return
        until = values.get(until_key) or time.time() + self.window_seconds
        raise Limited(max(1, math.ceil(until - time.time())), code=self.code)

    def fail(self, key: str) -> int:
        """Count one failure; return the count in the current window."""
        return self._counting(lambda counter: self._fail(counter, key))

    def _fail(self, cache, key: str) -> int:
        count_key, until_key = self._keys(key)
        # The window's end is written once, with the same lifetime as the count.
        cache.add(until_key, time.time() + self.window_seconds, self.window_seconds)
        if cache.add(count_key, 1, self.window_seconds):
            return 1
        try:
            return cache.incr(count_key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(count_key, 1, self.window_seconds)
            return 1

    def reset(self, key: str) -> None:
        self._counting(lambda counter: counter.delete_many(self._keys(key)))
