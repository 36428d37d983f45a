from channels.db import database_sync_to_async

from accounts.second_factor import second_factor_satisfied
from core.consumers import LiveGroupMixin
from core.errors import Hidden
from core.permissions import may
from core.websocket import CLOSE_NOT_FOUND, StrictJsonWebsocketConsumer

from .live import case_group
from .models import Complaint
from .receipt_session import RECEIPT_ATTR, receipt_case_ids_of_session
from .selectors import complaint_get_for


class CaseConsumer(LiveGroupMixin, StrictJsonWebsocketConsumer):
    """/ws/cases/{reference}/: `case.updated` with `what` ("message" or
    "status") whenever the case changes, for the complainant (account or
    receipt session) and the office on the case. Anyone else, and any
    reference that names nothing, is refused at the handshake with 4404,
    the same for both: a socket cannot tell a case exists."""

    complaint_id = None  # the case's UUID once the handshake let the socket in

    async def connect(self) -> None:
        self.complaint_id = await self._visible_case(self.scope["url_route"]["kwargs"]["reference"])
        if self.complaint_id is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.join_group(case_group(self.complaint_id))
        await self.accept()

    def _viewer(self):
        user = self.scope.get("user")
        if user is None:
            return None
        setattr(user, RECEIPT_ATTR, receipt_case_ids_of_session(self.scope.get("session")))
        return user

    def _second_factor_missing(self, user) -> bool:
        # The pages' one policy (accounts.second_factor).
        return not second_factor_satisfied(user, self.scope.get("session"))

    @database_sync_to_async
    def _visible_case(self, reference: str):
        user = self._viewer()
        if user is None or self._second_factor_missing(user):
            return None
        try:
            return complaint_get_for(user=user, reference=reference).pk
        except Hidden:
            return None

    @database_sync_to_async
    def _still_visible(self) -> bool:
        user = self._viewer()
        complaint = Complaint.objects.filter(pk=self.complaint_id).first()
        return bool(
            user is not None and complaint is not None and may(user, "complaints.view", complaint)
        )

    async def disconnect(self, code: int) -> None:
        await self.leave_group()

    async def receive_json(self, content, **kwargs) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.answer_ping()

    async def case_event(self, message: dict) -> None:
        if not await self._still_visible():
            await self.leave_group()
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.send_json({"type": "case.updated", "what": message["what"]})
