"""The bench's lean HTTP/1.1 client (bench/wire.py) against a scripted server
on the loopback: what it reads, when it reuses a connection, how it fails."""

import asyncio

import pytest

from bench import load, wire


class Scripted:
    """A loopback server answering each request with the next canned reply;
    it records the requests and counts the connections opened."""

    def __init__(self, *replies: bytes, hang_up_after_each: bool = False):
        self.replies = list(replies)
        self.hang_up_after_each = hang_up_after_each
        self.requests: list[bytes] = []
        self.connections = 0

    async def __aenter__(self):
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}"
        return self

    async def __aexit__(self, *exc):
        self.server.close()

    async def _serve(self, reader, writer):
        self.connections += 1
        try:
            while self.replies:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                self.requests.append(head + await reader.readexactly(length))
                reply = self.replies.pop(0)
                if reply == b"hang":
                    await asyncio.sleep(10)
                writer.write(reply)
                await writer.drain()
                if b"Connection: close" in reply or self.hang_up_after_each:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        writer.close()


OK = b'HTTP/1.1 201 Created\r\nContent-Length: 11\r\nX-Bench-Queries: 3\r\n\r\n{"ok":true}'


async def test_reads_a_sized_body_and_reuses_the_connection():
    async with Scripted(OK, OK) as server, wire.Client(server.url) as client:
        first = await client.request("POST", "/sign", headers={"Cookie": "a=b"}, json={"n": 1})
        second = await client.request("GET", "/again")
    assert (first.status_code, first.content) == (201, b'{"ok":true}')
    assert first.headers["x-bench-queries"] == "3"  # names lower-cased, as httpx reads them
    assert second.status_code == 201
    assert server.connections == 1
    sent = server.requests[0]
    assert sent.startswith(b"POST /sign HTTP/1.1\r\n")
    assert b"\r\nCookie: a=b\r\n" in sent
    assert b"\r\nContent-Type: application/json\r\n" in sent
    assert sent.endswith(b'\r\n\r\n{"n": 1}')
    assert b"Content-Length" not in server.requests[1]  # a GET without a body


async def test_reads_a_chunked_body():
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
    )
    async with Scripted(chunked, OK) as server, wire.Client(server.url) as client:
        response = await client.request("GET", "/")
        assert response.text == "hello world"
        assert (await client.request("GET", "/")).status_code == 201
    assert server.connections == 1  # the trailer was read to its end


async def test_a_connection_the_server_closes_is_not_reused():
    closing = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
    async with Scripted(closing, OK) as server, wire.Client(server.url) as client:
        assert (await client.request("GET", "/")).content == b"ok"
        assert (await client.request("GET", "/")).status_code == 201
    assert server.connections == 2


async def test_a_connection_the_server_hung_up_meanwhile_is_not_reused():
    # As uvicorn does to a kept-alive connection idle for 5 s: no header, it closes.
    async with Scripted(OK, OK, hang_up_after_each=True) as server:
        async with wire.Client(server.url) as client:
            assert (await client.request("GET", "/")).status_code == 201
            (reader, _), _ = client._idle[-1]
            while not reader.at_eof():  # let the hang-up reach the idle connection
                await asyncio.sleep(0)
            assert (await client.request("GET", "/")).status_code == 201
    assert server.connections == 2


async def test_a_connection_idle_too_long_is_not_reused(monkeypatch):
    async with Scripted(OK, OK) as server, wire.Client(server.url) as client:
        await client.request("GET", "/")
        monkeypatch.setattr(wire, "IDLE_REUSE_S", 0.0)
        await client.request("GET", "/")
    assert server.connections == 2


async def test_a_path_outside_ascii_is_sent_percent_encoded():
    async with Scripted(OK) as server, wire.Client(server.url) as client:
        await client.request("GET", "/ko/의견/?q=a%20b")
    assert server.requests[0].startswith(b"GET /ko/%EC%9D%98%EA%B2%AC/?q=a%20b HTTP/1.1\r\n")


async def test_failures_are_wire_errors_and_count_as_unanswered():
    async with Scripted(b"hang", b"SSH-2.0-nonsense\r\n\r\n") as server:
        async with wire.Client(server.url) as client:
            with pytest.raises(wire.WireError, match="TimeoutError"):
                await client.request("GET", "/", timeout=0.2)
            with pytest.raises(wire.WireError, match="status line"):
                await client.request("GET", "/")
    async with Scripted(b"hang") as server, wire.Client(server.url) as client:
        out = load.Outcome()
        await load._send(client, load.Req("GET", "/", timeout_s=0.2), out, since=0.0)
    assert (out.errors, out.latencies) == (1, [])


async def test_a_refused_connection_is_a_wire_error():
    async with Scripted() as server:
        url = server.url
    with pytest.raises(wire.WireError):
        async with wire.Client(url) as client:
            await client.request("GET", "/")


def test_only_plain_http_urls():
    with pytest.raises(ValueError, match="plain http"):
        wire.Client("https://example.org")
