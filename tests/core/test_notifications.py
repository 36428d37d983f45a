import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import transaction
from django.utils.module_loading import import_string

from config.asgi import application
from core.models import Notification
from core.selectors import notification_unread_count
from core.services import notification_send, notifications_mark_read
from tests.factories import UserFactory
from tests.sockets import WebsocketCommunicator, count_sync_hops

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = [(b"origin", b"http://testserver"), (b"host", b"testserver")]


def session_cookie_for(user) -> bytes:
    engine = import_string(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.RolesWithUserBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


async def connect(user=None, origin=b"http://testserver"):
    headers = [(b"origin", origin), (b"host", b"testserver")]
    if user is not None:
        cookie = await database_sync_to_async(session_cookie_for)(user)
        headers.append((b"cookie", cookie))
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await communicator.connect()
    return communicator, connected


def send_committed(**kwargs):
    with transaction.atomic():
        return notification_send(**kwargs)


async def test_notification_reaches_its_user_and_nobody_else():
    alice = await database_sync_to_async(UserFactory)(username="alice")
    bob = await database_sync_to_async(UserFactory)(username="bob")
    alice_socket, alice_ok = await connect(alice)
    bob_socket, bob_ok = await connect(bob)
    assert alice_ok and bob_ok

    await database_sync_to_async(send_committed)(
        user=alice, kind="system.test", payload={"n": 1}, url="/ko/"
    )

    event = await alice_socket.receive_json_from(timeout=2)
    assert event["type"] == "system.test"
    assert event["payload"] == {"n": 1}
    assert event["message"]
    assert await bob_socket.receive_nothing(timeout=0.3)
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_rolled_back_notification_is_never_pushed():
    alice = await database_sync_to_async(UserFactory)(username="alice")
    socket, ok = await connect(alice)
    assert ok

    def send_and_roll_back():
        with pytest.raises(RuntimeError), transaction.atomic():
            notification_send(user=alice, kind="system.test")
            raise RuntimeError("boom")

    await database_sync_to_async(send_and_roll_back)()
    assert await socket.receive_nothing(timeout=0.3)
    assert await database_sync_to_async(Notification.objects.count)() == 0
    await socket.disconnect()


async def test_anonymous_socket_is_refused_at_the_handshake():
    socket, connected = await connect(None)
    assert not connected


async def test_foreign_origin_is_refused():
    alice = await database_sync_to_async(UserFactory)(username="alice")
    socket, connected = await connect(alice, origin=b"http://evil.example")
    assert not connected


async def test_notification_is_stored_for_an_offline_user():
    alice = await database_sync_to_async(UserFactory)(username="alice")
    await database_sync_to_async(send_committed)(user=alice, kind="system.test")
    assert await sync_to_async(notification_unread_count)(user=alice) == 1


def test_notification_page_lists_own_and_marks_read(client_for):
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    mine = send_committed(user=alice, kind="account.email_verified")
    send_committed(user=bob, kind="system.test")
    client = client_for(alice)
    html = client.get("/en/notifications/").content.decode()
    assert "Your e-mail address is confirmed." in html
    assert "This is a test notification." not in html
    korean = client.get("/ko/notifications/").content.decode()
    assert "이메일 주소가 확인되었습니다." in korean

    # Bob's notification id cannot be marked read by Alice.
    other = Notification.objects.get(user=bob)
    client.post("/en/notifications/read/", {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None

    client.post("/en/notifications/read/", {"id": mine.pk})
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post("/en/notifications/read/", {"id": "x"}).status_code == 302


def test_notification_page_needs_sign_in(client):
    response = client.get("/en/notifications/")
    assert response.status_code == 302
    assert "/en/accounts/login/" in response["Location"]


def test_mark_read_service_is_limited_to_the_user():
    alice, bob = UserFactory(username="alice"), UserFactory(username="bob")
    send_committed(user=alice, kind="system.test")
    send_committed(user=bob, kind="system.test")
    assert notifications_mark_read(user=alice) == 1
    assert notification_unread_count(user=bob) == 1


def test_notification_list_query_count_is_constant(client_for, django_assert_max_num_queries):
    alice = UserFactory(username="alice")
    client = client_for(alice)
    send_committed(user=alice, kind="system.test")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get("/en/notifications/")  # fill the per-process caches (site chrome)
    with CaptureQueriesContext(connection) as few:
        client.get("/en/notifications/")
    Notification.objects.bulk_create(
        Notification(user=alice, kind="system.test") for _ in range(200)
    )
    with CaptureQueriesContext(connection) as many:
        client.get("/en/notifications/")
    assert len(many) == len(few)


def test_a_title_in_a_notification_is_escaped_once(client_for):
    """Titles are stored as sanitised, escaped text; the message is plain text."""
    from core.sanitize import clean_text
    from tests.consultations.xss_payloads import XSS_PAYLOADS

    alice = UserFactory(username="alice")
    for payload in XSS_PAYLOADS[:24]:  # one page of the list with the next
        send_committed(
            user=alice, kind="petition.published", payload={"title": clean_text(payload)}
        )
    send_committed(
        user=alice,
        kind="petition.published",
        payload={"petition": 1, "title": clean_text("Tom & Jerry <b>bold</b>")},
    )
    html = client_for(alice).get("/en/notifications/").content.decode()
    assert "Tom &amp; Jerry bold" in html and "&amp;amp;" not in html
    main = html.split("<main", 1)[1].split("</main>", 1)[0].lower()
    assert "<script" not in main and "<img" not in main and "<svg" not in main


def test_a_page_catches_up_on_what_came_while_its_socket_was_away(client_for):
    """GET /api/v1/me/notifications?after=N: the caller's own, after N, oldest
    first, as the socket sends them; `next` pages on (static/js/notifications.js)."""
    alice = UserFactory(username="alice")
    bob = UserFactory(username="bob")
    seen = send_committed(user=alice, kind="system.test")
    missed = [send_committed(user=alice, kind="system.test", url=f"/ko/{i}/") for i in range(3)]
    send_committed(user=bob, kind="system.test")
    client = client_for(alice)

    page = client.get(f"/api/v1/me/notifications?after={seen.pk}&limit=2").json()
    assert [item["id"] for item in page["items"]] == [n.pk for n in missed[:2]]
    assert page["items"][0] == missed[0].as_event()
    assert page["next"] == missed[1].pk
    rest = client.get(f"/api/v1/me/notifications?after={page['next']}").json()
    assert [item["id"] for item in rest["items"]] == [missed[2].pk] and rest["next"] is None

    html = client.get("/en/notifications/").content.decode()
    assert f'data-latest-notification="{missed[2].pk}"' in html
    assert 'id="live-connection" class="live-status" role="status"' in html


def test_catching_up_needs_sign_in_and_a_sane_cursor(client, client_for):
    response = client.get("/api/v1/me/notifications?after=0")
    assert response.status_code == 401
    signed_in = client_for(UserFactory(username="carol"))
    for query in ("after=-1", "after=x", "limit=51", "limit=0"):
        response = signed_in.get(f"/api/v1/me/notifications?{query}")
        assert response.status_code == 400, query
        assert response.json()["code"]


async def test_a_notification_is_sent_without_a_hop_to_the_sync_thread(monkeypatch):
    """Issue 21: channels hops to the worker's one sync thread before every
    message (to close stale database connections); a notification event sends
    what notification_send built and reads nothing, so it takes no hop. The
    handshake still does (it reads the session and the user)."""
    from channels.layers import get_channel_layer

    from core.groups import user_notifications_group

    hops = count_sync_hops(monkeypatch)
    alice = await database_sync_to_async(UserFactory)(username="alice")
    socket, connected = await connect(alice)
    assert connected
    at_handshake = len(hops)
    event = {"type": "system.test", "unread": 1}
    await get_channel_layer().group_send(
        user_notifications_group(alice.pk), {"type": "notification.event", "event": event}
    )
    assert await socket.receive_json_from(timeout=2) == event
    assert at_handshake >= 1
    assert len(hops) == at_handshake
    await socket.disconnect()
