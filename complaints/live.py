"""An open case page updates live (issue 20): /ws/cases/{reference}/.

The stream carries no case content, only that the case changed and how
("message", "status"): the page then fetches itself (the same view, through
the one door that checks access and writes the access log) and swaps the
parts that changed. So nothing about a case goes out on a socket, and what
the page shows after a live update is exactly what a reload shows. A socket
joins the case's group only if its user (or its receipt session) may see the
case, and access is asked again before each event is passed on, so a
caseworker taken off the case hears nothing more.
"""

from __future__ import annotations

import logging
from uuid import UUID

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

MESSAGE = "message"
STATUS = "status"


def case_group(complaint_id: UUID) -> str:
    return f"case.{complaint_id}"


def case_changed(*, complaint_id: UUID, what: str) -> None:
    """After the current transaction commits, tell the case's open pages."""
    transaction.on_commit(lambda: _push(complaint_id, what))


def _push(complaint_id: UUID, what: str) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            case_group(complaint_id), {"type": "case.event", "what": what}
        )
    except Exception as exc:  # the change is saved; a push failure must not fail it
        logger.warning("Could not push case event: %s", type(exc).__name__)
