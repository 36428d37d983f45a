"""`python -m bench [--quick] [--backends sqlite,postgres] [--workers 2,4]
[--only main,scale,w1..w5]`: every back-end, every worker count, the references,
W1-W5 and the scale series (bench.scale); writes docs/benchmarks.md and
bench/results.json."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from . import report, scale, server, wire, workloads
from .server import POSTGRES, SQLITE, Backend

ROOT = server.ROOT
RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "benchmarks.md"
NOTES = ROOT / "bench" / "notes.md"


_STARTED = time.monotonic()


def log(message: str) -> None:
    """Progress, with the minutes since the start: the full run has a budget."""
    minutes, seconds = divmod(int(time.monotonic() - _STARTED), 60)
    print(f"[{minutes:02d}:{seconds:02d}] {message}", flush=True)


# `--only w3,w4`: a workload and the reference it is judged against, nothing else.
ONLY_REFERENCES = {
    "w1": {"R_http", "R_sql"},
    "w2": {"R_http", "R_sql"},
    "w3": {"R_insert"},
    "w4": {"R_ws", "R_ws_live"},
}


async def measure_server(
    srv: server.Server, manifest: dict, mode, run_index: int, env, only: frozenset = frozenset()
) -> dict:
    limits = httpx.Limits(max_connections=2000, max_keepalive_connections=500)
    async with (
        httpx.AsyncClient(base_url=srv.url, limits=limits, timeout=10) as client,
        wire.Client(srv.url) as lean,
    ):
        cookies = {}
        for role, account in manifest.get("accounts", {}).items():
            try:
                cookies[role] = await workloads.login(
                    client,
                    account["username"],
                    account["password"],
                    account.get("recovery_codes"),
                )
            except RuntimeError as exc:
                log(f"  login {role}: {exc}")
        ctx = workloads.Ctx(
            srv.url,
            mode,
            manifest,
            client,
            srv.workers,
            cookies,
            run_index,
            wire=lean,
            server_pids=srv.serving_pids,
        )
        refs: dict = {}
        work: dict = {}
        wanted = set().union(*(ONLY_REFERENCES.get(w, set()) for w in only)) if only else None

        def runs(name: str) -> bool:
            return wanted is None or name in wanted or name.lower() in only

        if runs("R_http"):
            log("  R_http")
            refs["R_http"] = await workloads.r_http(ctx)
        if runs("R_sql"):
            refs["R_sql"] = {}
            for name, params in manifest.get("ref_sql", {}).items():
                log(f"  R_sql {name}")
                refs["R_sql"][name] = await workloads.r_sql(ctx, params["query"], params["params"])
        if runs("R_insert"):
            log("  R_insert")
            refs["R_insert"] = await workloads.r_insert(ctx)
        if runs("R_ws"):
            log("  R_ws")
            refs["R_ws"] = await workloads.r_ws(ctx)
        if runs("R_ws_live"):
            log("  R_ws_live")
            refs["R_ws_live"] = await workloads.r_ws(ctx, "/ws/bench/ref-live/")
        if runs("W1"):
            log("  W1")
            work["W1"] = await guarded(workloads.w1(ctx))
        # W2 last: its slowest requests are the likeliest to leave a backlog.
        if runs("W3"):
            log("  W3")
            work["W3"] = await guarded(w3_verified(ctx, env))
        if runs("W4"):
            log("  W4")
            work["W4"] = await guarded(workloads.w4(ctx))
        if runs("W2"):
            log("  W2")
            work["W2"] = await guarded(workloads.w2(ctx))
        work = {name: work[name] for name in ("W1", "W2", "W3", "W4") if name in work}
    return {"references": refs, "workloads": work}


async def guarded(coroutine) -> dict:
    """A workload that breaks is reported, not fatal to the other measurements."""
    try:
        return await coroutine
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        return workloads.unavailable(f"failed: {type(exc).__name__}: {exc}"[:300])


async def w3_verified(ctx, env) -> dict:
    info = ctx.manifest.get("w3", {})
    if "unavailable" in info:
        return info
    petitions = info["petitions"]
    if ctx.run_index >= len(petitions):
        return workloads.unavailable("no fresh petition left for this run")
    petition = petitions[ctx.run_index]
    result = await workloads.w3(ctx, petition)
    if "unavailable" in result:
        return result
    stored = json.loads(
        await asyncio.to_thread(
            server.run,
            [server.PYTHON, "-m", "bench.seed", "verify-petition", str(petition)],
            env,
            timeout_s=120,
            log=log,
        )
    )
    result.update(stored)
    result["lost"] = max(0, result["distinct_users_accepted"] - stored["rows"])
    return result


def explain(env) -> dict:
    try:
        return json.loads(
            server.run([server.PYTHON, "-m", "bench.seed", "explain"], env, timeout_s=120, log=log)
        )
    except RuntimeError as exc:
        return workloads.unavailable(str(exc)[:300])


def prepare(backend: Backend, mode, workdir: Path) -> tuple[dict, dict]:
    """(env, manifest) of a freshly migrated and seeded back-end; the manifest
    holds {"error"} when that failed."""
    env = server.base_env(backend, workdir)
    try:
        return env, server.prepare(backend, env, quick=mode.name == "quick", log=log)
    except server.BackendUnavailable as exc:
        log(f"  skipping {backend.label}: {exc}")
        return env, {"skipped": str(exc)}
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        return env, {"error": f"preparing the database failed: {exc}"[:500]}


def run_backend(
    backend: Backend, workers: tuple[int, ...], mode, env, manifest, only: frozenset = frozenset()
) -> list[dict]:
    log(f"== {backend.label}")
    if "error" in manifest:
        return [_failed(backend, workers[0], manifest["error"])]
    if "skipped" in manifest:
        return []
    runs = []
    for run_index, count in enumerate(workers):
        log(f"-- {count} worker(s)")
        srv = server.Server(env, count)
        run = {"backend": backend.name, "label": backend.label, "workers": count}
        try:
            srv.start()
            run.update(asyncio.run(measure_server(srv, manifest, mode, run_index, env, only)))
            run["peak_rss_mb"] = srv.peak_rss_mb()
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            run["error"] = f"{type(exc).__name__}: {exc}"[:500]
        finally:
            srv.stop()
        if "unavailable" not in manifest.get("w2", {}) and (not only or "w2" in only):
            run["explain"] = explain(env)
        run["goals"] = report.evaluate_goals(run)
        runs.append(run)
    if runs and (not only or "w5" in only):  # W5 runs in-process, once per back-end
        log("  W5 digests")
        runs[-1]["W5"] = digests(env, mode)
    server.reset_database(backend, drop_only=True)
    return runs


DIGEST_FOLLOWERS = {"quick": 10_000, "full": 100_000}


def digests(env, mode) -> dict:
    """W5 (bench.digests): the daily digest to 100,000 followers (10,000 quick)."""
    try:
        out = server.run(
            [
                server.PYTHON,
                "-m",
                "bench.digests",
                "--followers",
                str(DIGEST_FOLLOWERS[mode.name]),
            ],
            env,
            timeout_s=3600,
            log=log,
        )
        return json.loads(out.strip().splitlines()[-1])
    except (RuntimeError, ValueError, subprocess.SubprocessError) as exc:
        return workloads.unavailable(str(exc)[:300])


def _failed(backend: Backend, workers: int, error: str) -> dict:
    run = {"backend": backend.name, "label": backend.label, "workers": workers, "error": error}
    run["goals"] = report.evaluate_goals(run)
    return run


def commit() -> str:
    try:
        out = subprocess.run(  # noqa: S603
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="short runs, under five minutes")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--workers", default=None, help="PostgreSQL worker counts, e.g. 2,4")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated: main (the references and W1-W5), scale (the scale series), "
        "or workloads w1..w5 with their references; implies --no-write",
    )
    parser.add_argument("--no-write", action="store_true", help="print, do not write the files")
    parser.add_argument(
        "--render", action="store_true", help="only rewrite the page from bench/results.json"
    )
    args = parser.parse_args(argv)
    if args.render:
        notes = NOTES.read_text() if NOTES.exists() else ""
        DOC.write_text(report.render(json.loads(RESULTS.read_text()), notes))
        return 0
    parts = frozenset(w.strip().lower() for w in args.only.split(",") if w.strip())
    if parts - {"main", "scale", "w1", "w2", "w3", "w4", "w5"}:
        parser.error(f"--only: unknown part in {args.only!r}")
    # A partial run must not overwrite the full results and page.
    args.no_write = args.no_write or bool(parts)
    only = parts - {"main", "scale"}  # workloads picked one by one; empty = all of them
    main_part = not parts or bool(parts - {"scale"})
    scale_part = not parts or "scale" in parts
    mode = workloads.QUICK if args.quick else workloads.FULL
    pg_workers = (2,) if args.quick else POSTGRES.workers
    if args.workers:
        pg_workers = tuple(int(w) for w in args.workers.split(","))

    started = time.monotonic()
    results = {
        "mode": mode.name,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "machine": server.machine_info(),
        "runs": [],
    }
    backends = [
        {"sqlite": SQLITE, "postgres": POSTGRES}[n.strip()] for n in args.backends.split(",")
    ]
    with tempfile.TemporaryDirectory(prefix="hrc-bench-") as tmp:
        # Migrating and seeding wait mostly on disk and database: do every
        # back-end's at once, before anything is measured.
        server.prepare_checkout(server.base_env(SQLITE, Path(tmp)), log=log)
        log("preparing " + ", ".join(b.label for b in backends))
        with ThreadPoolExecutor(max_workers=2 * len(backends)) as pool:
            # The scale databases migrate beside the main ones: both wait on disk.
            scaled = [
                pool.submit(scale.prepare, b, mode.name, Path(tmp), log=log) if scale_part else None
                for b in backends
            ]
            prepared = (
                list(pool.map(lambda b: prepare(b, mode, Path(tmp)), backends))
                if main_part
                else [(None, {"skipped": "--only scale"}) for _ in backends]
            )
            scaled = [f.result() if f else None for f in scaled]
        for backend, (env, manifest), scale_prepared in zip(
            backends, prepared, scaled, strict=True
        ):
            workers = SQLITE.workers if backend is SQLITE else pg_workers
            runs = run_backend(backend, workers, mode, env, manifest, only) if main_part else []
            if scale_prepared is not None:
                log(f"== {backend.label}: scale series")
                series = scale.run(backend, mode.name, *scale_prepared, log=log)
                if not runs:
                    runs = [{"backend": backend.name, "label": backend.label, "workers": 1}]
                    runs[-1]["goals"] = []
                runs[-1]["scale"] = series
                runs[-1]["goals"] = runs[-1].get("goals", []) + report.scale_goals(series)
            results["runs"] += runs
    results["duration_s"] = round(time.monotonic() - started, 1)
    unavailable = {
        b.label: m["skipped"]
        for b, (_, m) in zip(backends, prepared, strict=True)
        if "skipped" in m and main_part
    }
    for run in results["runs"]:
        for name, block in run.get("workloads", {}).items():
            if isinstance(block, dict) and "unavailable" in block:
                unavailable[name] = block["unavailable"]
        if "unavailable" in run.get("scale", {}):
            unavailable[f"Scale series, {run['label']}"] = run["scale"]["unavailable"]
    results["unavailable"] = unavailable

    notes = NOTES.read_text() if NOTES.exists() else ""
    text = report.render(results, notes)
    if args.no_write:
        print(text)
    else:
        RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n")
        DOC.write_text(text)
        log(
            f"wrote {DOC.relative_to(ROOT)} and {RESULTS.relative_to(ROOT)} "
            f"in {results['duration_s']} s"
        )
    return 1 if any(run.get("error") for run in results["runs"]) else 0


if __name__ == "__main__":
    sys.exit(main())
