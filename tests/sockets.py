"""The one runner for WebSocket scenarios in tests.

A scenario runs in a thread with an event loop of its own (a session-wide
Playwright browser keeps a loop running in the main thread of a full run),
and ends cleanly before that loop closes: every communicator it opened is
disconnected, every consumer task is awaited (or cancelled and awaited), and
the channel layer is left with no receive pending.

Why it matters: channels-redis keeps one process-wide receive section per
layer. A consumer whose layer receive outlived its loop made the next
scenario, in a new loop, fail with "Two event loops are trying to receive()
on one channel layer at once!". The receive outlived it because its cancel
was lost (Python 3.11's asyncio.wait_for in redis-py; core.channel_layer now
honours it), so the disconnected consumer waited on it forever and the old
runner's thread.join gave up with the loop still running. Ending here, with
the checks below, makes any such leftover fail the scenario that left it.
"""

from __future__ import annotations

import asyncio
import threading
import weakref

from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator as _WebsocketCommunicator

SCENARIO_TIMEOUT = 45  # seconds; the thread is given a little longer
_CLEANUP_TIMEOUT = 10

_open: weakref.WeakSet[_WebsocketCommunicator] = weakref.WeakSet()


class WebsocketCommunicator(_WebsocketCommunicator):
    """channels' communicator, remembered so the runner can disconnect any
    that a scenario left open (a failed assertion, an early return)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _open.add(self)


class ScenarioHung(AssertionError):
    pass


async def _end_cleanly() -> None:
    loop = asyncio.get_running_loop()
    # 1. Communicators still running in this loop get a disconnect, as a
    #    browser closing the tab would send, so consumers run their own
    #    disconnect (group_discard) and stop.
    for communicator in list(_open):
        future = communicator._future
        if future is None or future.get_loop() is not loop:
            continue
        _open.discard(communicator)
        if not future.done():
            try:
                await communicator.disconnect(timeout=2)
            except Exception:  # noqa: S110 - it is cancelled below if it did not stop
                pass
    # 2. Whatever is still running (a consumer that ignored the disconnect, a
    #    layer receive, a receive cleaner) is cancelled and awaited here, in
    #    its own loop, so its `finally` runs and the layer counts it out.
    current = asyncio.current_task()
    rest = [task for task in asyncio.all_tasks() if task is not current]
    for task in rest:
        task.cancel()
    if rest:
        _done, pending = await asyncio.wait(rest, timeout=_CLEANUP_TIMEOUT)
        assert not pending, f"tasks outlived their cancel:\n{_describe_tasks()}"
    # 3. The layer: its receive cleaners finish, and nothing may still count
    #    as receiving (that is the leftover that broke the next scenario).
    layer = get_channel_layer()
    if hasattr(layer, "receive_count"):  # channels-redis
        await asyncio.wait_for(layer.wait_received(), timeout=_CLEANUP_TIMEOUT)
        assert layer.receive_count == 0, "a channel-layer receive outlived its scenario"
        # This loop's Redis connections close with it (channels-redis does
        # that at loop.close(), bounded here so a stuck close cannot hang).
        loop_layer = layer._layers.pop(loop, None)
        if loop_layer is not None:
            await asyncio.wait_for(loop_layer.flush(), timeout=_CLEANUP_TIMEOUT)


def forget_stale_layer_locks() -> None:
    """Drop channels-redis's per-channel cleanup locks when no receive is in
    flight (tests/conftest.py says why)."""
    from channels.layers import channel_layers

    layer = channel_layers.backends.get("default")
    if getattr(layer, "receive_clean_locks", None) is not None and not layer.receive_count:
        from channels_redis.core import ChannelLock

        layer.receive_clean_locks = ChannelLock()


def _describe_tasks() -> str:
    lines = []
    for task in asyncio.all_tasks():
        lines.append(repr(task))
        lines.extend(
            f"    {frame.f_code.co_filename}:{frame.f_lineno}" for frame in task.get_stack()
        )
    return "\n".join(lines)


async def _scenario(coroutine_function, args):
    deadline = asyncio.timeout(SCENARIO_TIMEOUT)
    try:
        async with deadline:
            return await coroutine_function(*args)
    except TimeoutError:
        if not deadline.expired():
            raise  # the scenario's own wait (receive_from) ran out: its failure
        raise ScenarioHung(
            f"the socket scenario did not finish in {SCENARIO_TIMEOUT} s:\n{_describe_tasks()}"
        ) from None
    finally:
        await _end_cleanly()


def run_in_own_loop(coroutine_function, *args):
    """Run `await coroutine_function(*args)` in a thread with its own event
    loop, end it cleanly, and return its value (or raise what it raised)."""
    outcome: dict = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(_scenario(coroutine_function, args))
        except BaseException as exc:  # re-raised in the test's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="socket-scenario", daemon=True)
    thread.start()
    thread.join(timeout=SCENARIO_TIMEOUT + 2 * _CLEANUP_TIMEOUT + 5)
    if thread.is_alive():
        raise ScenarioHung("the socket scenario's thread did not end")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def count_sync_hops(monkeypatch) -> list[str]:
    """Record each hop channels takes to the sync thread before dispatching a
    message (`aclose_old_connections`); the list grows by one per hop."""
    import channels.consumer

    hops: list[str] = []
    original = channels.consumer.aclose_old_connections

    async def counted():
        hops.append("hop")
        await original()

    monkeypatch.setattr(channels.consumer, "aclose_old_connections", counted)
    return hops
