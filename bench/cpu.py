"""CPU time spent during a measurement, by who spent it: the server's
workers, the database server's processes, and this load generator.

On two shared cores a throughput figure is only as good as knowing which of
the three ran out first; a burst's CPU per answered request says it in each
run (bench/notes.md, "The load generator"). Linux /proc only; elsewhere the
figures are simply missing."""

from __future__ import annotations

import os
import resource
from collections.abc import Callable, Iterable
from pathlib import Path

PROC = Path("/proc")
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _process_cpu_s(pid: int) -> float | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # Fields after the command name (which may hold spaces): utime, stime are 14, 15.
    fields = stat[stat.rfind(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


def _database_pids() -> list[int]:
    """PostgreSQL's processes (its backends name themselves "postgres: ...")."""
    pids = []
    for entry in PROC.iterdir() if PROC.exists() else ():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if command.startswith(b"postgres"):
                pids.append(int(entry.name))
    return pids


def _total(pids: Iterable[int]) -> dict[int, float]:
    return {pid: cpu for pid in pids if (cpu := _process_cpu_s(pid)) is not None}


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Meter:
    """`meter = Meter(server_pids); ...; meter.per_request(answered)`."""

    def __init__(self, server_pids: Callable[[], list[int]]) -> None:
        self._server_pids = server_pids
        self._server = _total(server_pids())
        self._database = _total(_database_pids())
        self._own = _own_cpu_s()

    def per_request(self, answered: int) -> dict | None:
        """Milliseconds of CPU per answered request since the meter started;
        a process that started meanwhile counts from zero, one that ended is lost."""
        if not answered or not PROC.exists():
            return None
        server = _total(self._server_pids())
        database = _total(_database_pids())

        def spent(now: dict, before: dict) -> float:
            return sum(cpu - before.get(pid, 0.0) for pid, cpu in now.items())

        def ms(seconds: float) -> float:
            return round(1000 * seconds / answered, 2)

        return {
            "server_ms": ms(spent(server, self._server)),
            "database_ms": ms(spent(database, self._database)),
            "generator_ms": ms(_own_cpu_s() - self._own),
        }
