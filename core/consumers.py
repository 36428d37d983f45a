from .groups import user_notifications_group
from .websocket import StrictJsonWebsocketConsumer


class NotificationConsumer(StrictJsonWebsocketConsumer):
    """/ws/notifications/: the signed-in user's own notifications, nobody else's.

    Anyone not signed in is refused at the handshake (closed before accept);
    a frame that is not JSON text is closed with 1008 (core.websocket).
    """

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_active:
            await self.close(code=4401)
            return
        self.group = user_notifications_group(user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        group = getattr(self, "group", None)
        if group:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs) -> None:
        # The stream is one-way; a ping gets a pong so clients can check liveness.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def notification_event(self, message: dict) -> None:
        await self.send_json(message["event"])
