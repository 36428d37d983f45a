"""The asyncio load generator: closed-loop (N clients back to back), open-loop
(arrivals at a fixed rate, whatever the server does) and WebSocket fan-out.

Every loop is bounded in count and in time. Latency in the open loop is taken
from the *scheduled* arrival, so a slow server cannot hide its queue
(coordinated omission)."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from bench import wire

REQUEST_TIMEOUT_S = 30.0  # a 12 s page is a result, not a failure


@dataclass(frozen=True)
class Req:
    method: str
    path: str
    headers: dict = field(default_factory=dict)
    json: object = None
    timeout_s: float = REQUEST_TIMEOUT_S


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0  # timeouts and connection failures: the request got no answer
    not_sent: int = 0  # open loop: arrivals skipped because too many were in flight
    queries: Counter = field(default_factory=Counter)  # X-Bench-Queries values seen
    elapsed_s: float = 0.0
    by_index: dict = field(default_factory=dict)  # index -> status, when asked for

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)


def arrival_times(rate_per_s: float, duration_s: float) -> list[float]:
    """Offsets (seconds from the start) of a fixed-rate open-loop schedule."""
    if rate_per_s <= 0 or duration_s <= 0:
        return []
    return [i / rate_per_s for i in range(round(rate_per_s * duration_s))]


# What the loops send through: the lean client for measured requests
# (bench/wire.py says why), httpx where a caller has nothing else.
Sender = wire.Client | httpx.AsyncClient


async def _send(client: Sender, req: Req, out: Outcome, *, since: float, index=None) -> None:
    try:
        response = await client.request(
            req.method, req.path, headers=req.headers, json=req.json, timeout=req.timeout_s
        )
    except (httpx.HTTPError, wire.WireError):
        out.errors += 1
        return
    out.latencies.append(time.perf_counter() - since)
    out.statuses[response.status_code] += 1
    if "x-bench-queries" in response.headers:
        out.queries[int(response.headers["x-bench-queries"])] += 1
    if index is not None:
        out.by_index[index] = response.status_code


async def closed_loop(
    client: Sender,
    request_for: Callable[[int], Req],
    *,
    concurrency: int,
    duration_s: float,
    max_requests: int,
) -> Outcome:
    """`concurrency` clients each send the next request as soon as the last one
    answered, until `duration_s` passed or `max_requests` were sent."""
    out = Outcome()
    counter = itertools.count()
    start = time.perf_counter()
    deadline = start + duration_s

    async def client_loop() -> None:
        while time.perf_counter() < deadline:
            i = next(counter)
            if i >= max_requests:
                return
            await _send(client, request_for(i), out, since=time.perf_counter())

    await asyncio.gather(*(client_loop() for _ in range(concurrency)))
    out.elapsed_s = time.perf_counter() - start
    return out


async def open_loop(
    client: Sender,
    request_for: Callable[[int], Req],
    *,
    rate_per_s: float,
    duration_s: float,
    max_in_flight: int,
) -> Outcome:
    """Send request i at start + i/rate, whether or not earlier ones answered."""
    out = Outcome()
    in_flight: set[asyncio.Task] = set()
    start = time.perf_counter()
    for i, offset in enumerate(arrival_times(rate_per_s, duration_s)):
        delay = start + offset - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if len(in_flight) >= max_in_flight:
            out.not_sent += 1
            continue
        task = asyncio.create_task(
            _send(client, request_for(i), out, since=start + offset, index=i)
        )
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    if in_flight:
        await asyncio.wait(in_flight, timeout=REQUEST_TIMEOUT_S + 5)
    out.elapsed_s = time.perf_counter() - start
    for task in list(in_flight):  # bounded: whatever is still waiting gets no answer
        task.cancel()
        out.errors += 1
    return out


async def drain(client: httpx.AsyncClient, path: str, *, max_s: float = 30.0) -> None:
    """Wait (bounded) until the server answers promptly again after an overload,
    so one measurement's backlog does not slow the next one down."""
    deadline = time.perf_counter() + max_s
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        try:
            await client.get(path, timeout=REQUEST_TIMEOUT_S)
        except httpx.HTTPError:
            continue
        if time.perf_counter() - started < 0.2:
            return
        await asyncio.sleep(0.2)


SEQ_MARK = re.compile(r"bench-seq-(\d+)-")


def seq_mark(seq: int) -> str:
    """The marker a broadcast carries so every client can tell which one it got."""
    return f"bench-seq-{seq}-"


@dataclass
class FanOut:
    connected: int = 0
    refused: int = 0
    sent: int = 0
    trigger_failures: int = 0
    last_client_latencies: list[float] = field(default_factory=list)
    all_latencies: list[float] = field(default_factory=list)
    drops: int = 0


async def ws_fanout(
    ws_url: str,
    *,
    origin: str,
    clients: int,
    messages: int,
    interval_s: float,
    trigger: Callable[[int], Awaitable[bool]],
    grace_s: float = 5.0,
) -> FanOut:
    """`clients` sockets listen on one stream; `trigger(seq)` makes the server
    broadcast a message carrying seq_mark(seq), once every `interval_s`. Each
    arrival is timed from just before the trigger was sent."""
    from websockets.asyncio.client import connect

    result = FanOut()
    sent_at: dict[int, float] = {}
    received: list[dict[int, float]] = []
    sockets = []
    connecting = asyncio.Semaphore(50)

    async def open_one():
        async with connecting:
            try:
                return await connect(ws_url, origin=origin, open_timeout=10, max_queue=None)
            except Exception:  # noqa: BLE001 - any refusal counts the same
                return None

    for ws in await asyncio.gather(*(open_one() for _ in range(clients))):
        if ws is None:
            result.refused += 1
        else:
            sockets.append(ws)
    result.connected = len(sockets)

    async def listen(ws, seen: dict[int, float]) -> None:
        try:
            async for raw in ws:
                now = time.perf_counter()
                match = SEQ_MARK.search(raw if isinstance(raw, str) else raw.decode())
                if match:
                    seen.setdefault(int(match.group(1)), now)
        except Exception:  # noqa: BLE001 - a dropped socket shows up as drops
            return

    listeners = []
    for ws in sockets:
        seen: dict[int, float] = {}
        received.append(seen)
        listeners.append(asyncio.create_task(listen(ws, seen)))

    start = time.perf_counter()
    for seq in range(messages):
        delay = start + seq * interval_s - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        sent_at[seq] = time.perf_counter()
        if await trigger(seq):
            result.sent += 1
        else:
            result.trigger_failures += 1
            del sent_at[seq]

    expected = len(sent_at) * len(sockets)
    deadline = time.perf_counter() + grace_s
    while time.perf_counter() < deadline:
        if sum(len([s for s in seen if s in sent_at]) for seen in received) >= expected:
            break
        await asyncio.sleep(0.05)

    for ws in sockets:
        await ws.close()
    for task in listeners:
        task.cancel()
    await asyncio.gather(*listeners, return_exceptions=True)

    got = 0
    for seq, at in sent_at.items():
        arrivals = [seen[seq] - at for seen in received if seq in seen]
        got += len(arrivals)
        result.all_latencies.extend(arrivals)
        if arrivals and len(arrivals) == len(sockets):
            result.last_client_latencies.append(max(arrivals))
    result.drops = expected - got
    return result
