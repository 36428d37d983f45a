"""What the /ws/consultations/{id}/ stream carries (CONTRACT.md section 4)."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def discussion_group(translation_key) -> str:
    """One group per consultation; every translation of the page joins it."""
    return f"consultation.{translation_key.hex}"


def broadcast(translation_key, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            discussion_group(translation_key), {"type": "consultation.event", "event": event}
        )
    except Exception as exc:  # the comment is saved; a push failure must not fail the write
        logger.warning("Could not push consultation event: %s", type(exc).__name__)
