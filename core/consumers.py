import time

from channels.db import database_sync_to_async

from accounts.second_factor import second_factor_satisfied

from .fanout import LOST
from .groups import user_notifications_group
from .websocket import StrictJsonWebsocketConsumer

CLOSE_UNAUTHENTICATED = 4401
# The socket's session has not verified the staff second factor.
CLOSE_SECOND_FACTOR_REQUIRED = 4403
# The stream's upstream is gone (core.fanout): the page reconnects and catches up.
CLOSE_TRY_AGAIN = 1013


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
    # Channel-layer message types whose handler touches no database: they skip
    # the hop channels (4.2 and later) takes to the worker's one sync thread
    # before every message, to close stale database connections. With many
    # sockets in a group, one event would be that many hops in a row through
    # the thread the worker's sync views also wait for (issue 21). A handler
    # that reads the database (complaints.consumers.CaseConsumer.case_event
    # checks the viewer may still see the case) must not be listed here.
    db_free_events: frozenset[str] = frozenset()

    async def dispatch(self, message: dict) -> None:
        if message.get("type") == LOST:
            await self.close(code=CLOSE_TRY_AGAIN)
            return
        if message.get("type") in self.db_free_events:
            await getattr(self, message["type"].replace(".", "_"))(message)
            return
        await super().dispatch(message)  # type: ignore[misc]

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

    # The event is sent as core.services.notification_send built it.
    db_free_events = frozenset({"notification.event"})

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
