"""channels-redis leaves a per-channel cleanup lock behind when a wait for it
is cancelled, bound to that wait's event loop; a later loop's wait on it then
fails. Tests run many loops in one process, so each test starts without such
locks (tests/conftest.py); this shows the leftover and that it is dropped."""

import asyncio

import pytest
from channels.layers import get_channel_layer

from tests.sockets import forget_stale_layer_locks

pytestmark = pytest.mark.redis

KEY = "specific.test!"


async def _leave_a_cancelled_waiter(layer) -> None:
    await layer.receive_clean_locks.acquire(KEY)
    waiter = asyncio.ensure_future(layer.receive_clean_locks.acquire(KEY))
    await asyncio.sleep(0)  # it waits, so the lock is bound to this loop
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    layer.receive_clean_locks.release(KEY)  # the holder lets go; the waiter's count stays


async def _two_receivers_clean_up(layer) -> None:
    await layer.receive_clean_locks.acquire(KEY)
    waiter = asyncio.ensure_future(layer.receive_clean_locks.acquire(KEY))
    await asyncio.sleep(0)
    layer.receive_clean_locks.release(KEY)
    await asyncio.wait_for(waiter, timeout=2)
    layer.receive_clean_locks.release(KEY)


def test_a_cancelled_wait_leaves_a_lock_that_fails_the_next_loop_until_forgotten():
    layer = get_channel_layer()
    assert hasattr(layer, "receive_clean_locks"), "the Redis layer (REDIS_URL)"
    asyncio.run(_leave_a_cancelled_waiter(layer))
    assert KEY in layer.receive_clean_locks.locks  # left behind

    with pytest.raises(RuntimeError, match="bound to a different event loop"):
        asyncio.run(_two_receivers_clean_up(layer))

    forget_stale_layer_locks()  # what every test's start does
    asyncio.run(_two_receivers_clean_up(layer))  # a new loop, no leftover
    assert KEY not in layer.receive_clean_locks.locks
