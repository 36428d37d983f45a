"""What the /ws/consultations/{id}/ stream carries (CONTRACT.md section 4)."""

from __future__ import annotations

import json
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# The key of the text a socket gets when its language was not rendered.
PLAIN = ""


def discussion_group(translation_key) -> str:
    """One group per consultation; every translation of the page joins it."""
    return f"consultation.{translation_key.hex}"


def broadcast(translation_key, event: dict, **known) -> None:
    """Send `event` to every socket of the consultation. The publisher renders
    it (consultations.fragments.event_texts: the comment's HTML fragment, once
    per language) and encodes it once per language; the consumers only pick
    their language's text, so the cost of an event does not grow with sockets.
    `known` (the comment, its discussion's count) spares the renderer reading
    again what the publisher holds."""
    layer = get_channel_layer()
    if layer is None:
        return
    # Late: fragments imports this module (PLAIN) at its top.
    from .fragments import event_texts

    try:
        texts = event_texts(translation_key, event, **known)
    except Exception as exc:  # the comment is saved; send it without its fragment
        logger.warning("Could not render consultation event: %s", type(exc).__name__)
        texts = {PLAIN: json.dumps(event, ensure_ascii=False)}
    try:
        async_to_sync(layer.group_send)(
            discussion_group(translation_key), {"type": "consultation.event", "texts": texts}
        )
    except Exception as exc:  # the comment is saved; a push failure must not fail the write
        logger.warning("Could not push consultation event: %s", type(exc).__name__)
