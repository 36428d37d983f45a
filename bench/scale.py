"""The scale series (issue 21, "cost curves"): the same pages at three sizes
each, ten times apart, and how their p95 grows with the size.

- W1: the consultation page (uncached) and the API's first page of comments,
  on consultations with 100, 10,000 and 100,000 comments.
- W2: the caseworker's queue page and the API list, the caseworker's own
  queue fixed at 500 cases while the complaints table grows to 10,000,
  100,000 and 1,000,000 complaints (every case granted to some caseworker).
- Statistics: the public complaint statistics page at the same sizes, as a
  reader gets it (from the cache the page keeps) and computed afresh (what the
  first reader after the cache expired waits for).
Quick mode uses a tenth of each size. Latency as in the other workloads: one
client, back to back. Each back-end gets its own database, migrated while the
main databases are (bench.__main__), grown in place between sizes by
bench.scale_seed (bulk writes) and dropped at the end."""

from __future__ import annotations

import asyncio
import json
import time
import traceback
from pathlib import Path

import httpx

from . import load, server, wire, workloads
from .server import Backend
from .stats import fit_growth, summarise

SIZES = {
    "full": {"comments": (100, 10_000, 100_000), "complaints": (10_000, 100_000, 1_000_000)},
    "quick": {"comments": (10, 1_000, 10_000), "complaints": (1_000, 10_000, 100_000)},
}
# Per measurement: at most this many requests, for at most this long (the
# first is always sent, however slow).
REQUESTS = {"quick": (30, 3.0), "full": (100, 5.0)}
# A statistics page computed afresh over a million complaints takes seconds.
SLOW_TIMEOUT_S = 600.0
UNITS = {"W1": "comments", "W2": "complaints", "statistics": "complaints"}


def database_name() -> str:
    return f"{server.PG_DATABASE}_scale"


def scale_env(backend: Backend, workdir: Path) -> dict:
    env = server.base_env(backend, workdir)
    if backend.name == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'scale.sqlite3'}"
    else:
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database_name()}"
        env["CACHE_KEY_PREFIX"] = env["CHANNEL_PREFIX"] = "hrcscale"
    # One worker, one client: a small pool, beside the other runs' connections.
    env["DB_POOL_MIN"], env["DB_POOL_MAX"] = "1", "4"
    return env


def prepare(backend: Backend, mode_name: str, workdir: Path, *, log) -> tuple[dict, dict]:
    """(env, manifest): a migrated database with the accounts and the W1
    consultations; the manifest holds {"skipped"} or {"error"} instead."""
    env = scale_env(backend, workdir)
    started = time.perf_counter()
    try:
        server.reset_database(backend, database=database_name(), redis_too=False)
        server.run(
            [server.PYTHON, "manage.py", "migrate", "--noinput"], env, timeout_s=900, log=log
        )
        server.run([server.PYTHON, "manage.py", "createcachetable"], env, timeout_s=120, log=log)
        sizes = ",".join(str(n) for n in SIZES[mode_name]["comments"])
        out = server.run(
            [server.PYTHON, "-m", "bench.scale_seed", "base", "--comments", sizes],
            env,
            timeout_s=900,
            log=log,
        )
        manifest = json.loads(out)
    except server.BackendUnavailable as exc:
        return env, {"skipped": str(exc)}
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        return env, {"error": f"preparing the scale database failed: {exc}"[:500]}
    manifest["prepare_s"] = round(time.perf_counter() - started, 1)
    return env, manifest


def run(backend: Backend, mode_name: str, env: dict, manifest: dict, *, log) -> dict:
    """The series on one back-end; the database is dropped afterwards."""
    if "skipped" in manifest:
        return workloads.unavailable(manifest["skipped"])
    if "error" in manifest:
        return workloads.unavailable(manifest["error"])
    started = time.perf_counter()
    srv = server.Server(env, 1)
    try:
        srv.start()
        result = asyncio.run(measure(srv, mode_name, env, manifest, log=log))
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        result = workloads.unavailable(f"failed: {type(exc).__name__}: {exc}"[:300])
    finally:
        srv.stop()
        if backend.name == "postgres":
            server.reset_database(
                backend, drop_only=True, database=database_name(), redis_too=False
            )
    result["prepare_s"] = manifest.get("prepare_s")
    result["backend_note"] = "COPY" if backend.name == "postgres" else "executemany"
    result["duration_s"] = round(time.perf_counter() - started, 1)
    return result


async def timed(client: load.Sender, req: load.Req, mode_name: str) -> dict:
    count, max_s = REQUESTS[mode_name]
    outcome = await load.closed_loop(
        client, lambda i: req, concurrency=1, duration_s=max_s, max_requests=count
    )
    return {
        "latency": summarise(outcome.latencies),
        "queries": [n for n, _ in outcome.queries.most_common()],
        "statuses": dict(outcome.statuses),
        "errors": outcome.errors,
    }


async def measure(srv: server.Server, mode_name: str, env: dict, manifest: dict, *, log) -> dict:
    sizes = SIZES[mode_name]
    series: dict[str, dict] = {
        name: {"unit": UNITS[name], "sizes": [], "measurements": {}} for name in UNITS
    }

    def record(name: str, label: str, measurement: dict) -> None:
        series[name]["measurements"].setdefault(label, []).append(measurement)

    limits = httpx.Limits(max_connections=10)
    async with (
        httpx.AsyncClient(base_url=srv.url, limits=limits, timeout=30) as setup,
        wire.Client(srv.url, max_connections=10) as client,
    ):
        account = manifest["accounts"]["caseworker"]
        cookie = await workloads.login(
            setup, account["username"], account["password"], account["recovery_codes"]
        )
        ctx = workloads.Ctx(srv.url, workloads.QUICK, manifest, setup, 1, {}, wire=client)
        for size in sizes["comments"]:
            spec = manifest["w1"][str(size)]
            log(f"  scale W1 {size:,} comments")
            page = await workloads._consultation_url(ctx, spec["id"])
            series["W1"]["sizes"].append(size)
            label = "page, anonymous, uncached"
            if page:
                uncached = load.Req("GET", f"{page}?bench=uncached")
                record("W1", label, await timed(client, uncached, mode_name))
            else:
                record("W1", label, workloads.unavailable("no page URL in the API"))
            api = f"/api/v1/consultations/{spec['id']}/comments"
            record("W1", "API first page", await timed(client, load.Req("GET", api), mode_name))

        staff = workloads.session_headers(cookie)
        seeding = []
        for size in sizes["complaints"]:
            log(f"  scale: growing to {size:,} complaints")
            out = await asyncio.to_thread(
                server.run,
                [server.PYTHON, "-m", "bench.scale_seed", "grow", str(size)],
                env,
                timeout_s=1800,
                log=log,
            )
            seeding.append(json.loads(out.strip().splitlines()[-1]))
            for name in ("W2", "statistics"):
                series[name]["sizes"].append(size)
            log(f"  scale W2 and statistics at {size:,} complaints")
            record(
                "W2",
                "queue page",
                await timed(client, load.Req("GET", "/ko/casework/", staff), mode_name),
            )
            record(
                "W2",
                "API list",
                await timed(client, load.Req("GET", "/api/v1/complaints", staff), mode_name),
            )
            stats = "/ko/accountability/statistics/"
            # Computed afresh first: it leaves a fresh cache for the reader's figure.
            cold = load.Req("GET", stats, {"X-Bench-Cold": "statistics"}, timeout_s=SLOW_TIMEOUT_S)
            record("statistics", "page, computed afresh", await timed(client, cold, mode_name))
            record(
                "statistics",
                "page, as a reader gets it",
                await timed(client, load.Req("GET", stats), mode_name),
            )
            # Last: the refresh it queues runs on in the task worker for a while.
            stale = load.Req("GET", stats, {"X-Bench-Cold": "stale-statistics"})
            record(
                "statistics",
                "page, stale, refreshed meanwhile",
                await timed(client, stale, mode_name),
            )
    for block in series.values():
        block["fits"] = {
            label: fit_growth(block["sizes"], [answered_p95(m) for m in runs])
            for label, runs in block["measurements"].items()
        }
    return {"series": series, "seeding": seeding}


def answered_p95(measurement: dict) -> float | None:
    """The p95 of a measurement every request of which was answered with a
    2xx; None otherwise (a series of errors has no cost curve)."""
    statuses = {int(k): n for k, n in measurement.get("statuses", {}).items()}
    if not statuses or measurement.get("errors") or any(not 200 <= s < 300 for s in statuses):
        return None
    return measurement["latency"]["p95_ms"]
