"""Generation tokens for caches that must drop every entry at once.

Entries are keyed by the namespace's current token; replacing the token retires
them all, whatever their number and in every process that shares the cache."""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache

logger = logging.getLogger(__name__)

# What a cache back-end raises when it cannot be reached: redis-py's own errors,
# and socket errors (OSError) from any other networked back-end.
try:
    from redis.exceptions import RedisError

    CACHE_DOWN: tuple[type[BaseException], ...] = (RedisError, OSError)
except ImportError:  # pragma: no cover - redis is a dependency
    CACHE_DOWN = (OSError,)


# Renewals that failed while the cache was down: retried before the next read,
# so that entries cached before the outage are never served after it.
_pending: set[str] = set()


def current(key: str) -> str:
    """The namespace's token, made on first use (the first worker to add it wins;
    should it be gone already, a token of our own can only cost a miss)."""
    if _pending and not getattr(cache, "is_down", False):
        for pending in list(_pending):
            renew(pending)
    generation = cache.get(key)
    if generation is None:
        token = uuid.uuid4().hex
        cache.add(key, token, timeout=None)
        generation = cache.get(key) or token
    return generation


def renew(key: str) -> None:
    """Retire every entry of the namespace. A cache that is down is logged, not
    raised: the write that asked for it has already been committed."""
    if getattr(cache, "is_down", False):
        _pending.add(key)
        return
    strict = getattr(cache, "strict", cache)  # a fail-soft cache would drop it silently
    try:
        strict.set(key, uuid.uuid4().hex, timeout=None)
    except CACHE_DOWN as exc:
        _pending.add(key)
        logger.error("Could not renew cache generation %s: %s", key, type(exc).__name__)
    else:
        _pending.discard(key)
