"""The references (R_http, R_sql, R_insert, R_ws) and the workloads W1-W4,
driven through the outside contract (CONTRACT.md): the JSON API under /api/v1/,
the login form, the consultation WebSocket stream.

Each function returns a plain dict for results.json; a workload whose app is
not there yet returns {"unavailable": "<reason>"} instead of failing the run."""

from __future__ import annotations

import asyncio
import json
import re
import secrets
import string
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from . import cpu, load, wire
from .stats import summarise

# One CSRF secret for the whole run: Django accepts any 32-character secret that
# the cookie and the X-CSRFToken header agree on.
CSRF = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


# No point saturating a request this slow: it would only pile up a backlog.
SLOW_S = 1.0

# Open loop: past this many unanswered requests per worker, arrivals are shed by
# the generator and counted ("not sent") instead of queueing without bound.
MAX_IN_FLIGHT = 256


@dataclass(frozen=True)
class Mode:
    name: str
    latency_requests: int  # sequential requests for p50/p95/p99 (one client)
    latency_max_s: float
    saturation_clients: int
    saturation_s: float
    burst_rate: int  # W3 arrivals per second
    burst_s: float
    fanout_clients: int  # W4
    fanout_messages: int


QUICK = Mode("quick", 40, 3, 16, 2, 1000, 3, 100, 5)
FULL = Mode("full", 400, 20, 32, 10, 1000, 30, 1000, 30)


@dataclass
class Ctx:
    base_url: str
    mode: Mode
    manifest: dict
    client: httpx.AsyncClient
    workers: int
    cookies: dict  # role -> Cookie header of a signed-in session
    run_index: int = 0  # which server run on this database (fresh rows each time)
    wire: wire.Client | None = None  # the measured requests' client (bench/wire.py)
    server_pids: Callable[[], list[int]] | None = None  # for the bursts' CPU (bench/cpu.py)

    @property
    def sender(self) -> load.Sender:
        return self.wire or self.client


NO_LOGIN = "could not sign in through /accounts/login/"


def unavailable(reason: str) -> dict:
    return {"unavailable": reason}


def session_headers(cookie: str | None, *, write: bool = False) -> dict:
    headers = {}
    if cookie:
        headers["Cookie"] = f"{cookie}; csrftoken={CSRF}"
        if write:
            headers["X-CSRFToken"] = CSRF
    return headers


def _set_cookie(response: httpx.Response, name: str) -> str | None:
    # Cookies are Secure in production settings, so httpx's jar would not send
    # them back over plain loopback HTTP: read them from the headers.
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(name + "="):
            return header.split(";", 1)[0].split("=", 1)[1]
    return None


async def login(
    client: httpx.AsyncClient, username: str, password: str, recovery_codes: list | None = None
) -> str:
    """Sign in through the login form (CONTRACT.md section 2); the session cookie."""
    page = await client.get("/ko/accounts/login/")
    token = _set_cookie(page, "csrftoken")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not token or not match:
        raise RuntimeError(f"login form not usable (status {page.status_code})")
    response = await client.post(
        "/ko/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": match.group(1)},
        headers={"Cookie": f"csrftoken={token}", "Referer": str(client.base_url)},
    )
    session = _set_cookie(response, "sessionid")
    if response.status_code != 302 or not session:
        raise RuntimeError(f"login as {username} failed (status {response.status_code})")
    if recovery_codes:  # staff: verify the second factor with one unused code
        session = await _verify_second_factor(client, session, recovery_codes.pop())
    return f"sessionid={session}"


async def _verify_second_factor(client: httpx.AsyncClient, session: str, code: str) -> str:
    path = "/ko/accounts/second-factor/verify/"
    page = await client.get(path, headers={"Cookie": f"sessionid={session}"})
    token = _set_cookie(page, "csrftoken")
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if not token or not match:
        raise RuntimeError(f"second-factor form not usable (status {page.status_code})")
    response = await client.post(
        path,
        data={"token": code, "csrfmiddlewaretoken": match.group(1)},
        headers={
            "Cookie": f"sessionid={session}; csrftoken={token}",
            "Referer": str(client.base_url),
        },
    )
    verified = _set_cookie(response, "sessionid")
    if response.status_code != 302 or not verified:
        raise RuntimeError(f"second factor refused (status {response.status_code})")
    return verified


def _queries(outcome: load.Outcome) -> list[int]:
    """Query counts seen, the most frequent first (the first request of a
    server can run a few more while caches fill)."""
    return [count for count, _ in outcome.queries.most_common()]


async def measure(ctx: Ctx, request_for, *, saturate: bool = True) -> dict:
    """Latency from one client (p50/p95/p99), then throughput at saturation."""
    mode = ctx.mode
    seq = await load.closed_loop(
        ctx.sender,
        request_for,
        concurrency=1,
        duration_s=mode.latency_max_s,
        max_requests=mode.latency_requests,
    )
    result = {
        "latency": summarise(seq.latencies),
        "queries": _queries(seq),
        "statuses": dict(seq.statuses),
        "errors": seq.errors,
    }
    slow = seq.latencies and min(seq.latencies) > SLOW_S
    if slow:
        result["saturation"] = {"skipped": f"every request took over {SLOW_S} s"}
    if saturate and not slow:
        sat = await load.closed_loop(
            ctx.sender,
            request_for,
            concurrency=mode.saturation_clients * ctx.workers,
            duration_s=mode.saturation_s,
            max_requests=100_000,
        )
        result["saturation"] = {
            "clients": mode.saturation_clients * ctx.workers,
            "rps": round(len(sat.latencies) / sat.elapsed_s, 1) if sat.elapsed_s else None,
            **summarise(sat.latencies),
        }
        result["statuses"] = dict(seq.statuses + sat.statuses)
        result["errors"] += sat.errors
    result["server_errors"] = sum(n for s, n in result["statuses"].items() if s >= 500)
    if result["errors"] or slow:
        await load.drain(ctx.client, "/bench/ref/http/")
    return result


def get(path: str, cookie: str | None = None):
    req = load.Req("GET", path, session_headers(cookie))
    return lambda i: req


# --- references ---------------------------------------------------------


async def r_http(ctx: Ctx) -> dict:
    return await measure(ctx, get("/bench/ref/http/"))


async def r_sql(ctx: Ctx, name: str, params: dict) -> dict:
    query = "&".join(f"{k}={int(v)}" for k, v in params.items())
    return await measure(ctx, get(f"/bench/ref/sql/{name}/?{query}"), saturate=False)


def signing_plan(attempts: int, duplicate_every: int = 20) -> list[int]:
    """Which user makes attempt i: a new one each time, except every
    `duplicate_every`-th attempt (5%) repeats the user of an earlier attempt."""
    plan, fresh = [], 0
    for i in range(attempts):
        if i % duplicate_every == duplicate_every - 1 and fresh:
            plan.append(plan[i // 2])  # someone who already tried, half a run ago
        else:
            plan.append(fresh)
            fresh += 1
    return plan


def _burst_summary(outcome: load.Outcome, plan: list[int]) -> dict:
    accepted = outcome.ok
    return {
        "attempts": len(plan),
        "distinct_users": len(set(plan)),
        "accepted": accepted,
        "accepted_per_s": round(accepted / outcome.elapsed_s, 1) if outcome.elapsed_s else None,
        "latency": summarise(outcome.latencies),
        "statuses": dict(outcome.statuses),
        "server_errors": outcome.server_errors,
        "no_answer": outcome.errors,
        "not_sent": outcome.not_sent,
        "queries": _queries(outcome),
    }


async def r_insert(ctx: Ctx) -> dict:
    mode = ctx.mode
    plan = signing_plan(round(mode.burst_rate * mode.burst_s))

    def request_for(i):
        user = ctx.run_index * 10_000_000 + plan[i]
        return load.Req("POST", "/bench/ref/insert/", json={"user": user})

    meter = cpu.Meter(ctx.server_pids) if ctx.server_pids else None
    outcome = await load.open_loop(
        ctx.sender,
        request_for,
        rate_per_s=mode.burst_rate,
        duration_s=mode.burst_s,
        max_in_flight=MAX_IN_FLIGHT * ctx.workers,
    )
    cpu_per_request = meter.per_request(sum(outcome.statuses.values())) if meter else None
    await load.drain(ctx.client, "/bench/ref/http/")
    result = {"rate": mode.burst_rate, "duration_s": mode.burst_s, **_burst_summary(outcome, plan)}
    return {**result, "cpu_per_request": cpu_per_request}


async def fanout(ctx: Ctx, ws_path: str, trigger) -> dict:
    mode = ctx.mode
    ws_url = ctx.base_url.replace("http://", "ws://") + ws_path
    result = await load.ws_fanout(
        ws_url,
        origin=ctx.base_url,
        clients=mode.fanout_clients,
        messages=mode.fanout_messages,
        interval_s=1.0,
        trigger=trigger,
    )
    return {
        "clients": mode.fanout_clients,
        "connected": result.connected,
        "refused": result.refused,
        "messages": result.sent,
        "trigger_failures": result.trigger_failures,
        "last_client": summarise(result.last_client_latencies),
        "all_deliveries": summarise(result.all_latencies),
        "drops": result.drops,
    }


async def r_ws(ctx: Ctx, path: str = "/ws/bench/ref/") -> dict:
    """The bare broadcast; with path "/ws/bench/ref-live/" the same through
    core.fanout's one member per process (R_ws_live, shown, not judged)."""

    async def trigger(seq: int) -> bool:
        body = json.dumps({"type": "bench", "text": load.seq_mark(seq)})
        response = await ctx.client.post("/bench/ref/broadcast/", content=body)
        return response.status_code == 200

    return await fanout(ctx, path, trigger)


# --- workloads ----------------------------------------------------------


async def _consultation_url(ctx: Ctx, consultation_id: int) -> str | None:
    response = await ctx.client.get("/api/v1/consultations")
    if response.status_code != 200:
        return None
    for item in response.json():
        if item.get("id") == consultation_id:
            return httpx.URL(item["url"]).path if item.get("url") else None
    return None


async def _deep_cursor(ctx: Ctx, path: str, max_pages: int) -> tuple[str | None, int]:
    """Follow `next` cursors (bounded); the cursor of the deepest page reached."""
    cursor, depth = None, 0
    for _ in range(max_pages):
        url = path + (f"?cursor={cursor}" if cursor else "")
        response = await ctx.client.get(url)
        if response.status_code != 200:
            break
        following = response.json().get("next")
        if not following:
            break
        cursor, depth = following, depth + 1
    return cursor, depth


async def w1(ctx: Ctx) -> dict:
    info = ctx.manifest.get("w1", {})
    if "unavailable" in info:
        return info
    results = {}
    for size, spec in info["consultations"].items():
        cid = spec["id"]
        page = await _consultation_url(ctx, cid)
        api = f"/api/v1/consultations/{cid}/comments"
        cursor, depth = await _deep_cursor(ctx, api, max_pages=400)
        variants = {}
        if page:
            variants["page, anonymous, cached"] = (page, None)
            # A parameter the page cache does not keep: rendered afresh every time.
            variants["page, anonymous, uncached"] = (f"{page}?bench=uncached", None)
            variants["page, signed in"] = (page, ctx.cookies.get("resident"))
        else:
            variants["page"] = None
        variants["API first page, anonymous"] = (api, None)
        variants["API first page, signed in"] = (api, ctx.cookies.get("resident"))
        if cursor:
            variants[f"API cursor page {depth + 1}, anonymous"] = (f"{api}?cursor={cursor}", None)
        for label, target in variants.items():
            if target is None:
                results[f"{size} comments, {label}"] = unavailable("no page URL in the API")
                continue
            if "signed in" in label and target[1] is None:
                results[f"{size} comments, {label}"] = unavailable(NO_LOGIN)
                continue
            # The small thread is there for its query count and latency; in quick
            # mode only the anonymous reads of the big one are saturated.
            quick = ctx.mode.name == "quick"
            if quick and size == "10" and "signed in" in label:
                continue
            saturate = size != "10" and (not quick or "anonymous" in label)
            results[f"{size} comments, {label}"] = await measure(
                ctx, get(*target), saturate=saturate
            )
    return results


async def w2(ctx: Ctx) -> dict:
    info = ctx.manifest.get("w2", {})
    if "unavailable" in info:
        return info
    cookie = ctx.cookies.get("caseworker")
    if cookie is None:
        return unavailable(NO_LOGIN)
    results = {
        "queue page": await measure(ctx, get("/ko/casework/", cookie)),
        "API list": await measure(ctx, get("/api/v1/complaints", cookie)),
    }
    # The query count must not depend on the queue's length.
    small = ctx.cookies.get("caseworker_small")
    results["queue page, 5 cases"] = (
        await measure(ctx, get("/ko/casework/", small), saturate=False)
        if small
        else unavailable(NO_LOGIN)
    )
    references = info.get("transition_cases", [])
    if references:
        # Each case starts from where the previous server run left it (one pass
        # moved some into mediation): every request is a move, never a 409.
        first = {}
        for reference in references:
            answer = await ctx.client.get(
                f"/api/v1/complaints/{reference}", headers=session_headers(cookie)
            )
            in_mediation = answer.status_code == 200 and answer.json()["status"] == "mediation"
            first[reference] = 1 if in_mediation else 0
        moves = ("start_mediation", "end_mediation")

        def request_for(i):
            reference = references[i % len(references)]
            move = moves[(i // len(references) + first[reference]) % 2]
            return load.Req(
                "POST",
                f"/api/v1/complaints/{reference}/transitions",
                session_headers(cookie, write=True),
                json={"transition": move},
            )

        # Sequential only: two clients moving the same case would just get 409s.
        results["transition POST"] = await measure(ctx, request_for, saturate=False)
    return results


async def w3(ctx: Ctx, petition_id: int) -> dict:
    sessions = ctx.manifest.get("crowd", [])
    mode = ctx.mode
    plan = signing_plan(round(mode.burst_rate * mode.burst_s))
    if len(set(plan)) > len(sessions):
        return unavailable(f"only {len(sessions)} signed-in residents seeded")
    headers = [session_headers(s, write=True) for s in sessions]

    def request_for(i):
        return load.Req("POST", f"/api/v1/petitions/{petition_id}/signatures", headers[plan[i]])

    meter = cpu.Meter(ctx.server_pids) if ctx.server_pids else None
    outcome = await load.open_loop(
        ctx.sender,
        request_for,
        rate_per_s=mode.burst_rate,
        duration_s=mode.burst_s,
        max_in_flight=MAX_IN_FLIGHT * ctx.workers,
    )
    cpu_per_request = meter.per_request(sum(outcome.statuses.values())) if meter else None
    await load.drain(ctx.client, "/bench/ref/http/")
    result = {"rate": mode.burst_rate, "duration_s": mode.burst_s, **_burst_summary(outcome, plan)}
    result["cpu_per_request"] = cpu_per_request
    accepted_users = {plan[i] for i, status in outcome.by_index.items() if 200 <= status < 300}
    result["distinct_users_accepted"] = len(accepted_users)
    await load.drain(ctx.client, "/bench/ref/http/")
    # The count is folded by the task worker: poll the list until it shows
    # every accepted signer (goal: within 2 s of the burst's end), at most 10 s.
    shown, waited, started = None, None, time.perf_counter()
    while time.perf_counter() - started < 10:
        shown = await _count_listed(ctx, petition_id)
        if shown is not None and shown >= len(accepted_users):
            waited = round(time.perf_counter() - started, 2)
            break
        await asyncio.sleep(0.1)
    result["count_shown"] = shown
    result["count_converged_s"] = waited
    return result


async def _count_listed(ctx: Ctx, petition_id: int) -> int | None:
    try:
        listing = await ctx.client.get("/api/v1/petitions", timeout=30)
    except httpx.HTTPError:
        return None
    if listing.status_code != 200:
        return None
    return next((p["signature_count"] for p in listing.json() if p["id"] == petition_id), None)


async def w4(ctx: Ctx) -> dict:
    info = ctx.manifest.get("w4", {})
    if "unavailable" in info:
        return info
    cid = info["consultation"]
    # Fresh authors each run, one comment each: the per-person rate limit is not
    # what this workload measures.
    start = ctx.run_index * ctx.mode.fanout_messages
    commenters = info["commenters"][start : start + ctx.mode.fanout_messages]
    if len(commenters) < ctx.mode.fanout_messages:
        return unavailable("not enough seeded commenters for this run")
    writers = [session_headers(s, write=True) for s in commenters]

    async def trigger(seq: int) -> bool:
        response = await ctx.client.post(
            f"/api/v1/consultations/{cid}/comments",
            headers=writers[seq % len(writers)],
            json={"body": f"Benchmark comment {load.seq_mark(seq)} on the draft."},
        )
        return response.status_code == 201

    return await fanout(ctx, f"/ws/consultations/{cid}/", trigger)
