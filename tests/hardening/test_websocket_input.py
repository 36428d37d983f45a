"""Issue 17: a WebSocket handshake for a path no route claims is refused
cleanly, and a frame a stream does not accept closes the socket with 1008,
never a traceback (CONTRACT.md section 4)."""

from types import SimpleNamespace

import pytest
from channels.routing import URLRouter

from tests.sockets import WebsocketCommunicator, run_in_own_loop

# A signed-in user as the consumer sees one; no database is needed to judge frames.
USER = SimpleNamespace(
    pk=424242,
    is_authenticated=True,
    is_active=True,
    is_superuser=False,
    is_staff=False,
    role_names=lambda: {"resident"},
)


def _application():
    from config.asgi import application

    return application


@pytest.mark.parametrize(
    "path",
    [
        "/ws/nope/",
        "/ws/consultations/abc/",
        "/ws/consultations/9223372036854775808/",
        "/ws/consultations/99999999999999999999999999999/",
        "/ws/consultations/0/",
        "/ws/notifications/extra/",
        "/ws/cases/",
        "/ws/cases/HR-2026-000001-and-much-more-than-a-reference/",
        "/ws/cases/HR 2026/",
        "/",
    ],
)
def test_unknown_or_malformed_paths_are_refused_at_the_handshake(path):
    async def scenario():
        communicator = WebsocketCommunicator(
            _application(), path, headers=[(b"origin", b"http://testserver")]
        )
        connected, code = await communicator.connect(timeout=5)
        await communicator.wait()
        return connected, code

    connected, code = run_in_own_loop(scenario)
    assert not connected
    assert code == 4404


def _notifications_socket(user):
    from config.routing import websocket_urlpatterns

    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/notifications/")
    communicator.scope["user"] = user
    return communicator


@pytest.mark.parametrize(
    "frame",
    [
        {"bytes_data": b"\x00\xff binary"},
        {"text_data": "not json"},
        {"text_data": "[" * 100_000 + "]" * 100_000},
    ],
    ids=["binary", "not-json", "deep-json"],
)
@pytest.mark.django_db  # channels closes stale database connections around each frame
def test_a_bad_frame_on_notifications_closes_with_a_policy_code(frame):
    async def scenario():
        communicator = _notifications_socket(USER)
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        await communicator.send_to(**frame)
        message = await communicator.receive_output(timeout=5)
        await communicator.wait()
        return message

    message = run_in_own_loop(scenario)
    assert message == {"type": "websocket.close", "code": 1008}


@pytest.mark.django_db
def test_a_ping_still_gets_a_pong():
    async def scenario():
        communicator = _notifications_socket(USER)
        await communicator.connect(timeout=5)
        await communicator.send_json_to({"type": "ping"})
        answer = await communicator.receive_json_from(timeout=5)
        await communicator.disconnect()
        return answer

    assert run_in_own_loop(scenario) == {"type": "pong"}
