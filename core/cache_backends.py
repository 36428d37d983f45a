"""Redis as a helper, not a pillar (docs/operations.md, section 4).

`FailSoftRedisCache` is Django's Redis cache that answers like an empty cache
while Redis cannot be reached: a read misses, a write is dropped, `add` says it
stored nothing. Everything that only speeds pages up (the page cache, the site
chrome, Wagtail's site root paths and locale names) keeps working from the
database. After a failure it leaves Redis alone for `retry_seconds`, so an
outage costs one connection attempt per process and interval, not one per call.

What must not fail open asks for `strict` (the same cache that raises), e.g.
the failure limiter against guessing receipts (core.throttle).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.utils.functional import cached_property

from .cache_generations import CACHE_DOWN

logger = logging.getLogger(__name__)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("retry_seconds", 5))
        # A Redis that does not answer must not hold a page: give up within 1 s.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, {**params, "OPTIONS": options})
        self._server, self._params = server, {**params, "OPTIONS": options}
        self._down_until = 0.0

    @cached_property
    def strict(self) -> RedisCache:
        """The same cache, raising when Redis is down."""
        return RedisCache(self._server, self._params)

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _soft(self, call, fallback):
        if self.is_down:
            return fallback
        try:
            return call()
        except CACHE_DOWN as exc:
            self._down_until = time.monotonic() + self.retry_seconds
            logger.error("Cache unavailable (%s); serving without it", type(exc).__name__)
            return fallback

    def get(self, key, default=None, version=None):
        parent = super()
        return self._soft(lambda: parent.get(key, default, version), default)

    def get_many(self, keys, version=None):
        parent = super()
        return self._soft(lambda: parent.get_many(keys, version), {})

    def has_key(self, key, version=None):
        parent = super()
        return self._soft(lambda: parent.has_key(key, version), False)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._soft(lambda: parent.add(key, value, timeout, version), False)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        self._soft(lambda: parent.set(key, value, timeout, version), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._soft(lambda: parent.set_many(data, timeout, version), list(data))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._soft(lambda: parent.touch(key, timeout, version), False)

    def delete(self, key, version=None):
        parent = super()
        return self._soft(lambda: parent.delete(key, version), False)

    def delete_many(self, keys, version=None):
        parent = super()
        self._soft(lambda: parent.delete_many(keys, version), None)

    def clear(self):
        parent = super()
        return self._soft(parent.clear, False)

    # incr and decr keep raising: a counter that silently did not count is
    # worse than an error (the failure limiter counts through `strict` anyway).
