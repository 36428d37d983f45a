"""The header's notification badge follows live (issue 20): every pushed
notification carries the unread count as it is now, a reconnecting page asks
the count of /api/v1/me/notifications/unread, and every page of a signed-in
user loads the one socket script (static/js/badge.js)."""

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async

from core.services import notifications_mark_read
from tests.factories import UserFactory

from .test_notifications import connect, send_committed

pytestmark = pytest.mark.django_db(transaction=True)


async def test_each_pushed_notification_carries_the_unread_count():
    alice = await database_sync_to_async(UserFactory)(username="alice")
    socket, connected = await connect(alice)
    assert connected
    await sync_to_async(send_committed)(user=alice, kind="system.test")
    assert (await socket.receive_json_from(timeout=5))["unread"] == 1
    await sync_to_async(send_committed)(user=alice, kind="system.test")
    assert (await socket.receive_json_from(timeout=5))["unread"] == 2
    await sync_to_async(notifications_mark_read)(user=alice)
    await sync_to_async(send_committed)(user=alice, kind="system.test")
    assert (await socket.receive_json_from(timeout=5))["unread"] == 1
    await socket.disconnect()


def test_unread_count_endpoint_and_badge_markup(client_for):
    alice = UserFactory(username="alice")
    send_committed(user=alice, kind="system.test")
    client = client_for(alice)
    assert client.get("/api/v1/me/notifications/unread").json() == {"unread": 1}
    assert client_for(None).get("/api/v1/me/notifications/unread").status_code == 401
    html = client.get("/en/").content.decode()
    assert 'data-unread-api="/api/v1/me/notifications/unread"' in html
    assert 'data-unread-many="NUM unread"' in html
    assert "js/badge.js" in html
    assert "js/badge.js" not in client_for(None).get("/en/").content.decode()
