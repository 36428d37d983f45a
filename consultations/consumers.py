from channels.db import database_sync_to_async

from core.consumers import LiveGroupMixin
from core.websocket import StrictJsonWebsocketConsumer

from .events import discussion_group


class ConsultationConsumer(LiveGroupMixin, StrictJsonWebsocketConsumer):
    """/ws/consultations/{id}/: anyone reading a live consultation hears about
    new comments (`comment.created`) and hidden ones (`comment.hidden`).

    One public stream for everyone (the same group and events for a
    moderator as for a passer-by, nothing a moderation page shows), so the
    staff second factor (core.consumers.second_factor_ok) is not asked here:
    a staff socket without it gets exactly what an anonymous one gets."""

    async def connect(self) -> None:
        key = await self._translation_key(self.scope["url_route"]["kwargs"]["pk"])
        if key is None:
            await self.close(code=4404)
            return
        await self.join_group(discussion_group(key))
        await self.accept()

    @database_sync_to_async
    def _translation_key(self, pk: int):
        from .models import ConsultationPage

        return (
            ConsultationPage.objects.live()
            .public()
            .filter(pk=pk)
            .values_list("translation_key", flat=True)
            .first()
        )

    async def disconnect(self, code: int) -> None:
        await self.leave_group()

    async def receive_json(self, content, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.answer_ping()

    async def consultation_event(self, message: dict) -> None:
        await self.send_json(message["event"])
