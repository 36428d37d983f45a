"""Telling the office's people about a case: a stored notification, the socket
push and an e-mail, with the reference only, never case text. Used by the
services, the conflict checks, the deadlines and assisted intake alike (one
module below them all, so none of them imports another late)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import override

from accounts.roles import Role
from core.services import notification_email_send, notification_send

from .models import Complaint


def supervisors():
    return get_user_model().objects.filter(groups__name=Role.SUPERVISOR, is_active=True)


def case_url(complaint: Complaint, language: str) -> str:
    with override(language):
        return reverse("casework:case", kwargs={"reference": complaint.reference})


def tell_staff(users, *, kind: str, complaint: Complaint, actor=None, subject: str = "") -> None:
    """Stored notification + socket push + e-mail; the reference only, never case text."""
    seen = set()
    for user in users:
        if user is None or user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        url = case_url(complaint, user.preferred_language)
        notification = notification_send(
            user=user, kind=kind, payload={"reference": complaint.reference}, url=url
        )
        if user.email:
            # The task gets the notification's id and writes the mail when it runs.
            notification_email_send(notification=notification)
