"""/ws/consultations/{id}/: comment.created after commit, nothing for a rollback."""

import asyncio

import pytest
from asgiref.sync import sync_to_async
from django.db import transaction

from config.asgi import application
from consultations import services
from core.fanout import with_local_fanout
from moderation import services as moderation_services
from tests.sockets import WebsocketCommunicator, count_sync_hops, run_in_own_loop

pytestmark = [pytest.mark.django_db(transaction=True)]


def connect(page_id: int) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        application,
        f"/ws/consultations/{page_id}/",
        headers=[(b"origin", b"http://testserver"), (b"host", b"testserver")],
    )


class Rollback(Exception):
    pass


def _post_then_roll_back(page, author) -> None:
    try:
        with transaction.atomic():
            services.comment_create(page=page, author=author, body="never happened")
            raise Rollback
    except Rollback:
        pass


def test_comment_created_is_pushed_after_commit(consultation, resident, moderator):
    run_in_own_loop(_comment_created_is_pushed_after_commit, consultation, resident, moderator)


async def _comment_created_is_pushed_after_commit(consultation, resident, moderator):
    communicator = connect(consultation.pk)
    connected, _ = await communicator.connect()
    assert connected
    comment = await sync_to_async(services.comment_create)(
        page=consultation, author=resident, body="<p>Live!</p>", section=""
    )
    event = await communicator.receive_json_from(timeout=2)
    assert event["type"] == "comment.created"
    assert event["comment"]["id"] == comment.pk and event["comment"]["body"] == "<p>Live!</p>"

    await sync_to_async(moderation_services.moderation_hide)(
        target=comment, moderator=moderator, reason="spam"
    )
    event = await communicator.receive_json_from(timeout=2)
    assert {k: event[k] for k in ("type", "id", "reason")} == {
        "type": "comment.hidden",
        "id": comment.pk,
        "reason": "spam",
    }
    assert "comment-hidden" in event["html"] and event["comment_count"] == 0
    await communicator.disconnect()


def test_nothing_is_pushed_for_a_rolled_back_comment(consultation, resident):
    run_in_own_loop(_nothing_is_pushed_for_a_rolled_back_comment, consultation, resident)


async def _nothing_is_pushed_for_a_rolled_back_comment(consultation, resident):
    communicator = connect(consultation.pk)
    connected, _ = await communicator.connect()
    assert connected
    await sync_to_async(_post_then_roll_back)(consultation, resident)
    assert await communicator.receive_nothing(timeout=0.5)
    await communicator.disconnect()


def test_unknown_or_unpublished_consultation_is_refused(consultation):
    run_in_own_loop(_unknown_or_unpublished_consultation_is_refused, consultation)


async def _unknown_or_unpublished_consultation_is_refused(consultation):
    communicator = connect(consultation.pk + 1000)
    connected, _ = await communicator.connect()
    assert not connected
    await sync_to_async(consultation.unpublish)()
    communicator = connect(consultation.pk)
    connected, _ = await communicator.connect()
    assert not connected


def test_a_socket_that_pings_stays_in_its_group_past_group_expiry(settings, consultation, resident):
    """Channel layers forget a group member `group_expiry` after it joined (a
    day by default); the pages' pings re-join it, so a socket open for longer
    still hears of new comments. Here the expiry is 4 s."""
    settings.CHANNEL_LAYERS = with_local_fanout(
        {
            "default": {
                "BACKEND": "channels.layers.InMemoryChannelLayer",
                "CONFIG": {"group_expiry": 4},
            }
        }
    )
    run_in_own_loop(_pinging_socket_stays_in_its_group, consultation, resident)


async def _pinging_socket_stays_in_its_group(consultation, resident):
    communicator = connect(consultation.pk)
    connected, _ = await communicator.connect()
    assert connected
    for _ in range(2):  # 5 s in all, past the 4 s expiry
        await asyncio.sleep(2.5)
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from(timeout=2) == {"type": "pong"}
    comment = await sync_to_async(services.comment_create)(
        page=consultation, author=resident, body="<p>Still listening.</p>", section=""
    )
    event = await communicator.receive_json_from(timeout=2)
    assert event["type"] == "comment.created" and event["comment"]["id"] == comment.pk
    await communicator.disconnect()


def test_an_event_is_sent_without_a_hop_to_the_sync_thread(consultation, monkeypatch):
    """Issue 21, fan-out: channels hops to the worker's one sync thread before
    every message (to close stale database connections); an event sends only
    text the publisher encoded, so with 1,000 sockets it must not take 1,000
    hops. The handshake still takes its hop (it reads the page)."""
    from channels.layers import get_channel_layer

    from consultations.events import PLAIN, discussion_group

    hops = count_sync_hops(monkeypatch)
    received: dict = {}

    async def scenario():
        socket = connect(consultation.pk)
        assert (await socket.connect())[0]
        at_handshake = len(hops)
        await get_channel_layer().group_send(
            discussion_group(consultation.translation_key),
            {"type": "consultation.event", "texts": {PLAIN: '{"type": "comment.hidden", "id": 1}'}},
        )
        received["event"] = await socket.receive_json_from(timeout=5)
        received["hops"] = len(hops) - at_handshake, at_handshake
        await socket.disconnect()

    run_in_own_loop(scenario)
    assert received["event"] == {"type": "comment.hidden", "id": 1}
    after_event, at_handshake = received["hops"]
    assert at_handshake >= 1
    assert after_event == 0
