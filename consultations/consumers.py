from channels.db import database_sync_to_async

from core import fanout
from core.consumers import LiveGroupMixin
from core.websocket import StrictJsonWebsocketConsumer

from .events import PLAIN, discussion_group
from .models import ConsultationPage


class ConsultationConsumer(LiveGroupMixin, StrictJsonWebsocketConsumer):
    """/ws/consultations/{id}/: anyone reading a live consultation hears about
    new comments (`comment.created`) and hidden ones (`comment.hidden`).

    One public stream for everyone (the same group and events for a
    moderator as for a passer-by, nothing a moderation page shows), so the
    staff second factor (core.consumers.second_factor_ok) is not asked here:
    a staff socket without it gets exactly what an anonymous one gets."""

    # Thousands of sockets share one group: one member per process upstream,
    # the copies made locally (core.fanout).
    channel_layer_alias = fanout.ALIAS
    language = ""
    # An event touches no database: the publisher rendered and encoded it.
    db_free_events = frozenset({"consultation.event"})

    async def connect(self) -> None:
        found = await self._page(self.scope["url_route"]["kwargs"]["pk"])
        if found is None:
            await self.close(code=4404)
            return
        key, self.language = found
        await self.join_group(discussion_group(key))
        await self.accept()

    @database_sync_to_async
    def _page(self, pk: int):
        """(translation key, language) of the live public page `pk`, or None.
        Each translation is its own page, so the page says the socket's language."""
        return (
            ConsultationPage.objects.live()
            .public()
            .filter(pk=pk)
            .values_list("translation_key", "locale__language_code")
            .first()
        )

    async def disconnect(self, code: int) -> None:
        await self.leave_group()

    async def receive_json(self, content, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.answer_ping()

    async def consultation_event(self, message: dict) -> None:
        # Rendered and encoded once by the publisher (consultations.events.broadcast).
        texts = message["texts"]
        await self.send(text_data=texts.get(self.language) or texts[PLAIN])
