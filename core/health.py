"""Liveness of the parts the platform needs (CONTRACT.md section 5)."""

import secrets

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connections


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
