"""Back-ends and the real ASGI server: a fresh database, production-like
settings, uvicorn on a free loopback port, and the workers' peak memory."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
# Overridable so that two checkouts on one machine do not share (and drop)
# each other's benchmark database.
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "hrc_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")


@dataclass(frozen=True)
class Backend:
    name: str  # "sqlite" or "postgres"
    label: str
    workers: tuple[int, ...]


SQLITE = Backend("sqlite", "SQLite + in-memory channel layer", (1,))
POSTGRES = Backend("postgres", "PostgreSQL + Redis", (2, 4))


def base_env(backend: Backend, workdir: Path) -> dict:
    """Production settings with throwaway secrets, plain HTTP on loopback."""
    from cryptography.fernet import Fernet

    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        BENCH_REFERENCE_VIEWS="1",
        MEDIA_ROOT=str(workdir / "media"),
        PRIVATE_STORAGE_ROOT=str(workdir / "private"),
        LOG_LEVEL="ERROR",
        # The task worker runs beside the server (it folds petition counts,
        # docs/architecture.md); /healthz does not wait for its first check-in.
        HEALTH_CHECK_WORKER="0",
        PYTHONPATH=str(ROOT),
        # As in production (README): two malloc arenas a worker; overridable to
        # measure without (bench.memory_phases).
        MALLOC_ARENA_MAX=os.environ.get("MALLOC_ARENA_MAX", "2"),
    )
    if backend.name == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"
        env["REDIS_URL"] = REDIS_URL
        env["CACHE_KEY_PREFIX"] = env["CHANNEL_PREFIX"] = "hrcbench"
    return env


def run(args: list[str], env: dict, *, timeout_s: float, log) -> str:
    """Run a command in the checkout; raise with its output when it fails."""
    started = time.perf_counter()
    proc = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout_s, check=False
    )
    log(
        f"  {' '.join(args[1:4])} ({env['DATABASE_URL'].split(':')[0]}) ... "
        f"{time.perf_counter() - started:.1f}s"
    )
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        )
    return proc.stdout


class BackendUnavailable(RuntimeError):
    """The back-end's services are not running here: skip it, do not fail."""


def reset_database(
    backend: Backend, *, drop_only: bool = False, database: str = PG_DATABASE, redis_too=True
) -> None:
    """PostgreSQL: drop and re-create the dedicated database; Redis: empty db 5."""
    if backend.name != "postgres":
        return
    import psycopg
    import redis

    try:
        conn = psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise BackendUnavailable(f"PostgreSQL does not answer at {PG_ADMIN_URL}") from exc
    with conn:
        conn.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {database}")
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=5)
        # Another measurement on the same Redis db keeps its keys (its own prefix).
        if redis_too:
            client.flushdb()
        else:
            client.ping()
    except redis.ConnectionError as exc:
        raise BackendUnavailable(f"Redis does not answer at {REDIS_URL}") from exc


def prepare_checkout(env: dict, *, log) -> None:
    """What production settings need from the checkout: compiled messages and
    collected static files (STATIC_ROOT, ignored by git)."""
    run([PYTHON, "-m", "core.compilemessages"], env, timeout_s=300, log=log)
    run([PYTHON, "manage.py", "collectstatic", "--noinput"], env, timeout_s=600, log=log)


def prepare(backend: Backend, env: dict, *, quick: bool, log) -> dict:
    """Fresh database, migrated and seeded.
    Returns the seed manifest (ids, sessions, what is unavailable)."""
    reset_database(backend)
    run([PYTHON, "manage.py", "migrate", "--noinput"], env, timeout_s=600, log=log)
    # Database cache tables, if the settings use any (a no-op otherwise).
    run([PYTHON, "manage.py", "createcachetable"], env, timeout_s=120, log=log)
    args = [PYTHON, "-m", "bench.seed", "seed"] + (["--quick"] if quick else [])
    return json.loads(run(args, env, timeout_s=900, log=log))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """uvicorn config.asgi:application with N workers, as in production."""

    def __init__(self, env: dict, workers: int):
        self.env, self.workers, self.port = env, workers, free_port()
        self.proc: subprocess.Popen | None = None
        self.task_worker: subprocess.Popen | None = None
        self.log = open(os.devnull, "w")  # noqa: SIM115 - closed in stop()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, *, timeout_s: float = 90) -> None:
        args = [PYTHON, "-m", "uvicorn", "config.asgi:application", "--host", HOST]
        args += ["--port", str(self.port), "--lifespan", "off", "--no-access-log"]
        # As in production (README): no per-socket deflate state (bench.memory).
        args += ["--ws-per-message-deflate", "false"]
        if self.workers > 1:
            args += ["--workers", str(self.workers)]
        self.log = open(self.env.get("BENCH_SERVER_LOG", os.devnull), "a")  # noqa: SIM115
        self.proc = subprocess.Popen(  # noqa: S603
            args,
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        # As in production: one task worker beside the server (petition counts
        # are folded by it, about once a second).
        self.task_worker = subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", "task_worker", "--interval", "0.5"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited with {self.proc.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    if len(self.worker_pids()) >= self.workers:
                        return
            time.sleep(0.3)
        raise RuntimeError("uvicorn did not answer /healthz in time")

    def worker_pids(self) -> list[int]:
        """The processes that serve requests: the server itself with one worker,
        else its children (uvicorn's supervisor serves nothing)."""
        if self.proc is None:
            return []
        if self.workers == 1:
            return [self.proc.pid]
        return children(self.proc.pid)

    def serving_pids(self) -> list[int]:
        """The workers and the task worker beside them: what serving costs."""
        task = [self.task_worker.pid] if self.task_worker else []
        return self.worker_pids() + task

    def peak_rss_mb(self) -> list[float]:
        return [peak_rss_mb(pid) for pid in self.worker_pids()]

    def stop(self) -> None:
        if self.task_worker and self.task_worker.poll() is None:
            os.killpg(self.task_worker.pid, signal.SIGTERM)
            try:
                self.task_worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.task_worker.pid, signal.SIGKILL)
                self.task_worker.wait(timeout=10)
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self.log.close()


def children(pid: int) -> list[int]:
    """Child processes, without multiprocessing's resource tracker."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in task.read_text().split()]
    workers = []
    for child in found:
        with contextlib.suppress(OSError):
            if b"resource_tracker" not in Path(f"/proc/{child}/cmdline").read_bytes():
                workers.append(child)
    return sorted(workers)


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the resident set's high-water mark since the process started."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def machine_info() -> dict:
    import platform

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = 0.0
    with contextlib.suppress(OSError):
        mem_gb = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024**2, 1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }
