"""Casework tables (issue 16): the deadline engine's clocks and what it sent,
declared conflicts, and the export log. Kept apart from models.py so the
complainant-facing work and the casework work touch different files; imported
at the end of complaints.models, so Django sees them as that app's models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.fields import EncryptedTextField

REASON_MAX_LENGTH = 500


class DeadlineKind(models.TextChoices):
    TRIAGE = "triage", pgettext_lazy("deadline", "Triage")
    INVESTIGATION = "investigation", pgettext_lazy("deadline", "Investigation")
    REPLY = "reply", pgettext_lazy("deadline", "Reply to the complainant")
    # Opened by the accountability app through complaints.deadlines.deadline_open
    # with the recommendation's response date (the documented hook).
    RECOMMENDATION = "recommendation", pgettext_lazy("deadline", "Response to a recommendation")


class Deadline(models.Model):
    """One running clock of a case. Open while `ended_at` is empty; paused
    while `paused_at` is set (on resume `due_at` moves by the pause's length).
    The complaint's `triage_due` / `investigation_due` columns mirror the open
    clock of that kind, for the pages and the API that read them."""

    complaint = models.ForeignKey(
        "complaints.Complaint", on_delete=models.CASCADE, related_name="deadlines"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DeadlineKind.choices)
    # What the clock is about when a case can have several of one kind (a
    # recommendation's id in the accountability app); empty otherwise.
    source = models.CharField(max_length=64, blank=True, default="")
    started_at = models.DateTimeField(_("started"))
    due_at = models.DateTimeField(_("due"), db_index=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)
    pause_reason = EncryptedTextField(_("why it is paused"), blank=True, default="")
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            # At most one open clock of a kind (and source) per case.
            models.UniqueConstraint(
                fields=["complaint", "kind", "source"],
                condition=models.Q(ended_at__isnull=True),
                name="deadline_open_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=models.Q(ended_at__isnull=True, paused_at__isnull=True),
                name="deadline_running_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.complaint_id} → {self.due_at:%Y-%m-%d}"

    @property
    def running(self) -> bool:
        return self.ended_at is None and self.paused_at is None


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Reminder")
    OVERDUE = "overdue", _("Overdue")


class DeadlineNotice(models.Model):
    """What `casework_deadlines` sent: one row per clock, kind, person and due
    date, inserted before the notice goes out. A second run finds the row and
    sends nothing; a due date moved by an extension allows a new reminder."""

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "kind", "user", "due_at"], name="deadline_notice_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.deadline_id} → {self.user_id}"


class DigestSent(models.Model):
    """One morning digest per caseworker per (local) day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"digest {self.user_id} {self.day}"


class ConflictKind(models.TextChoices):
    ORGANISATION = "organisation", _("An organisation")
    PERSON = "person", _("A person")


class StandingConflict(models.Model):
    """A party a caseworker declared they cannot be impartial about. Assigning
    them to a case about that party warns and needs an override reason.
    The name is encrypted (it may name a person), so matching happens in
    Python over the caseworker's few rows, never in SQL."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standing_conflicts"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ConflictKind.choices)
    name = EncryptedTextField(_("name"))
    note = EncryptedTextField(_("note"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"conflict {self.pk} of {self.user_id}"


class ExportQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The export log is append-only.")

    def delete(self):
        raise PermissionError("The export log is append-only.")


class CaseExport(models.Model):
    """One export of the queue (append-only): who, when, which format, with
    which filters, how many rows, and whether narratives or contact data were in it."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    format = models.CharField(max_length=8)
    filters = models.JSONField(default=dict, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    with_narratives = models.BooleanField(default=False)
    with_contacts = models.BooleanField(default=False)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.format})"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("The export log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The export log is append-only.")
