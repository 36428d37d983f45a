"""Shared WebSocket machinery (issue 17): consumers that close a bad frame with
a policy code instead of raising, a path converter for ids that cannot
overflow the database, and the consumer that refuses any path no route claims.

A handshake for an unknown or malformed path (`/ws/nope/`,
`/ws/consultations/abc/`) is refused cleanly (closed before accept, which the
server answers with HTTP 403), never a 500 from "No route found".
"""

from __future__ import annotations

import json

from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer

from .api import MAX_ID

# RFC 6455 section 7.4.1: 1008 "policy violation", for a frame the stream does
# not accept (binary, not JSON, nested too deep). 4404 for a path that names
# nothing (the 4xxx range is for applications).
CLOSE_POLICY_VIOLATION = 1008
CLOSE_NOT_FOUND = 4404


class IdConverter:
    """`<id:pk>`: a positive id that fits a 64-bit column. A longer number is
    no match, so the route is not taken and the handshake is refused."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError("id out of range")
        return number

    def to_url(self, value) -> str:
        return str(value)


class StrictJsonWebsocketConsumer(AsyncJsonWebsocketConsumer):
    """A JSON consumer whose client frames are JSON objects or nothing: a binary
    frame, text that is not JSON (or is nested beyond what Python can walk)
    closes the socket with 1008 instead of raising a traceback."""

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        if text_data is None:
            await self.close(code=CLOSE_POLICY_VIOLATION)
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self.close(code=CLOSE_POLICY_VIOLATION)
            return
        await self.receive_json(content, **kwargs)


class RefuseConsumer(AsyncWebsocketConsumer):
    """The last route: any WebSocket path no other route claims."""

    async def connect(self) -> None:
        await self.close(code=CLOSE_NOT_FOUND)
