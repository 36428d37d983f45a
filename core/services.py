"""Writes shared by every app: notifications and e-mail."""

from __future__ import annotations

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from .groups import user_notifications_group
from .models import Notification

logger = logging.getLogger(__name__)


def notification_send(
    *, user, kind: str, payload: dict | None = None, url: str = ""
) -> Notification:
    """Store a notification for `user` and push it to their socket once the
    surrounding transaction commits (nothing is pushed for a rolled-back change)."""
    notification = Notification.objects.create(user=user, kind=kind, payload=payload or {}, url=url)
    transaction.on_commit(lambda: _push(notification))
    return notification


def _push(notification: Notification) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(
            user_notifications_group(notification.user_id),
            {"type": "notification.event", "event": notification.as_event()},
        )
    except Exception as exc:  # the notification is stored; a push failure must not fail the write
        logger.warning("Could not push notification %s: %s", notification.pk, type(exc).__name__)


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark some (or all) of `user`'s unread notifications read; returns how many."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())


def email_send(*, to: list[str] | str, subject: str, body: str) -> None:
    """Send an e-mail through the task queue after the transaction commits."""
    from .tasks import send_email

    recipients = [to] if isinstance(to, str) else list(to)
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    transaction.on_commit(
        lambda: send_email.enqueue(to=recipients, subject=str(subject), body=str(body))
    )
