"""Writes shared by every app: notifications and e-mail."""

from __future__ import annotations

import datetime
import logging
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from . import follows, tasks
from .errors import Hidden, Invalid
from .groups import user_notifications_group
from .models import (
    EMAIL_ONLY_KINDS,
    FOLLOW_KINDS,
    Follow,
    FollowTarget,
    Frequency,
    Notification,
    NotificationPreference,
    PreferenceKind,
)
from .selectors import notification_unread_count

logger = logging.getLogger(__name__)


def notification_send(
    *, user, kind: str, payload: dict | None = None, url: str = ""
) -> Notification:
    """Store a notification for `user` and push it to their socket once the
    surrounding transaction commits (nothing is pushed for a rolled-back change)."""
    notification = Notification.objects.create(user=user, kind=kind, payload=payload or {}, url=url)
    transaction.on_commit(lambda: _push(notification))
    return notification


def notifications_send(notifications: list[Notification]) -> list[Notification]:
    """notification_send for several unsaved notifications at once: one INSERT
    (ids returned on PostgreSQL and SQLite), each pushed once the transaction commits."""
    created = Notification.objects.bulk_create(notifications)
    for notification in created:
        transaction.on_commit(partial(_push, notification))
    return created


def _push(notification: Notification) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        # The badge in the header shows the count as it is now (static/js/badge.js).
        unread = notification_unread_count(user=notification.user)
        async_to_sync(layer.group_send)(
            user_notifications_group(notification.user_id),
            {"type": "notification.event", "event": {**notification.as_event(), "unread": unread}},
        )
    except Exception as exc:  # the notification is stored; a push failure must not fail the write
        logger.warning("Could not push notification %s: %s", notification.pk, type(exc).__name__)


def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark some (or all) of `user`'s unread notifications read; returns how many."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=ids)
    return queryset.update(read_at=timezone.now())


def notification_email_send(*, notification: Notification) -> None:
    """E-mail `notification` to its user after the transaction commits. The
    task carries the notification's id only; the message is written when it runs."""
    notification_id = notification.pk
    transaction.on_commit(
        lambda: tasks.send_notification_email.enqueue(notification_id=notification_id)
    )


def task_results_prune(*, older_than: datetime.timedelta | None = None) -> int:
    """Delete finished task rows (succeeded or failed) older than `older_than`
    (settings.TASK_RESULTS_KEEP_HOURS, default 24 hours): their arguments and
    tracebacks need not outlive the work. Returns how many were deleted."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - the database backend is not installed
        return 0
    if older_than is None:
        older_than = datetime.timedelta(hours=getattr(settings, "TASK_RESULTS_KEEP_HOURS", 24))
    deleted, _ = DBTaskResult.objects.filter(
        finished_at__isnull=False, finished_at__lte=timezone.now() - older_than
    ).delete()
    return deleted


def task_rows_delete(*, task, kwarg: str, values) -> int:
    """Delete the task rows of `task` (finished or not) whose keyword argument
    `kwarg` is one of `values`: a purge leaves no queued or finished task naming
    what it purged."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover
        return 0
    values = list(values)
    if not values:
        return 0
    deleted, _ = DBTaskResult.objects.filter(
        task_path=task if isinstance(task, str) else task.module_path,
        **{f"args_kwargs__kwargs__{kwarg}__in": values},
    ).delete()
    return deleted


def database_checkpoint() -> None:
    """On SQLite, fold the write-ahead log into the database file and truncate
    it, so copies of deleted rows do not linger in `db.sqlite3-wal` (with
    `secure_delete` on, the freed pages are zeroed too). Nothing to do on
    PostgreSQL, whose vacuum reclaims dead rows."""
    from django.db import connection

    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def email_send(*, to: list[str] | str, subject: str, body: str) -> None:
    """Send an e-mail through the task queue after the transaction commits."""
    recipients = [to] if isinstance(to, str) else list(to)
    recipients = [r for r in recipients if r]
    if not recipients:
        return
    transaction.on_commit(
        lambda: tasks.send_email.enqueue(to=recipients, subject=str(subject), body=str(body))
    )


# --- follows and notification preferences ------------------------------------

UNSUBSCRIBE_SALT = "core.unsubscribe"
DIGEST_KIND = "follows"  # an unsubscribe token's kind for every followed thing


def follow_add(*, user, target: str, object_id: int):
    """`user` follows the thing; returns (follow, created). A repeat, or two
    requests at once, changes nothing (the unique constraint decides: Django's
    get_or_create re-reads the row after losing the race). An id the public
    may not see answers like one that does not exist."""

    if target not in FollowTarget.values or object_id not in follows.resolve(target, [object_id]):
        raise Hidden
    with transaction.atomic():
        return Follow.objects.get_or_create(user=user, target=target, object_id=object_id)


def follow_remove(*, user, target: str, object_id: int) -> bool:
    """Stop following; True if there was a follow. Removing none is not an error."""

    with transaction.atomic():
        deleted, _rows = Follow.objects.filter(
            user=user, target=target, object_id=object_id
        ).delete()
    return bool(deleted)


def preference_set(
    *, user, kind: str, frequency: str, in_app: bool | None = None, email: bool | None = None
):
    """How often `user` hears about `kind`, and through which channels (None
    keeps the current choice, or the kind's default); Invalid names
    the field. The e-mail-only kinds are sent now or never."""

    if kind not in PreferenceKind.values:
        raise Invalid(_("This value is not one of the allowed choices."), field="kind")
    allowed = frequencies_for(kind)
    if frequency not in allowed:
        raise Invalid(_("This value is not one of the allowed choices."), field="frequency")
    defaults: dict = {"frequency": frequency}
    if kind in EMAIL_ONLY_KINDS:
        in_app, email = False, True
    if in_app is not None:
        defaults["in_app"] = bool(in_app)
    if email is not None:
        defaults["email"] = bool(email)
    with transaction.atomic():
        preference, created = NotificationPreference.objects.get_or_create(
            user=user,
            kind=kind,
            defaults={
                "in_app": True,
                "email": NotificationPreference.default_email(kind),
                **defaults,
            },
        )
        if not created:
            for field, value in defaults.items():
                setattr(preference, field, value)
            preference.save(update_fields=list(defaults))
    return preference


def frequencies_for(kind: str) -> list[str]:
    """The choices of how often for one kind: the e-mail-only kinds go out
    when it happens or never, news of followed things may also wait for a
    digest."""
    if kind in EMAIL_ONLY_KINDS:
        return [Frequency.NOW, Frequency.NEVER]
    return list(Frequency.values)


def unsubscribe_token(*, user, kind: str) -> str:
    """A signed token for the unsubscribe link in an e-mail: it names the
    account and the kind, works without signing in, and cannot be forged."""

    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user, kind: str) -> str:

    with translation.override(getattr(user, "preferred_language", None) or "ko"):
        path = reverse(
            "core:unsubscribe", kwargs={"token": unsubscribe_token(user=user, kind=kind)}
        )
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_read(*, token: str):
    """(user, kind) for a valid token; Hidden for anything else. The kind
    `follows` (the link in a digest) stands for the e-mails about everything
    one follows."""

    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        raise Hidden from None
    if not isinstance(data, dict) or data.get("k") not in [*PreferenceKind.values, DIGEST_KIND]:
        raise Hidden
    user_id = data.get("u")
    if not isinstance(user_id, int):
        raise Hidden
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise Hidden
    return user, data["k"]


def unsubscribe(*, token: str):
    """Turn the token's e-mails off; returns (user, kind). An e-mail-only kind
    becomes `never`; news of followed things stops coming by e-mail (the
    notification list keeps it, as chosen); `follows` does that for every
    kind of followed thing."""
    user, kind = unsubscribe_read(token=token)
    with transaction.atomic():
        if kind in EMAIL_ONLY_KINDS:
            preference_set(user=user, kind=kind, frequency=Frequency.NEVER)
        else:
            current = dict(
                NotificationPreference.objects.filter(user=user).values_list("kind", "frequency")
            )
            for each in FOLLOW_KINDS if kind == DIGEST_KIND else [kind]:
                preference_set(
                    user=user,
                    kind=each,
                    frequency=current.get(each, NotificationPreference.DEFAULT_FREQUENCY),
                    email=False,
                )
    return user, kind


def emails_send_batch(*, messages: list[dict]) -> None:
    """Send many personal e-mails (`{"to", "subject", "body"}`) as one task after
    the transaction commits."""
    batch = [
        {"to": m["to"], "subject": str(m["subject"]), "body": str(m["body"])}
        for m in messages
        if m.get("to")
    ]
    if batch:
        transaction.on_commit(lambda: tasks.send_emails.enqueue(messages=batch))
