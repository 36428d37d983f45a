"""The task worker that comes back (`manage.py task_worker`, docs/operations.md).

django-tasks' `db_worker` exits on the first database error and leaves the task
it was running RUNNING for ever. This loop runs it in short batches and, around
them:

- reconnects after a lost database connection (a PostgreSQL restart,
  `pg_terminate_backend`), waiting 1, 2, 4 ... up to 30 s between attempts;
- checks in (a `HealthMark` row per worker) so /healthz can tell it is alive;
- stops a task that runs past `TASKS_TIME_LIMIT_SECONDS` (120; it fails with
  TaskTimeLimitExceeded) and sends back to the queue, at most
  `TASKS_MAX_ATTEMPTS` times in all, every task that timed out or whose worker
  died under it. Every task is written to be safe to run twice.

A supervisor (systemd's `Restart=always`, or `make run`'s loop) still restarts
the process if it dies of anything else.
"""

from __future__ import annotations

import logging
import random
import signal
import time
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from .models import HealthMark

logger = logging.getLogger(__name__)

BATCH_SIZE = 20
# /healthz wants a check-in within 60 s: one every 15 s between tasks and
# before each task (a single task may hold it up to its time limit).
CHECK_IN_SECONDS = 15
MAX_BACKOFF_SECONDS = 30
TIMEOUT_CLASS_PATH = "core.worker.TaskTimeLimitExceeded"


class TaskTimeLimitExceeded(Exception):  # noqa: N818 - the name says what happened
    """A task ran past TASKS_TIME_LIMIT_SECONDS and was stopped."""


def time_limit() -> float:
    return float(getattr(settings, "TASKS_TIME_LIMIT_SECONDS", 120))


def max_attempts() -> int:
    return int(getattr(settings, "TASKS_MAX_ATTEMPTS", 3))


class _TimedWorker(Worker):
    """django-tasks' worker with a time limit on each task (SIGALRM, so the
    worker must run in the main thread, as a management command does)."""

    def run_task(self, db_task_result) -> None:
        _check_in_due(self.worker_id)  # a batch of slow tasks still checks in

        def stop(signum, frame):
            raise TaskTimeLimitExceeded(f"ran past {time_limit():g} s")

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, time_limit())
        try:
            super().run_task(db_task_result)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def tasks_requeue_stuck(*, now=None) -> dict[str, int]:
    """Send back to the queue the tasks that timed out, or that were left
    RUNNING by a worker that died (longer than the time limit plus a minute);
    those that have had `max_attempts()` tries are marked failed for good."""
    now = now or timezone.now()
    abandoned = DBTaskResult.objects.filter(
        status="RUNNING", started_at__lt=now - timedelta(seconds=time_limit() + 60)
    )
    timed_out = DBTaskResult.objects.filter(
        status="FAILED", exception_class_path=TIMEOUT_CLASS_PATH
    )
    counts = {"requeued": 0, "failed": 0}
    for result in [*abandoned[:100], *timed_out[:100]]:
        tries = len(result.worker_ids)
        claimed = DBTaskResult.objects.filter(pk=result.pk, status=result.status)
        if tries < max_attempts():
            # Back off: 1, 2, 4 minutes after the first, second, third try.
            changed = claimed.update(
                status="READY",
                run_after=now + timedelta(minutes=2 ** (tries - 1) if tries else 1),
                exception_class_path="",
                traceback="",
            )
            counts["requeued"] += changed
        else:
            changed = claimed.update(
                status="FAILED",
                finished_at=now,
                exception_class_path=f"{TIMEOUT_CLASS_PATH}Finally",
                traceback=f"gave up after {tries} attempts",
            )
            counts["failed"] += changed
    if any(counts.values()):
        logger.warning("Stuck tasks: %(requeued)d sent back, %(failed)d given up", counts)
    return counts


def check_in(worker_id: str) -> None:
    HealthMark.objects.update_or_create(
        name=f"worker:{worker_id}"[:80], defaults={"at": timezone.now()}
    )


_last_check_in: dict[str, float] = {}


def _check_in_due(worker_id: str) -> bool:
    """Check in if the last check-in is CHECK_IN_SECONDS old; True if it did."""
    last = _last_check_in.get(worker_id)
    if last is not None and time.monotonic() - last < CHECK_IN_SECONDS:
        return False
    check_in(worker_id)
    _last_check_in[worker_id] = time.monotonic()
    return True


def every_cycle() -> list[str]:
    """Dotted paths of functions the worker calls on every cycle (about once a
    second), between task batches: folds that keep writes off request paths
    (`TASK_WORKER_EVERY_CYCLE`)."""
    return list(
        getattr(settings, "TASK_WORKER_EVERY_CYCLE", ["petitions.services.petitions_fold_pending"])
    )


def run_every_cycle() -> None:
    from django.utils.module_loading import import_string

    for path in every_cycle():
        import_string(path)()


def run(*, worker_id: str, interval: float = 1.0, queue_names=("*",), stop_after=None) -> None:
    """Work until stopped by a signal (or after `stop_after` cycles, for tests)."""
    failures = 0
    cycles = 0
    _last_check_in.pop(worker_id, None)
    while stop_after is None or cycles < stop_after:
        cycles += 1
        try:
            if _check_in_due(worker_id):
                tasks_requeue_stuck()
            run_every_cycle()
            worker = _TimedWorker(
                queue_names=list(queue_names),
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=BATCH_SIZE,
                worker_id=worker_id,
                excluded_queue_names=[],
            )
            worker.configure_signals()
            worker.run()
            if not worker.running:  # SIGTERM during a task: it finished, now stop
                return
            if failures:
                logger.warning("Task worker reconnected after %d failed attempts", failures)
            failures = 0
        except (OperationalError, InterfaceError, DatabaseError) as exc:
            failures += 1
            delay = min(MAX_BACKOFF_SECONDS, 2 ** (failures - 1)) * (0.5 + random.random() / 2)  # noqa: S311
            logger.error(
                "Task worker lost the database (%s); retrying in %.1f s",
                type(exc).__name__,
                delay,
            )
            connections.close_all()
            time.sleep(delay)
            continue
        time.sleep(interval)
