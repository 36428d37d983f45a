"""A channel layer for sockets of this process that share big groups: one
member per group and process on the real layer, the copies made here.

channels-redis delivers a group message to every member channel: with 1,000
sockets on a consultation that is 1,000 copies pushed into Redis and 1,000
blocking pops read back one at a time, each through its own tasks and lock
(bench W4, issue 21; the in-memory layer also scans every channel on every
receive). Here a process joins the real ("upstream") group once, with one
bridge channel; the bridge's one receive hands each event to the local
sockets' queues. Publishers keep sending to the upstream layer's group, so
every process (every machine) still gets each event.

A socket whose queue is full (it read none of `capacity` events) is dropped
from its groups and told so (`live.lost`): it is gone or too slow, and its
page catches up through the cursor when it reconnects (channels-redis would
drop the messages and leave the socket open). If the bridge's receive fails
(Redis gone), every local member gets `live.lost` too, so no socket stays
open and deaf (core.consumers.LiveGroupMixin closes on it).

Messages are not copied per socket (the in-memory layer deep-copies each):
handlers must treat them as read-only.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time

from channels.exceptions import ChannelFull
from channels.layers import BaseChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)

ALIAS = "live"
LOST = "live.lost"


def with_local_fanout(layers: dict, *, upstream: str = "default") -> dict:
    """`CHANNEL_LAYERS` with the local fan-out layer added under ALIAS."""
    return {
        **layers,
        ALIAS: {"BACKEND": "core.fanout.LocalFanoutLayer", "CONFIG": {"upstream": upstream}},
    }


class _Bridge:
    """The process's one upstream member for a group, and its receive loop.
    Set in `bridges` before anything is awaited, so that sockets joining at
    once share one (their joins all wait on `joined`)."""

    def __init__(self) -> None:
        loop = asyncio.get_running_loop()
        self.channel: str | None = None
        self.joined: asyncio.Future = loop.create_future()
        self.joined_at = 0.0
        self.task: asyncio.Task

    def live(self) -> bool:
        return not self.task.done() and self.task.get_loop() is asyncio.get_running_loop()


class LocalFanoutLayer(BaseChannelLayer):
    extensions = ["groups", "flush"]

    def __init__(self, upstream: str = "default", capacity: int = 100, **kwargs) -> None:
        super().__init__(capacity=capacity, **kwargs)
        self.upstream_alias = upstream
        self.queues: dict[str, asyncio.Queue] = {}
        self.groups: dict[str, set[str]] = {}
        self.bridges: dict[str, _Bridge] = {}

    @property
    def upstream(self):
        return get_channel_layer(self.upstream_alias)

    @property
    def group_expiry(self) -> float:
        return getattr(self.upstream, "group_expiry", 86400)

    # Channels of this process

    async def new_channel(self, prefix: str = "specific.") -> str:
        return f"{prefix}live!{secrets.token_hex(8)}"

    async def receive(self, channel: str) -> dict:
        return await self._queue(channel).get()

    async def send(self, channel: str, message: dict) -> None:
        """To a local channel; anything else goes upstream."""
        if channel in self.queues:
            try:
                self.queues[channel].put_nowait(message)
            except asyncio.QueueFull:
                raise ChannelFull(channel) from None
            return
        await self.upstream.send(channel, message)

    def _queue(self, channel: str) -> asyncio.Queue:
        queue = self.queues.get(channel)
        if queue is None:
            queue = self.queues[channel] = asyncio.Queue(maxsize=self.get_capacity(channel))
        return queue

    # Groups: members here, one bridge upstream

    async def group_add(self, group: str, channel: str) -> None:
        self.require_valid_group_name(group)
        self.require_valid_channel_name(channel)
        while True:
            bridge = self.bridges.get(group)
            if bridge is None or not bridge.live():
                bridge = self._open_bridge(group)
            # Shielded: a socket that gives up waiting must not cancel the others' join.
            await asyncio.shield(bridge.joined)
            if time.monotonic() - bridge.joined_at >= self.group_expiry / 2:
                # The upstream layer forgets members group_expiry after they
                # joined; a member's re-join (its pings, core.consumers) renews
                # the bridge's.
                bridge.joined_at = time.monotonic()
                await self.upstream.group_add(group, bridge.channel)
            # The bridge may have closed or failed while this join waited.
            if self.bridges.get(group) is bridge and bridge.live():
                break
        self._queue(channel)
        self.groups.setdefault(group, set()).add(channel)

    async def group_discard(self, group: str, channel: str) -> None:
        members = self.groups.get(group)
        if members is not None:
            members.discard(channel)
            if not members:
                del self.groups[group]
                await self._close_bridge(group)
        if not any(channel in members for members in self.groups.values()):
            self.queues.pop(channel, None)

    async def group_send(self, group: str, message: dict) -> None:
        """To every process's members, as publishers send."""
        await self.upstream.group_send(group, message)

    async def flush(self) -> None:
        for group in list(self.bridges):
            await self._close_bridge(group, leave=False)
        self.queues, self.groups = {}, {}

    # The bridge

    def _open_bridge(self, group: str) -> _Bridge:
        bridge = self.bridges[group] = _Bridge()
        bridge.task = asyncio.get_running_loop().create_task(
            self._relay(group, bridge), name=f"fanout {group}"
        )
        return bridge

    async def _close_bridge(self, group: str, *, leave: bool = True) -> None:
        bridge = self.bridges.pop(group, None)
        if bridge is None:
            return
        if bridge.task.get_loop() is asyncio.get_running_loop():
            bridge.task.cancel()
        if leave and bridge.channel is not None:
            try:
                await self.upstream.group_discard(group, bridge.channel)
            except Exception as exc:  # the upstream forgets it at group_expiry anyway
                logger.warning("Could not leave upstream group: %s", type(exc).__name__)

    async def _relay(self, group: str, bridge: _Bridge) -> None:
        upstream = self.upstream
        try:
            bridge.channel = await upstream.new_channel()
            await upstream.group_add(group, bridge.channel)
        except asyncio.CancelledError:
            self._forget(group, bridge)
            bridge.joined.cancel()
            raise
        except Exception as exc:
            self._forget(group, bridge)
            # Every socket waiting to join hears why (a refused handshake).
            bridge.joined.set_exception(exc)
            bridge.joined.exception()  # retrieved: the waiters may all be gone
            return
        bridge.joined_at = time.monotonic()
        bridge.joined.set_result(None)
        while True:
            try:
                message = await upstream.receive(bridge.channel)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                logger.warning("Live fan-out lost its upstream: %s", type(exc).__name__)
                self._forget(group, bridge)
                self._deliver(group, {"type": LOST})
                return
            self._deliver(group, message)

    def _forget(self, group: str, bridge: _Bridge) -> None:
        if self.bridges.get(group) is bridge:
            del self.bridges[group]

    def _deliver(self, group: str, message: dict) -> None:
        for channel in tuple(self.groups.get(group, ())):
            try:
                self._queue(channel).put_nowait(message)
            except asyncio.QueueFull:
                self._drop(channel)

    def _drop(self, channel: str) -> None:
        """Out of every group, and its next read is LOST (a receive already
        waiting on the full queue gets one of its events first)."""
        logger.warning("Live fan-out dropped a socket that read none of %s events", self.capacity)
        for members in self.groups.values():
            members.discard(channel)  # an emptied group is closed by its last discard
        lost: asyncio.Queue = asyncio.Queue(maxsize=1)
        lost.put_nowait({"type": LOST})
        self.queues[channel] = lost
