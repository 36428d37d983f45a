"""The failure limiter: a guessing client is stopped with a retry-after, other
clients are not, and the cache holds no IP address."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from core.throttle import FailureLimiter, Limited, client_key


def stored_cache_keys() -> list[str]:
    """The raw keys in the cache backend: LocMem's dict, or Redis itself."""
    store = cache._cache
    if hasattr(store, "get_client"):
        return [key.decode() for key in store.get_client().keys("*")]
    return list(store.keys())


def request_from(address: str):
    return RequestFactory().get("/", REMOTE_ADDR=address)


def test_client_is_limited_after_n_failures_and_another_client_is_not():
    limiter = FailureLimiter("receipt", limit=3, window_seconds=600)
    attacker, neighbour = (
        client_key(request_from("203.0.113.7")),
        client_key(request_from("203.0.113.8")),
    )

    for _ in range(3):
        limiter.check(attacker)
        limiter.fail(attacker)
    with pytest.raises(Limited) as limited:
        limiter.check(attacker)

    assert 590 <= limited.value.retry_after_seconds <= 600
    limiter.check(neighbour)  # not locked out by someone else's guesses


def test_fewer_failures_than_the_limit_pass_and_reset_clears():
    limiter = FailureLimiter("receipt", limit=3, window_seconds=600)
    key = client_key(request_from("198.51.100.1"))
    limiter.fail(key)
    limiter.fail(key)
    limiter.check(key)
    limiter.fail(key)
    with pytest.raises(Limited):
        limiter.check(key)

    limiter.reset(key)
    limiter.check(key)


def test_scopes_are_separate():
    key = client_key(request_from("198.51.100.1"))
    receipts = FailureLimiter("receipt", limit=1, window_seconds=60)
    receipts.fail(key)
    with pytest.raises(Limited):
        receipts.check(key)
    FailureLimiter("other", limit=1, window_seconds=60).check(key)


def test_retry_after_counts_down_from_the_first_failure(monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr("core.throttle.time.time", lambda: clock[0])
    limiter = FailureLimiter("receipt", limit=2, window_seconds=300)
    key = client_key(request_from("192.0.2.1"))
    limiter.fail(key)
    clock[0] += 100
    limiter.fail(key)  # a later failure does not extend the window

    with pytest.raises(Limited) as limited:
        limiter.check(key)
    assert limited.value.retry_after_seconds == 200


def test_the_window_expires(settings):
    limiter = FailureLimiter("receipt", limit=1, window_seconds=1)
    key = client_key(request_from("192.0.2.1"))
    limiter.fail(key)
    with pytest.raises(Limited):
        limiter.check(key)
    import time

    time.sleep(1.1)
    limiter.check(key)


def test_client_key_is_a_keyed_hash_and_the_cache_holds_no_ip(settings):
    address = "203.0.113.77"
    key = client_key(request_from(address))
    assert address not in key and len(key) == 32
    assert key == client_key(request_from(address))  # stable

    FailureLimiter("receipt", limit=5, window_seconds=60).fail(key)
    stored = " ".join(stored_cache_keys())
    assert address not in stored and key in stored

    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert client_key(request_from(address)) != key  # cannot be recomputed without the key


def test_ipv6_clients_are_counted_per_64_network():
    one = client_key(request_from("2001:db8:1:2::1"))
    same_network = client_key(request_from("2001:db8:1:2:ffff:ffff:ffff:ffff"))
    other_network = client_key(request_from("2001:db8:1:3::1"))
    assert one == same_network != other_network
    assert client_key(request_from("::ffff:192.0.2.1")) == client_key(request_from("192.0.2.1"))


@pytest.mark.redis
def test_limiter_works_on_redis(settings):
    import os

    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.FailSoftRedisCache",  # counts through `strict`
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "hrc-test-throttle",
        }
    }
    from django.core.cache import cache as redis_cache

    redis_cache.clear()
    limiter = FailureLimiter("receipt", limit=2, window_seconds=60)
    key = client_key(request_from("203.0.113.9"))
    assert limiter.fail(key) == 1
    assert limiter.fail(key) == 2
    with pytest.raises(Limited) as limited:
        limiter.check(key)
    assert 1 <= limited.value.retry_after_seconds <= 60
    limiter.check(client_key(request_from("203.0.113.10")))
    limiter.reset(key)
    limiter.check(key)


def test_limited_says_when_to_try_again_in_both_languages():
    from django.utils import translation

    with translation.override("en"):
        assert Limited(61).message == "Too many attempts. Please try again in 2 minutes."
        assert Limited(5).message == "Too many attempts. Please try again in 1 minute."
    with translation.override("ko"):
        assert Limited(600).message == "시도 횟수가 너무 많습니다. 10분 뒤에 다시 시도해 주세요."
