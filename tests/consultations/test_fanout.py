"""Issue 21, fan-out: a consultation's sockets share one member per process on
the real channel layer (core.fanout), on the embedded layer and on Redis."""

import asyncio

import pytest
from channels.layers import InMemoryChannelLayer, get_channel_layer

from config.asgi import application
from consultations.events import PLAIN, discussion_group
from core import fanout
from core.consumers import CLOSE_TRY_AGAIN
from tests.sockets import WebsocketCommunicator, run_in_own_loop

pytestmark = [pytest.mark.django_db(transaction=True)]

GROUP = "fanout-test"


async def upstream_members(group: str) -> int:
    """How many channels the real layer holds in `group`."""
    upstream = get_channel_layer()
    if isinstance(upstream, InMemoryChannelLayer):
        return len(upstream.groups.get(group, {}))
    key = upstream._group_key(group)
    async with upstream.connection(upstream.consistent_hash(group)) as conn:
        return await conn.zcard(key)


def test_many_local_members_are_one_upstream_member_and_each_gets_every_event_once():
    async def scenario():
        live = get_channel_layer(fanout.ALIAS)
        channels = [await live.new_channel() for _ in range(50)]
        for channel in channels:
            await live.group_add(GROUP, channel)
        assert await upstream_members(GROUP) == 1
        for n in range(3):
            await get_channel_layer().group_send(GROUP, {"type": "t", "n": n})
        got = [[(await live.receive(c))["n"] for _ in range(3)] for c in channels]
        assert got == [[0, 1, 2]] * 50
        assert all(live.queues[c].empty() for c in channels)  # nothing twice
        for channel in channels:
            await live.group_discard(GROUP, channel)
        return await upstream_members(GROUP), live.bridges, live.queues

    members, bridges, queues = run_in_own_loop(scenario)
    assert members == 0  # the last to leave takes the process's member away
    assert bridges == {} and queues == {}


def test_a_socket_that_reads_nothing_is_dropped_and_told_so_the_others_go_on():
    async def scenario():
        live = get_channel_layer(fanout.ALIAS)
        stuck, reader = await live.new_channel(), await live.new_channel()
        await live.group_add(GROUP, stuck)
        await live.group_add(GROUP, reader)
        upstream = get_channel_layer()
        received = []
        for n in range(live.capacity + 1):
            await upstream.group_send(GROUP, {"type": "t", "n": n})
            received.append((await asyncio.wait_for(live.receive(reader), 5))["n"])
        # Its next read says it was dropped (the page reconnects and catches up).
        told = (await asyncio.wait_for(live.receive(stuck), 5))["type"]
        still_member = stuck in live.groups[GROUP]
        await upstream.group_send(GROUP, {"type": "t", "n": "after"})
        after = (await asyncio.wait_for(live.receive(reader), 5))["n"]
        await live.group_discard(GROUP, stuck)
        await live.group_discard(GROUP, reader)
        return received, told, still_member, after

    received, told, still_member, after = run_in_own_loop(scenario)
    assert received == list(range(101))
    assert told == fanout.LOST
    assert not still_member
    assert after == "after"


class LosingLayer(InMemoryChannelLayer):
    """An upstream whose receive fails once anything is sent: Redis gone."""

    async def receive(self, channel):
        await super().receive(channel)
        raise ConnectionError("upstream gone")


def test_a_lost_upstream_closes_the_sockets_so_their_pages_reconnect(settings, consultation):
    settings.CHANNEL_LAYERS = fanout.with_local_fanout(
        {"default": {"BACKEND": "tests.consultations.test_fanout.LosingLayer"}}
    )

    async def scenario():
        sockets = [
            WebsocketCommunicator(
                application,
                f"/ws/consultations/{consultation.pk}/",
                headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
            )
            for _ in range(2)
        ]
        for socket in sockets:
            assert (await socket.connect())[0]
        await get_channel_layer().group_send(
            discussion_group(consultation.translation_key),
            {"type": "consultation.event", "texts": {PLAIN: "{}"}},
        )
        closed = [await socket.receive_output(timeout=5) for socket in sockets]
        live = get_channel_layer(fanout.ALIAS)
        return closed, dict(live.bridges)

    closed, bridges = run_in_own_loop(scenario)
    assert closed == [{"type": "websocket.close", "code": CLOSE_TRY_AGAIN}] * 2
    assert bridges == {}  # the next socket to join opens a new one


class YieldingLayer(InMemoryChannelLayer):
    """An upstream whose joins take a moment, as Redis's do."""

    async def group_add(self, group, channel):
        await asyncio.sleep(0.01)
        await super().group_add(group, channel)


class RefusingLayer(InMemoryChannelLayer):
    """An upstream that cannot be joined: Redis down at the handshake."""

    async def group_add(self, group, channel):
        await asyncio.sleep(0)
        raise ConnectionError("upstream down")


def test_sockets_joining_at_once_share_one_upstream_member(settings):
    settings.CHANNEL_LAYERS = fanout.with_local_fanout(
        {"default": {"BACKEND": "tests.consultations.test_fanout.YieldingLayer"}}
    )

    async def scenario():
        live = get_channel_layer(fanout.ALIAS)
        channels = [await live.new_channel() for _ in range(30)]
        await asyncio.gather(*(live.group_add(GROUP, c) for c in channels))
        members = await upstream_members(GROUP)
        await get_channel_layer().group_send(GROUP, {"type": "t"})
        await asyncio.wait_for(live.receive(channels[0]), 5)
        await asyncio.sleep(0.05)  # a second bridge, if any, would deliver again
        return members, [live.queues[c].qsize() for c in channels[1:]]

    members, waiting = run_in_own_loop(scenario)
    assert members == 1
    assert waiting == [1] * 29  # each event once, not once per bridge


def test_a_join_the_upstream_refuses_fails_for_every_socket_waiting(settings):
    settings.CHANNEL_LAYERS = fanout.with_local_fanout(
        {"default": {"BACKEND": "tests.consultations.test_fanout.RefusingLayer"}}
    )

    async def scenario():
        live = get_channel_layer(fanout.ALIAS)
        channels = [await live.new_channel() for _ in range(3)]
        outcomes = await asyncio.gather(
            *(live.group_add(GROUP, c) for c in channels), return_exceptions=True
        )
        return [type(o).__name__ for o in outcomes], dict(live.bridges), dict(live.groups)

    outcomes, bridges, groups = run_in_own_loop(scenario)
    assert outcomes == ["ConnectionError"] * 3
    assert bridges == {} and groups == {}
