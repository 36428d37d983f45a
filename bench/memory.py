"""`python -m bench.memory [--sockets 1000]`: what grows in one worker's memory
while it holds N consultation sockets (issue 21, "lean workers").

A fresh SQLite back-end (production settings, the quick seed), one uvicorn
worker started by `python -m bench.memory serve` with tracemalloc on; the
worker writes a snapshot on SIGUSR1. Snapshots after warm-up and with N
sockets held; prints the top allocation sites by growth, the bytes per socket
and the worker's peak resident memory (VmHWM; tracemalloc's own bookkeeping
is in it, so the figure is an upper bound)."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from . import server

SNAPSHOT_FRAMES = 12


def serve(port: int, snapshot_dir: Path, *, deflate: bool, trace: bool = True) -> None:
    """The worker: uvicorn in this process, a snapshot on each SIGUSR1. Tracing
    starts at the first (after the warm-up), so start-up runs at full speed and
    everything traced is growth. Without `trace` the signal only marks the
    phase (resident memory is then free of tracemalloc's bookkeeping)."""
    count = {"n": 0}

    def dump(signum, frame) -> None:
        count["n"] += 1
        if trace:
            if not tracemalloc.is_tracing():
                tracemalloc.start(SNAPSHOT_FRAMES)
            tracemalloc.take_snapshot().dump(str(snapshot_dir / f"snap{count['n']}.bin"))
        (snapshot_dir / f"snap{count['n']}.done").touch()

    signal.signal(signal.SIGUSR1, dump)
    import uvicorn

    uvicorn.run(
        "config.asgi:application",
        host=server.HOST,
        port=port,
        lifespan="off",
        access_log=False,
        ws_per_message_deflate=deflate,
        log_level="error",
    )


def _snapshot(proc: subprocess.Popen, snapshot_dir: Path, n: int) -> tracemalloc.Snapshot:
    os.kill(proc.pid, signal.SIGUSR1)
    done = snapshot_dir / f"snap{n}.done"
    deadline = time.monotonic() + 120
    while not done.exists():
        if time.monotonic() > deadline:
            raise RuntimeError("no snapshot from the worker")
        time.sleep(0.2)
    return tracemalloc.Snapshot.load(str(snapshot_dir / f"snap{n}.bin"))


async def _hold(url: str, origin: str, sockets: int) -> list:
    import websockets

    held = []
    for start in range(0, sockets, 50):
        batch = [
            websockets.connect(url, origin=origin, open_timeout=60, ping_interval=None)
            for _ in range(start, min(sockets, start + 50))
        ]
        held += await asyncio.gather(*batch)
    return held


def _rss_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def measure(sockets: int, *, deflate: bool) -> str:
    with tempfile.TemporaryDirectory(prefix="hrc-memory-") as tmp:
        workdir = Path(tmp)
        env = server.base_env(server.SQLITE, workdir)
        log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
        manifest = server.prepare(server.SQLITE, env, quick=True, log=log)
        consultation = manifest["w4"]["consultation"]
        port = server.free_port()
        proc = subprocess.Popen(  # noqa: S603
            [server.PYTHON, "-m", "bench.memory", "serve", "--port", str(port), "--dir", tmp]
            + (["--deflate"] if deflate else []),
            cwd=server.ROOT,
            env=env,
            start_new_session=True,
        )
        try:
            base = f"http://{server.HOST}:{port}"
            import httpx

            deadline = time.monotonic() + 300
            while True:
                try:
                    httpx.get(base + "/healthz", timeout=5)
                    break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError("the worker did not start")
                time.sleep(0.5)
            url = f"ws://{server.HOST}:{port}/ws/consultations/{consultation}/"

            async def run() -> tuple:
                warm = await _hold(url, base, 20)  # first sockets: imports, pools, caches
                for ws in warm:
                    await ws.close()
                before = await asyncio.to_thread(_snapshot, proc, workdir, 1)
                rss_before = _rss_mb(proc.pid, "VmRSS")
                held = await _hold(url, base, sockets)
                await asyncio.sleep(2)
                after = await asyncio.to_thread(_snapshot, proc, workdir, 2)
                rss_after = _rss_mb(proc.pid, "VmRSS")
                for ws in held:
                    await ws.close()
                return before, after, rss_before, rss_after, len(held)

            before, after, rss_before, rss_after, held = asyncio.run(run())
            peak = _rss_mb(proc.pid, "VmHWM")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return _report(before, after, rss_before, rss_after, held, peak)


def _report(before, after, rss_before, rss_after, held, peak) -> str:
    ignore = [tracemalloc.Filter(False, tracemalloc.__file__)]
    before, after = before.filter_traces(ignore), after.filter_traces(ignore)
    grown = sum(s.size_diff for s in after.compare_to(before, "filename"))
    lines = [
        f"Sockets held: {held}. Python heap grew {grown / 1024**2:.1f} MB "
        f"({grown / max(held, 1) / 1024:.1f} KB per socket); resident memory "
        f"{rss_before} → {rss_after} MB; peak (VmHWM, with tracemalloc) {peak} MB.",
        "",
        "| growth KB | KB per socket | allocations | where (innermost frame) |",
        "| ---: | ---: | ---: | --- |",
    ]
    for stat in after.compare_to(before, "lineno")[:15]:
        frame = stat.traceback[0]
        where = f"{frame.filename.split('site-packages/')[-1]}:{frame.lineno}"
        lines.append(
            f"| {stat.size_diff / 1024:,.0f} | {stat.size_diff / max(held, 1) / 1024:.2f} "
            f"| {stat.count_diff:,} | `{where}` |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory", description=__doc__)
    parser.add_argument("command", nargs="?", default="measure", choices=["measure", "serve"])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--port", type=int)
    parser.add_argument("--dir")
    parser.add_argument(
        "--deflate", action="store_true", help="permessage-deflate on (uvicorn's default)"
    )
    parser.add_argument(
        "--no-trace", action="store_true", help="serve: mark phases, take no snapshots"
    )
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.port, Path(args.dir), deflate=args.deflate, trace=not args.no_trace)
        return 0
    print(measure(args.sockets, deflate=args.deflate))
    return 0


if __name__ == "__main__":
    sys.exit(main())
