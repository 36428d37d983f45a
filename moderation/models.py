"""Moderation written once (issue 15, issue 20).

`Moderated` is the abstract model every moderated content type inherits
(consultations' Comment and Proposal, petitions' Petition): one visibility
state machine, the hidden reason as a code from one fixed list, who hid it and
when, and the number of open reports. `Report` and `ModerationLog` point at
any of them through the content-types framework, so the moderation queue, the
services and the API are the same for every type (`moderation.registry`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

NOTE_MAX_LENGTH = 500  # a report's, a hide's, a block's or an unblock's note


class Reason(models.TextChoices):
    """Why something is reported or hidden: the one fixed list (short labels for forms)."""

    SPAM = "spam", _("Spam or advertising")
    ABUSE = "abuse", _("Abuse or hate")
    PERSONAL_DATA = "personal_data", _("Personal data about someone")
    OFF_TOPIC = "off_topic", _("Off-topic")


# What people read where something was hidden, and in the notice to its author:
# a whole sentence in the reader's language, never the code.
REASON_SENTENCES = {
    Reason.SPAM: _("A moderator hid this because it was advertising or spam."),
    Reason.ABUSE: _("A moderator hid this because it insulted people or spread hate."),
    Reason.PERSONAL_DATA: _(
        "A moderator hid this because it gave away personal information about someone."
    ),
    Reason.OFF_TOPIC: _("A moderator hid this because it was not about the subject."),
}


def reason_sentence(code: str) -> str:
    """The sentence for `code` in the active language ("" for no reason)."""
    if not code:
        return ""
    sentence = REASON_SENTENCES.get(code)  # type: ignore[call-overload]
    return str(sentence) if sentence is not None else str(_("A moderator hid this."))


class Visibility(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN = "hidden", _("Hidden by a moderator")
    DELETED = "deleted", _("Deleted by its author")  # comments only


class Moderated(ConcurrentTransitionMixin, models.Model):
    """Fields and transitions shared by everything a moderator can hide.

    Call the transitions through `moderation.services` only: they keep the
    reports, the log, the author's notice and each type's counters together.
    A lost race on any state field raises django-fsm's ConcurrentTransition.
    """

    state = FSMField(
        _("visibility"), choices=Visibility.choices, default=Visibility.VISIBLE, protected=True
    )
    hidden_reason = models.CharField(
        _("reason hidden"), max_length=20, choices=Reason.choices, blank=True
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    # Open (unresolved) reports, kept by the services with F(): the queue reads it for free.
    report_count = models.PositiveIntegerField(_("open reports"), default=0)

    class Meta:
        abstract = True

    def _update_initial_state(self) -> None:
        """django-fsm reads every state field when an instance is made; with two
        (a petition's `status` and this `state`) a partial load (`only()`,
        `refresh_from_db(fields=...)`) would fetch each deferred one by making
        another partial instance, which fetches the other, without end. Load the
        deferred state fields together, in one query, as one field cost before."""
        deferred = self.get_deferred_fields()
        missing = [f.attname for f in self.state_fields if f.attname in deferred]
        if missing and self.pk is not None:
            values = type(self)._base_manager.filter(pk=self.pk).values(*missing).first()
            if values:
                self.__dict__.update(values)
        super()._update_initial_state()

    @property
    def is_visible(self) -> bool:
        return self.state == Visibility.VISIBLE

    @property
    def is_hidden(self) -> bool:
        return self.state == Visibility.HIDDEN

    @property
    def is_deleted(self) -> bool:
        return self.state == Visibility.DELETED

    @property
    def hidden_reason_label(self) -> str:
        """The short label (for moderators' lists)."""
        return str(Reason(self.hidden_reason).label) if self.hidden_reason else ""

    @property
    def hidden_reason_text(self) -> str:
        """The sentence people read in place of the hidden item."""
        return reason_sentence(self.hidden_reason) if self.is_hidden else ""

    # `field` by name: each concrete model gets its own copy of the field.
    @transition(field="state", source=Visibility.VISIBLE, target=Visibility.HIDDEN)
    def hide(self) -> None:
        """A moderator hides it; the public sees only the reason, as a sentence."""

    @transition(field="state", source=Visibility.HIDDEN, target=Visibility.VISIBLE)
    def restore(self) -> None:
        """A moderator shows it again."""


class Report(models.Model):
    """Someone signed in flags a comment, a proposal or a petition."""

    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("content type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    target = GenericForeignKey("content_type", "object_id")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="moderation_reports",
        verbose_name=_("reported by"),
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"],
                condition=models.Q(resolved_at__isnull=True),
                name="moderation_report_once_open",
            ),
        ]
        indexes = [
            models.Index(
                fields=["content_type", "object_id"],
                condition=models.Q(resolved_at__isnull=True),
                name="moderation_report_open",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.pk}"


class ModerationAction(models.TextChoices):
    REPORT = "report", _("Reported")
    HIDE = "hide", _("Hidden")
    RESTORE = "restore", _("Restored")
    DISMISS = "dismiss", _("Reports dismissed")
    BLOCK = "block", _("Author blocked")
    UNBLOCK = "unblock", _("Author unblocked")
    DELETE = "delete", _("Deleted by author")
    ANSWER = "answer", _("Proposal answered")


class ModerationLog(models.Model):
    """Append-only record of every report and moderation decision, any content type."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=ModerationAction.choices)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author concerned"),
    )
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"

    @property
    def reason_label(self) -> str:
        return str(Reason(self.reason).label) if self.reason in Reason.values else ""
