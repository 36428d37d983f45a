"""The Redis channel layer, with its blocking receive kept inside the Redis
client's read timeout (docs/architecture.md, "Sockets that hold").

channels-redis receives with a blocking BZPOPMIN of `brpop_timeout` seconds
(5 by default) and loops. redis-py 8 gives every read a `socket_timeout`,
5 s by default, so an idle BZPOPMIN raised TimeoutError and tore down every
WebSocket 5 s after its last message (channels-redis #422, redis-py #4091).
This layer takes `brpop_timeout` as configuration and refuses any host whose
`socket_timeout` is implicit or not comfortably longer than it.
"""

from __future__ import annotations

import asyncio

from channels_redis.core import RedisChannelLayer as _RedisChannelLayer
from django.core.exceptions import ImproperlyConfigured

__all__ = ["RECEIVE_MARGIN", "RedisChannelLayer", "redis_hosts"]

# Redis answers a timed-out blocking command a little after its timeout, and
# the answer still has to cross the network: the read must wait longer.
RECEIVE_MARGIN = 5


def redis_hosts(url: str, *, brpop_timeout: float, margin: float = RECEIVE_MARGIN) -> list[dict]:
    """The layer's `hosts` for one Redis URL, every timeout explicit."""
    return [
        {
            "address": url,
            "socket_timeout": brpop_timeout + margin,
            "socket_connect_timeout": 5,
            "socket_keepalive": True,
        }
    ]


class RedisChannelLayer(_RedisChannelLayer):
    def __init__(self, *, brpop_timeout: float = 5, **kwargs):
        super().__init__(**kwargs)
        self.brpop_timeout = brpop_timeout
        for index in range(self.ring_size):
            # As redis-py will apply it (options in the URL included).
            options = self.create_pool(index).connection_kwargs
            if "socket_timeout" not in options:
                raise ImproperlyConfigured(
                    "Each channel layer host needs an explicit socket_timeout "
                    "(redis-py 8's default is no longer than the blocking receive)."
                )
            timeout = options["socket_timeout"]
            if timeout is not None and timeout < brpop_timeout + 1:
                raise ImproperlyConfigured(
                    f"The channel layer's socket_timeout ({timeout} s) must exceed its "
                    f"brpop_timeout ({brpop_timeout} s) by at least a second."
                )

    async def _brpop_with_clean(self, index, channel, timeout):
        member = await super()._brpop_with_clean(index, channel, timeout)
        task = asyncio.current_task()
        if member is None and task is not None and task.cancelling():
            # The receive was cancelled (its socket went away), but the cancel
            # was lost: on Python 3.11 asyncio.wait_for, which redis-py sends
            # each command with, returns the result of a send that finished
            # as the cancel came and drops the cancel. channels-redis would
            # then poll Redis forever, and the consumer that awaits this
            # receive after its disconnect would never end. Nothing was
            # taken off the channel, so honouring the cancel loses nothing.
            raise asyncio.CancelledError
        return member
