"""Sockets that hold on Redis (issue 11): a consultation socket and a
notifications socket stay open while nothing happens for longer than every
timeout of the channel layer, then still receive the next event.

channels-redis waits for a message with a blocking BZPOPMIN of `brpop_timeout`
seconds; redis-py 8 closes any read that takes longer than `socket_timeout`
(5 s by default). When the first outlives the second, every idle socket is
torn down. The test settings shorten both, so the test idles past them
quickly; with the stock settings it idles past the 5 s defaults and fails.
"""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from config.asgi import application
from consultations import services as consultation_services
from core.services import notification_send
from tests.core.test_notifications import connect as connect_notifications
from tests.sockets import WebsocketCommunicator, run_in_own_loop

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

MARGIN = 1.5  # seconds past the longest timeout


def layer_timeouts() -> list[float]:
    """Every timeout of the configured Redis channel layer that an idle
    socket has to outlast: the blocking receive and each host's read timeout
    (as redis-py will apply it, defaults included)."""
    layer = get_channel_layer()
    timeouts = [float(layer.brpop_timeout)]
    for index in range(layer.ring_size):
        pool = layer.create_pool(index)
        socket_timeout = pool.connection_kwargs.get("socket_timeout")
        if socket_timeout is not None:
            timeouts.append(float(socket_timeout))
    return timeouts


def idle_seconds() -> float:
    longest = max(layer_timeouts())
    assert longest < 30, "the test settings keep the layer's timeouts short"
    return longest + MARGIN


def test_idle_sockets_outlast_every_layer_timeout(consultation, resident):
    assert type(get_channel_layer()).__module__.startswith(("channels_redis", "core"))
    run_in_own_loop(_idle_sockets_outlast_every_layer_timeout, consultation, resident)


async def _idle_sockets_outlast_every_layer_timeout(consultation, resident):
    discussion = WebsocketCommunicator(
        application,
        f"/ws/consultations/{consultation.pk}/",
        headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
    )
    connected, _ = await discussion.connect()
    assert connected
    notifications, connected = await connect_notifications(resident)
    assert connected

    await asyncio.sleep(idle_seconds())
    # A consumer whose receive loop died has closed its socket already.
    assert await discussion.receive_nothing(timeout=0.1)
    assert await notifications.receive_nothing(timeout=0.1)

    comment = await sync_to_async(consultation_services.comment_create)(
        page=consultation, author=resident, body="<p>Still here?</p>", section=""
    )
    event = await discussion.receive_json_from(timeout=5)
    assert event["type"] == "comment.created" and event["comment"]["id"] == comment.pk

    def notify():
        with transaction.atomic():
            return notification_send(user=resident, kind="system.test")

    notification = await sync_to_async(notify)()
    event = await notifications.receive_json_from(timeout=5)
    assert event["type"] == "system.test" and event["id"] == notification.pk

    await discussion.disconnect()
    await notifications.disconnect()
