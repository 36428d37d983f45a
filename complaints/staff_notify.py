"""Telling the office's people about a case: a stored notification, the socket
push and an e-mail, with the reference only, never case text. Used by the
services, the conflict checks, the deadlines and assisted intake alike (one
module below them all, so none of them imports another late)."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import override

from accounts.roles import Role
from core.models import Notification
from core.services import notification_email_send, notifications_send

from .models import Complaint


def supervisors():
    return get_user_model().objects.filter(groups__name=Role.SUPERVISOR, is_active=True)


def case_url(complaint: Complaint, language: str) -> str:
    with override(language):
        return reverse("casework:case", kwargs={"reference": complaint.reference})


def staff_notifications(
    users, *, kind: str, complaint: Complaint, actor=None
) -> list[Notification]:
    """The (unsaved) notifications `tell_staff` stores: one per person, never
    the actor; the reference only, never case text."""
    seen = set()
    notifications = []
    for user in users:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        notifications.append(
            Notification(
                user=user,
                kind=kind,
                payload={"reference": complaint.reference},
                url=case_url(complaint, user.preferred_language),
            )
        )
    return notifications


def send(staff: list[Notification], others: Sequence[Notification] = ()) -> None:
    """Store the notifications in one INSERT, push each on commit, and e-mail
    the office's people among them (the task gets the notification's id and
    writes the mail when it runs)."""
    notifications_send([*staff, *others])
    for notification in staff:
        if notification.user.email:
            notification_email_send(notification=notification)


def tell_staff(users, *, kind: str, complaint: Complaint, actor=None, subject: str = "") -> None:
    """Stored notification + socket push + e-mail; the reference only, never case text."""
    send(staff_notifications(users, kind=kind, complaint=complaint, actor=actor))
