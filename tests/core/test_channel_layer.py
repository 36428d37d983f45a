"""The Redis channel layer refuses a read timeout that its blocking receive
could outlive (docs/architecture.md, "Sockets that hold"). Building the layer
opens no connection, so these run without Redis."""

import asyncio

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.channel_layer import RedisChannelLayer, redis_hosts

URL = "redis://127.0.0.1:6379/0"


def test_the_hosts_it_is_given_wait_longer_than_the_blocking_receive():
    layer = RedisChannelLayer(hosts=redis_hosts(URL, brpop_timeout=5), brpop_timeout=5)
    options = layer.create_pool(0).connection_kwargs
    assert layer.brpop_timeout == 5
    assert options["socket_timeout"] > 5 + 1
    assert options["socket_connect_timeout"] == 5


@pytest.mark.parametrize(
    "hosts",
    [
        [URL],  # redis-py's default read timeout: 5 s in redis-py 8
        [{"address": URL}],
        [{"address": URL, "socket_timeout": 5}],
        [{"address": URL + "?socket_timeout=3", "socket_timeout": 10}],  # the URL wins
    ],
)
def test_an_implicit_or_too_short_read_timeout_is_refused(hosts):
    with pytest.raises(ImproperlyConfigured):
        RedisChannelLayer(hosts=hosts, brpop_timeout=5)


def test_no_read_timeout_at_all_is_allowed():
    RedisChannelLayer(hosts=[{"address": URL, "socket_timeout": None}], brpop_timeout=5)


def test_a_receive_whose_cancel_was_lost_still_ends(monkeypatch):
    """A disconnected socket's layer receive is cancelled; when the cancel is
    lost on the way (Python 3.11's asyncio.wait_for, which redis-py sends
    with, can drop it) the poll must still end, or the consumer awaiting it
    never does. The poll here drops the cancel just as that wait_for would."""
    from channels_redis.core import RedisChannelLayer as Upstream

    async def poll_dropping_the_cancel(self, index, channel, timeout):
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            pass  # what a lost cancel looks like from here: nothing came
        return None

    monkeypatch.setattr(Upstream, "_brpop_with_clean", poll_dropping_the_cancel)
    layer = RedisChannelLayer(hosts=redis_hosts(URL, brpop_timeout=1), brpop_timeout=1)

    async def scenario():
        poll = asyncio.create_task(layer._brpop_with_clean(0, "specific.x!y", 1))
        await asyncio.sleep(0)  # the poll is waiting on "Redis"
        poll.cancel()
        with pytest.raises(asyncio.CancelledError):
            await poll

    asyncio.run(scenario())
