"""ASGI middleware: a request body over the limit is refused before Django's
ASGI handler reads (and, past FILE_UPLOAD_MAX_MEMORY_SIZE, would spool to a
temporary file on disk) any of it (issue 17).

A declared Content-Length over the limit is answered 413 without reading a
byte. A body sent without a length (chunked) is read here in memory, up to the
limit and no further, then handed on; one byte more and it is 413.
"""

from __future__ import annotations

import asyncio
import gc
import json

from django.utils import translation

from .middleware import API_PREFIX, request_body_limit


def freeze_startup_heap() -> None:
    """Leave what the worker loaded at start (Django, Wagtail, every view
    module, the settings) out of the garbage collector's full passes.

    With 1,000 sockets open, a full (generation 2) collection in a worker
    took 226-519 ms during W4 (gc callbacks in bench, issue 21), and the
    comment POSTs, which allocate much more than the bare broadcast, set them
    off: W4's slowest deliveries were those pauses. Frozen objects are never
    traversed again (and never freed: they live as long as the worker).
    """
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now, so it is frozen too
    gc.collect()
    gc.freeze()


class BodyLimitMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = request_body_limit()
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0:
                await _refuse(scope, send, 400)
                return
            if length > limit:
                await _refuse(scope, send, 413)
                return
            await self.app(scope, receive, send)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        # No length given: buffer what comes, in memory, at most `limit` bytes.
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            size += len(message.get("body", b""))
            if size > limit:
                await _refuse(scope, send, 413)
                return
            if not message.get("more_body", False):
                break

        async def replay():
            if messages:
                return messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)


def _language(scope) -> str:
    accept = dict(scope.get("headers") or []).get(b"accept-language", b"").decode("latin-1")
    path = scope.get("path", "")
    if path.startswith("/en/") or (not path.startswith("/ko/") and accept.startswith("en")):
        return "en"
    return "ko"


async def _refuse(scope, send, status: int) -> None:
    with translation.override(_language(scope)):
        if status == 413:
            code, detail = "too_large", translation.gettext("What you sent is too large.")
        else:
            code, detail = "invalid", translation.gettext("The request is malformed.")
    if scope.get("path", "").startswith(API_PREFIX):
        body = json.dumps({"detail": detail, "code": code}, ensure_ascii=False).encode()
        content_type = b"application/json"
    else:
        body = detail.encode()
        content_type = b"text/plain; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class InFlightLimitMiddleware:
    """At most `limit` HTTP requests inside Django at once in this worker; the
    rest wait here, in the event loop, for a free place (issue 21, "lean
    workers").

    Under ASGI every request runs its view in a thread of its own, with a
    database connection of its own: a burst of 1,000 signatures a second kept
    over a hundred of each alive at once and grew the one SQLite worker to
    ~300 MB (bench/notes.md, Memory). A waiting request costs a coroutine, not
    a thread. None is refused: a place taken is given back when the response
    is sent, and one that waits longer only answers later.

    The place is taken when Django has read the whole body (the last
    `http.request` message), not when the request arrives, so a client that
    uploads slowly never holds one while it sends; WebSockets are not counted
    (their consumers are asynchronous).
    """

    def __init__(self, app, limit: int) -> None:
        self.app, self.limit = app, limit
        self._places: asyncio.Semaphore | None = None

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        if self._places is None:
            self._places = asyncio.Semaphore(self.limit)
        places, held = self._places, False

        async def receive_then_wait():
            nonlocal held
            message = await receive()
            last = message["type"] == "http.request" and not message.get("more_body", False)
            if last and not held:
                await places.acquire()
                held = True
            return message

        try:
            await self.app(scope, receive_then_wait, send)
        finally:
            if held:
                places.release()
