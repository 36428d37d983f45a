"""Liveness of the parts the platform needs (CONTRACT.md section 5)."""

import secrets
from datetime import timedelta

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from .models import HealthMark


def database_ok() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone()[0] == 1
    except Exception:
        return False


def channel_layer_ok() -> bool:
    """Round-trip one message through the channel layer."""
    layer = get_channel_layer()
    if layer is None:
        return False

    async def roundtrip() -> bool:
        channel = await layer.new_channel(prefix="healthz.")
        token = secrets.token_hex(8)
        await layer.send(channel, {"type": "healthz", "token": token})
        message = await layer.receive(channel)
        return message.get("token") == token

    try:
        return async_to_sync(roundtrip)()
    except Exception:
        return False


def cache_ok() -> bool:
    """Write and read one key in the shared cache (raising, not failing soft)."""
    strict = getattr(cache, "strict", cache)
    token = secrets.token_hex(8)
    try:
        strict.set("healthz:probe", token, 10)
        return strict.get("healthz:probe") == token
    except Exception:
        return False


def encryption_ok() -> bool:
    """The keys this process holds decrypt the canary that migrate stored."""
    try:
        mark = HealthMark.objects.filter(name=HealthMark.CANARY).first()
        if mark is None:
            return ensure_canary()
        return mark.secret == HealthMark.CANARY_TEXT
    except Exception:  # InvalidToken (other keys), or the database is down
        return False


def ensure_canary() -> bool:
    """Write the canary when a database lacks it (one flushed by tests)."""
    HealthMark.objects.get_or_create(
        name=HealthMark.CANARY, defaults={"at": timezone.now(), "secret": HealthMark.CANARY_TEXT}
    )
    return True


WORKER_SILENCE_SECONDS = 60


def worker_ok() -> bool | None:
    """A task worker checked in within a minute; None where no worker is meant
    to run (tasks run in the request: tests, the immediate back-end)."""
    backend = settings.TASKS.get("default", {}).get("BACKEND", "")
    if not backend.startswith("django_tasks_db") or not settings.HEALTH_CHECK_WORKER:
        return None
    since = timezone.now() - timedelta(seconds=WORKER_SILENCE_SECONDS)
    try:
        return HealthMark.objects.filter(name__startswith="worker:", at__gte=since).exists()
    except Exception:
        return False
