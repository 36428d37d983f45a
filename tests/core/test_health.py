"""/healthz (CONTRACT.md section 5): 200 when everything works, 503 naming what is down.

The "down" cases run the real view in a fresh process pointed at a database or a
Redis server that is not running (a closed port on this machine)."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import django, json
django.setup()
from django.test import Client
r = Client().get("/healthz")
print(json.dumps({"status_code": r.status_code, "body": r.json()}))
"""


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # released on close: nothing listens there


def probe(**env) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.django_db
def test_healthy(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("status", "database", "channel_layer")} == {
        "status": "ok",
        "database": "ok",
        "channel_layer": "ok",
    }
    assert body["cache"] == body["encryption"] == "ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_stopped_database_is_503():
    result = probe(DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed_port()}/hrc")
    assert result["status_code"] == 503
    assert result["body"]["database"] == "down"
    assert result["body"]["channel_layer"] == "ok"
    assert result["body"]["status"] != "ok"


def test_stopped_channel_layer_is_503():
    result = probe(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    assert result["status_code"] == 503
    assert result["body"]["channel_layer"] == "down"
    assert result["body"]["database"] == "ok"


@pytest.mark.redis
@pytest.mark.django_db
def test_healthy_on_redis(client):
    assert client.get("/healthz").json()["channel_layer"] == "ok"


@pytest.mark.django_db
def test_keys_that_do_not_open_the_canary_are_503(client, settings):
    from cryptography.fernet import Fernet

    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["encryption"] == "down" and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_a_silent_task_worker_is_503(client, settings):
    from datetime import timedelta

    from django.utils import timezone

    from core.models import HealthMark

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert client.get("/healthz").json()["task_worker"] == "down"
    HealthMark.objects.create(name="worker:a", at=timezone.now() - timedelta(seconds=61))
    assert client.get("/healthz").status_code == 503
    HealthMark.objects.create(name="worker:b", at=timezone.now())
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json()["task_worker"] == "ok"
