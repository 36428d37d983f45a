"""`python -m bench.memory_phases [--backend sqlite|postgres] [--sockets 1000]
[--trace]`: one worker's memory through the workloads (issue 21, "lean
workers").

One uvicorn worker (`python -m bench.memory serve`, production settings, the
quick seed, a task worker beside it as in production) holds N consultation
sockets while the other workloads run against it in turn: W1 (pages and API),
W2 (queue page, API, transitions), W3 (the signing burst), W4 (fan-out). After
each phase: resident memory (VmRSS), its high-water mark (VmHWM), the thread
count, and with `--trace` a tracemalloc snapshot whose top growth sites
(by traceback) are printed. Tracing slows the worker and its bookkeeping is
resident too, so read the memory figures from a run without `--trace` and
the growth sites from a run with it."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import httpx

from . import memory, server, workloads


def _status(pid: int) -> dict:
    wanted = {"VmRSS", "VmHWM", "RssAnon", "Threads"}
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in wanted:
            number = int(value.split()[0])
            found[key] = number if key == "Threads" else round(number / 1024, 1)
    return found


class Worker:
    def __init__(self, env: dict, workdir: Path, *, trace: bool):
        self.env, self.workdir, self.trace = env, workdir, trace
        self.port = server.free_port()
        self.n = 0
        self.most_threads = 0  # the phase's largest thread count, sampled
        args = [server.PYTHON, "-m", "bench.memory", "serve", "--port", str(self.port)]
        args += ["--dir", str(workdir)] + ([] if trace else ["--no-trace"])
        self.proc = subprocess.Popen(  # noqa: S603
            args, cwd=server.ROOT, env=env, start_new_session=True
        )
        self.task_worker = subprocess.Popen(  # noqa: S603
            [server.PYTHON, "manage.py", "task_worker", "--interval", "0.5"],
            cwd=server.ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def url(self) -> str:
        return f"http://{server.HOST}:{self.port}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(self.url + "/healthz", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the worker did not start")
            time.sleep(0.5)

    async def sample_threads(self) -> None:
        """Every 50 ms: threads come and go with the requests in flight."""
        while True:
            with contextlib.suppress(OSError, ValueError):
                self.most_threads = max(self.most_threads, _status(self.proc.pid)["Threads"])
            await asyncio.sleep(0.05)

    def mark(self) -> tuple[dict, tracemalloc.Snapshot | None]:
        """End of a phase: its memory figures, and a snapshot when tracing."""
        self.n += 1
        os.kill(self.proc.pid, signal.SIGUSR1)
        done = self.workdir / f"snap{self.n}.done"
        deadline = time.monotonic() + 300
        while not done.exists():
            if time.monotonic() > deadline:
                raise RuntimeError("no snapshot from the worker")
            time.sleep(0.2)
        status = _status(self.proc.pid)
        status["most threads"], self.most_threads = self.most_threads, 0
        snap = None
        if self.trace:
            snap = tracemalloc.Snapshot.load(str(self.workdir / f"snap{self.n}.bin"))
            snap = snap.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
        return status, snap

    def stop(self) -> None:
        for proc in (self.task_worker, self.proc):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)


async def _phase(mark, log, name: str, workload) -> None:
    """Run one workload; one that breaks (a timeout under tracing) still ends
    its phase, so the memory it took is measured."""
    log(f"  {name}")
    try:
        await workload
    except Exception as exc:  # noqa: BLE001
        log(f"  {name} failed: {type(exc).__name__}: {exc}")
        name += " (failed)"
    await mark(name)


async def _phases(worker: Worker, manifest: dict, sockets: int, log) -> list[tuple]:
    mode = workloads.QUICK
    phases: list[tuple] = []

    async def mark(name: str) -> None:
        status, snap = await asyncio.to_thread(worker.mark)
        log(f"  {name}: {status}")
        phases.append((name, status, snap))

    limits = httpx.Limits(max_connections=2000, max_keepalive_connections=500)
    async with httpx.AsyncClient(base_url=worker.url, limits=limits, timeout=30) as client:
        cookies = {}
        for role, account in manifest.get("accounts", {}).items():
            try:
                cookies[role] = await workloads.login(
                    client, account["username"], account["password"], account.get("recovery_codes")
                )
            except RuntimeError as exc:
                log(f"  login {role}: {exc}")
        ctx = workloads.Ctx(worker.url, mode, manifest, client, 1, cookies, 0)
        sampler = asyncio.create_task(worker.sample_threads())
        await mark("started, signed in")
        consultation = manifest["w4"]["consultation"]
        ws_url = worker.url.replace("http://", "ws://") + f"/ws/consultations/{consultation}/"
        held = await memory._hold(ws_url, worker.url, sockets)
        await asyncio.sleep(2)
        await mark(f"{len(held)} sockets held")
        try:
            await _phase(mark, log, "+ W1 pages and API", workloads.w1(ctx))
            await _phase(mark, log, "+ W2 queue, API, transitions", workloads.w2(ctx))
            petitions = manifest.get("w3", {}).get("petitions")
            if petitions:
                await _phase(mark, log, "+ W3 signing burst", workloads.w3(ctx, petitions[0]))
            await _phase(mark, log, "+ W4 fan-out", workloads.w4(ctx))
        finally:
            sampler.cancel()
            for ws in held:
                await ws.close()
    return phases


def measure(backend: server.Backend, sockets: int, *, trace: bool) -> str:
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="hrc-memory-") as tmp:
        workdir = Path(tmp)
        env = server.base_env(backend, workdir)
        server.prepare_checkout(env, log=log)
        manifest = server.prepare(backend, env, quick=True, log=log)
        worker = Worker(env, workdir, trace=trace)
        try:
            worker.wait_ready()
            phases = asyncio.run(_phases(worker, manifest, sockets, log))
        finally:
            worker.stop()
            server.reset_database(backend, drop_only=True)
    return report(backend, phases, trace=trace)


def report(backend: server.Backend, phases: list[tuple], *, trace: bool, top: int = 8) -> str:
    lines = [
        f"### One worker, {backend.label}" + (" (tracemalloc on)" if trace else ""),
        "",
        "| after | VmRSS MB | VmHWM MB | anonymous MB | threads | most threads |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, status, _ in phases:
        lines.append(
            f"| {name} | {status.get('VmRSS')} | {status.get('VmHWM')} "
            f"| {status.get('RssAnon')} | {status.get('Threads')} | {status.get('most threads')} |"
        )
    if not trace:
        return "\n".join(lines)
    for (_, _, before), (name, _, after) in zip(phases, phases[1:], strict=False):
        if before is None or after is None:
            continue
        stats = after.compare_to(before, "traceback")
        grown = sum(s.size_diff for s in stats)
        lines += ["", f"#### {name}: Python heap {grown / 1024**2:+.1f} MB", ""]
        for stat in stats[:top]:
            frames = [
                f"{f.filename.split('site-packages/')[-1]}:{f.lineno}"
                for f in stat.traceback
                if "asyncio" not in f.filename and "<frozen" not in f.filename
            ]
            lines.append(
                f"- {stat.size_diff / 1024:+,.0f} KB, {stat.count_diff:+,} blocks: "
                + " < ".join(frames[-1:-5:-1])
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.memory_phases", description=__doc__)
    parser.add_argument("--backend", default="sqlite", choices=["sqlite", "postgres"])
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--trace", action="store_true", help="tracemalloc snapshots per phase")
    args = parser.parse_args(argv)
    backend = {"sqlite": server.SQLITE, "postgres": server.POSTGRES}[args.backend]
    print(measure(backend, args.sockets, trace=args.trace))
    return 0


if __name__ == "__main__":
    sys.exit(main())
