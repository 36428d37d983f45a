"""A worker that comes back, and no task stuck (core.worker)."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import worker
from core.models import HealthMark
from tests.faults.tasks import hang, leave_mark

ROOT = Path(__file__).resolve().parents[2]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = DB_TASKS
    settings.TASKS_TIME_LIMIT_SECONDS = 0.3
    settings.TASKS_MAX_ATTEMPTS = 2


def _stuck(*, tries: int) -> DBTaskResult:
    result = DBTaskResult.objects.get(pk=leave_mark.enqueue(name="stuck").id)
    DBTaskResult.objects.filter(pk=result.pk).update(
        status="RUNNING",
        started_at=timezone.now() - timedelta(minutes=5),
        worker_ids=[f"dead-{i}" for i in range(tries)],
    )
    return result


@pytest.mark.django_db
def test_a_task_left_running_by_a_dead_worker_goes_back_to_the_queue(db_tasks):
    result = _stuck(tries=1)
    assert worker.tasks_requeue_stuck() == {"requeued": 1, "failed": 0}
    result.refresh_from_db()
    assert result.status == "READY" and result.run_after > timezone.now()
    # A worker that is still within the limit is left alone.
    assert worker.tasks_requeue_stuck() == {"requeued": 0, "failed": 0}


@pytest.mark.django_db
def test_retries_are_bounded(db_tasks):
    result = _stuck(tries=2)
    assert worker.tasks_requeue_stuck() == {"requeued": 0, "failed": 1}
    result.refresh_from_db()
    assert result.status == "FAILED" and "gave up after 2 attempts" in result.traceback


@pytest.mark.django_db(transaction=True)
def test_a_task_past_its_time_limit_fails_and_is_retried(db_tasks):
    result = DBTaskResult.objects.get(pk=hang.enqueue(seconds=30).id)
    started = time.monotonic()
    worker.run(worker_id="w1", interval=0, stop_after=1)
    assert time.monotonic() - started < 10
    result.refresh_from_db()
    assert result.status == "FAILED"
    assert result.exception_class_path == worker.TIMEOUT_CLASS_PATH
    assert worker.tasks_requeue_stuck() == {"requeued": 1, "failed": 0}
    result.refresh_from_db()
    assert result.status == "READY"
    # The worker checked in, so /healthz knows it is alive.
    assert HealthMark.objects.filter(name="worker:w1").exists()


def _wait_for(predicate, seconds: float = 60) -> float:
    started = time.monotonic()
    while not predicate():
        assert time.monotonic() - started < seconds, "gave up waiting"
        time.sleep(0.1)
    return time.monotonic() - started


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_a_killed_connection(db_tasks, settings):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict),
        "FIELD_ENCRYPTION_KEYS": ",".join(settings.FIELD_ENCRYPTION_KEYS),
        # Named, so that only the worker's connections are killed: killing every
        # other backend also broke this test process's other threads' pooled
        # connections, and later tests that use them failed.
        "PGAPPNAME": "hrc-fault-worker",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "task_worker", "--interval", "0.1", "--worker-id", "w-pg"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        leave_mark.enqueue(name="before")
        _wait_for(lambda: HealthMark.objects.filter(name="before").exists())

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = 'hrc-fault-worker'"
            )
            assert cursor.fetchone()[0] >= 1
        leave_mark.enqueue(name="after")
        recovered = _wait_for(lambda: HealthMark.objects.filter(name="after").exists())
        assert process.poll() is None, "the worker exited"
        print(f"\nworker: connection killed, 2 tasks sent, 0 lost, next ran in {recovered:.1f} s")  # noqa: T201
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    assert "lost the database" in output  # the worker met the fault and came back


@pytest.mark.django_db
def test_prune_tasks_deletes_old_finished_rows_only(db_tasks):
    from django.core.management import call_command

    from core.models import TaskRun

    old = timezone.now() - timedelta(days=15)
    finished = DBTaskResult.objects.get(pk=leave_mark.enqueue(name="old").id)
    DBTaskResult.objects.filter(pk=finished.pk).update(status="SUCCESSFUL", finished_at=old)
    waiting = DBTaskResult.objects.get(pk=leave_mark.enqueue(name="waiting").id)
    TaskRun.objects.create(task_id="old")
    TaskRun.objects.filter(task_id="old").update(at=old)
    TaskRun.objects.create(task_id="new")
    HealthMark.objects.create(name="worker:gone", at=old)
    HealthMark.objects.create(name="worker:here", at=timezone.now())

    call_command("prune_tasks", verbosity=0)
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [waiting.pk]
    assert list(TaskRun.objects.values_list("task_id", flat=True)) == ["new"]
    names = set(HealthMark.objects.values_list("name", flat=True))
    assert "worker:here" in names and "worker:gone" not in names
    assert HealthMark.CANARY in names


@pytest.mark.django_db
def test_prune_tasks_keeps_finished_rows_one_day_by_default(db_tasks):
    """One retention rule for task rows: the purge's (TASK_RESULTS_KEEP_HOURS)."""
    from django.core.management import call_command

    day_old = DBTaskResult.objects.get(pk=leave_mark.enqueue(name="day-old").id)
    recent = DBTaskResult.objects.get(pk=leave_mark.enqueue(name="recent").id)
    now = timezone.now()
    DBTaskResult.objects.filter(pk=day_old.pk).update(
        status="SUCCESSFUL", finished_at=now - timedelta(hours=25)
    )
    DBTaskResult.objects.filter(pk=recent.pk).update(
        status="FAILED", finished_at=now - timedelta(hours=2)
    )
    call_command("prune_tasks", verbosity=0)
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [recent.pk]
    call_command("prune_tasks", "--days", "0", verbosity=0)
    assert not DBTaskResult.objects.exists()
