import time

from channels.db import database_sync_to_async

from accounts.second_factor import second_factor_satisfied

from .groups import user_notifications_group
from .websocket import StrictJsonWebsocketConsumer

CLOSE_UNAUTHENTICATED = 4401
# The socket's session has not verified the staff second factor.
CLOSE_SECOND_FACTOR_REQUIRED = 4403


@database_sync_to_async
def second_factor_ok(scope) -> bool:
    """The pages' second-factor policy for a socket's user and session."""
    return second_factor_satisfied(scope.get("user"), scope.get("session"))


class LiveGroupMixin:
    """A consumer that listens to one channel-layer group for as long as its
    socket is open. Channel layers forget a member `group_expiry` after it
    joined (a day by default, on Redis and in memory alike), which would leave
    a socket open a day silently deaf; the client's pings (every 25 s from
    static/js/live-socket.js) re-join it once half of that has passed."""

    group: str | None = None

    async def join_group(self, group: str) -> None:
        self.group = group
        await self.channel_layer.group_add(group, self.channel_name)
        self._joined_at = time.monotonic()

    async def leave_group(self) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def answer_ping(self) -> None:
        expiry = getattr(self.channel_layer, "group_expiry", None)
        if self.group and expiry and time.monotonic() - self._joined_at >= expiry / 2:
            await self.join_group(self.group)
        await self.send_json({"type": "pong"})


class NotificationConsumer(LiveGroupMixin, StrictJsonWebsocketConsumer):
    """/ws/notifications/: the signed-in user's own notifications, nobody else's.

    Anyone not signed in is refused at the handshake (closed before accept);
    so is staff whose session has not verified the second factor when the
    policy asks for one (accounts.second_factor.second_factor_satisfied, the
    same function as the pages'): staff notifications name cases. A frame
    that is not JSON text is closed with 1008 (core.websocket).
    """

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await second_factor_ok(self.scope):
            await self.close(code=CLOSE_SECOND_FACTOR_REQUIRED)
            return
        await self.join_group(user_notifications_group(user.pk))
        await self.accept()

    async def disconnect(self, code: int) -> None:
        await self.leave_group()

    async def receive_json(self, content, **kwargs) -> None:
        # The stream is one-way; a ping gets a pong so clients can check liveness.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.answer_ping()

    async def notification_event(self, message: dict) -> None:
        await self.send_json(message["event"])
