"""A lean HTTP/1.1 client for the measured requests.

Why not httpx: on this two-core machine httpx spent 3.6-4.4 ms of CPU per
request (a bare ASGI app answered it 250-270 times a second, the same app
answered this client 22,000 times a second at 0.04 ms each; /tmp runs noted in
bench/notes.md, "The load generator"). The generator shares the cores with the
server, so that cost was the floor of every throughput figure and swung
R_insert between runs. httpx stays for signing in and the other set-up steps.

Keep-alive connections from a bounded pool, Content-Length or chunked bodies,
no redirects, no cookies jar (callers send their own `Cookie`), no TLS: the
bench talks to its own server on the loopback only."""

from __future__ import annotations

import asyncio
import json as jsonlib
import time
from collections import deque
from dataclasses import dataclass
from urllib.parse import quote, urlsplit


class WireError(Exception):
    """No usable answer: refused, reset, timed out or not HTTP/1.1."""


@dataclass(frozen=True)
class Response:
    status_code: int
    headers: dict  # lower-cased names; the last value of a repeated header
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")


_Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter]

# uvicorn closes a kept-alive connection after 5 s without a request: one idle
# longer than this is not reused (it would fail the request sent on it).
IDLE_REUSE_S = 4.0


class Client:
    """`await client.request("POST", "/path", headers={...}, json={...})`."""

    def __init__(self, base_url: str, *, max_connections: int = 2000) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"plain http://host:port only, not {base_url!r}")
        self.host, self.port = parts.hostname, parts.port or 80
        self._host_header = f"{self.host}:{self.port}".encode()
        self._idle: deque[tuple[_Connection, float]] = deque()  # with when it fell idle
        self._slots = asyncio.Semaphore(max_connections)

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        while self._idle:
            (_, writer), _ = self._idle.pop()
            writer.close()

    async def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict | None = None,
        json: object = None,
        timeout: float = 30.0,
    ) -> Response:
        body = b"" if json is None else jsonlib.dumps(json).encode()
        target = quote(path, safe="!#$%&'()*+,/:;=?@[]~").encode("ascii")  # as httpx sends it
        head = [b"%s %s HTTP/1.1" % (method.encode("ascii"), target), b"Host: " + self._host_header]
        head += [b"Accept: */*", b"User-Agent: hrc-bench"]
        if json is not None:
            head.append(b"Content-Type: application/json")
        if body or method not in ("GET", "HEAD"):
            head.append(b"Content-Length: %d" % len(body))
        for name, value in (headers or {}).items():
            head.append(f"{name}: {value}".encode("latin-1"))
        message = b"\r\n".join(head) + b"\r\n\r\n" + body
        async with self._slots:
            connection = None
            try:
                async with asyncio.timeout(timeout):
                    connection = self._reusable() or await self._open()
                    response, reusable = await _exchange(connection, message, method)
            except (OSError, TimeoutError, EOFError, ValueError, asyncio.LimitOverrunError) as exc:
                if connection is not None:
                    connection[1].close()
                raise WireError(f"{type(exc).__name__}: {exc}") from exc
            if reusable:
                self._idle.append((connection, time.monotonic()))
            else:
                connection[1].close()
            return response

    def _reusable(self) -> _Connection | None:
        """The most recently used idle connection the server has not closed
        (its end of stream arrives while the connection sits idle)."""
        now = time.monotonic()
        while self._idle:
            connection, since = self._idle.pop()
            if now - since < IDLE_REUSE_S and not connection[0].at_eof():
                return connection
            connection[1].close()
        return None

    async def _open(self) -> _Connection:
        return await asyncio.open_connection(self.host, self.port)


async def _exchange(connection: _Connection, message: bytes, method: str) -> tuple[Response, bool]:
    """Send one request, read one response; (response, may the connection be reused)."""
    reader, writer = connection
    writer.write(message)
    # A kept-alive connection the server closed meanwhile fails here or on
    # the read below (EOF): the request counts as unanswered, never resent.
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    if not version.startswith("HTTP/1."):
        raise ValueError(f"not an HTTP/1.x status line: {lines[0][:40]!r}")
    status = int(rest[:3])
    headers = {}
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
    reusable = headers.get("connection", "").lower() != "close" and version == "HTTP/1.1"
    if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
        content = b""
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        content = await _read_chunked(reader)
    elif "content-length" in headers:
        content = await reader.readexactly(int(headers["content-length"]))
    else:  # the body runs to the end of the connection
        content, reusable = await reader.read(), False
    return Response(status, headers, content), reusable


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    parts = []
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0], 16)
        if size == 0:
            while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                pass
            return b"".join(parts)
        parts.append(await reader.readexactly(size))
        await reader.readexactly(2)
