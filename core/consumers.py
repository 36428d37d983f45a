import time

from .groups import user_notifications_group
from .websocket import StrictJsonWebsocketConsumer


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
    a frame that is not JSON text is closed with 1008 (core.websocket).
    """

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
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
