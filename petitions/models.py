"""Petitions: a resident asks the city for something, others sign, and at the
threshold the Human Rights Office must answer publicly by a deadline.

State machine (django-fsm-2; transitions are called only from services.py)::

    draft ─submit→ awaiting_moderation ─publish→ open ─close→ closed
                                      └─reject→ rejected
    open ─reach_threshold→ awaiting_response ─answer→ answered

`close` and `reach_threshold` are moved by the system (the clock, the
crossing signature), never by a person: their permission refuses every user.
"""

from __future__ import annotations

from datetime import timedelta

import django_fsm
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from core.permissions import transition_permission
from moderation.models import Moderated

from . import conf

# Limits on what people write, used alike by the model, the forms and the
# services (docs/architecture.md, "One door"): one number per field.
TITLE_MAX_LENGTH = 150
ACTION_MAX_LENGTH = 2000
BACKGROUND_MAX_LENGTH = 5000
REJECTION_NOTE_MAX_LENGTH = 2000
ANSWER_MAX_LENGTH = 20000


def default_threshold() -> int:
    return conf.threshold()


def _system_only(instance, user) -> bool:
    """Transitions the system makes (clock, threshold): no person may call them."""
    return False


class Petition(Moderated, TimeStampedModel):
    """A petition. Besides its `status` (the petition's own life), it has the
    moderated `state` (moderation.models.Moderated): a published petition that
    is reported can be hidden with a reason, whatever its status."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("petition status", "Draft")
        AWAITING_MODERATION = (
            "awaiting_moderation",
            pgettext_lazy("petition status", "Awaiting moderation"),
        )
        OPEN = "open", pgettext_lazy("petition status", "Open")
        CLOSED = "closed", pgettext_lazy("petition status", "Closed")
        REJECTED = "rejected", pgettext_lazy("petition status", "Rejected")
        AWAITING_RESPONSE = (
            "awaiting_response",
            pgettext_lazy("petition status", "Awaiting response"),
        )
        ANSWERED = "answered", pgettext_lazy("petition status", "Answered")

    class RejectionReason(models.TextChoices):
        DUPLICATE = "duplicate", _("There is already a petition about this")
        NOT_CITY = "not_city_responsibility", _("This is not the city's responsibility")
        OFFENSIVE = "offensive", _("It is offensive or abusive")
        PERSONAL_DATA = "personal_data", _("It contains personal data")
        UNCLEAR = "unclear", _("It is unclear what the petition asks for")

    # Statuses anyone may see; drafts and moderation stay with creator and moderators.
    PUBLIC_STATUSES = (
        Status.OPEN,
        Status.CLOSED,
        Status.AWAITING_RESPONSE,
        Status.ANSWERED,
    )

    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="petitions",
        verbose_name=_("creator"),
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    action = models.TextField(_("what the city should do"), max_length=ACTION_MAX_LENGTH)
    background = models.TextField(_("background"), max_length=BACKGROUND_MAX_LENGTH, blank=True)
    status = django_fsm.FSMField(
        _("status"),
        max_length=32,
        choices=Status.choices,
        default=Status.DRAFT,
        protected=True,
        db_index=True,
    )
    threshold = models.PositiveIntegerField(_("signatures needed"), default=default_threshold)
    # Denormalised so lists read it for free. Folded from the signature rows
    # by services.petition_fold under the row lock (never on the signing
    # request): the number of rows with id <= signatures_folded_through.
    signature_count = models.PositiveIntegerField(_("signatures"), default=0)
    signatures_folded_through = models.BigIntegerField(
        _("signatures counted up to"), default=0, editable=False
    )
    submitted_at = models.DateTimeField(
        pgettext_lazy("petition field", "submitted"), null=True, blank=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=32, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("note from the moderator"), blank=True)
    threshold_reached_at = models.DateTimeField(_("threshold reached"), null=True, blank=True)
    response_due = models.DateTimeField(_("answer due"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-signature_count"], name="petition_status_signatures"),
            models.Index(fields=["status", "closes_at"], name="petition_status_closes"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold__gte=1), name="petition_threshold_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # --- reading -----------------------------------------------------------

    def is_expired(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closes_at is not None and self.closes_at <= now

    # Like the UK Parliament's petitions, reaching the threshold does not stop
    # people joining: signing goes on until the closing date, answered or not.
    SIGNABLE_STATUSES = ("open", "awaiting_response", "answered")

    def accepts_signatures(self, now=None) -> bool:
        """Published and before the closing date (checked here, so a petition
        past its date refuses signatures even if the closing task is late)."""
        return (
            self.status in self.SIGNABLE_STATUSES
            and not self.is_expired(now)
            and not self.is_hidden
        )

    @property
    def public_status(self) -> str:
        """The status as people should see it: an open petition past its closing
        date is closed, whether or not the closing task has run yet."""
        if self.status == self.Status.OPEN and self.is_expired():
            return self.Status.CLOSED.value
        return str(self.status)

    def get_public_status_display(self) -> str:
        return str(self.Status(self.public_status).label)

    @property
    def is_editable(self) -> bool:
        """Only a draft: after sending, moderators and signers must judge the same words."""
        return self.status == self.Status.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def signatures_now(self) -> int:
        """The count shown for this one petition: the folded count plus the
        rows after the fold's mark where the selector read them
        (selectors.petition_get_for), else the folded count."""
        return self.signature_count + (getattr(self, "signatures_after_mark", None) or 0)

    @property
    def progress_percent(self) -> int:
        return min(100, (self.signatures_now * 100) // max(self.threshold, 1))

    @property
    def response_overdue(self) -> bool:
        return (
            self.status == self.Status.AWAITING_RESPONSE
            and self.response_due is not None
            and self.response_due < timezone.now()
        )

    # --- transitions (call through services only) ---------------------------

    @django_fsm.transition(
        field=status,
        source=Status.DRAFT,
        target=Status.AWAITING_MODERATION,
        permission=transition_permission("petitions.submit"),
    )
    def submit(self) -> None:
        """The creator sends the draft to the moderators."""
        self.submitted_at = timezone.now()

    @django_fsm.transition(
        field=status,
        source=Status.AWAITING_MODERATION,
        target=Status.OPEN,
        permission=transition_permission("petitions.moderate"),
    )
    def publish(self, *, by) -> None:
        """A moderator publishes it; it collects signatures for PETITIONS_OPEN_DAYS."""
        now = timezone.now()
        self.published_at = now
        self.closes_at = now + timedelta(days=conf.open_days())
        self.moderated_by = by

    @django_fsm.transition(
        field=status,
        source=Status.AWAITING_MODERATION,
        target=Status.REJECTED,
        permission=transition_permission("petitions.moderate"),
    )
    def reject(self, *, by, reason: str, note: str) -> None:
        """A moderator rejects it with a standard reason and a note to the creator."""
        self.moderated_by = by
        self.rejection_reason = reason
        self.rejection_note = note

    @django_fsm.transition(
        field=status,
        source=Status.OPEN,
        target=Status.CLOSED,
        conditions=[is_expired],
        permission=_system_only,
    )
    def close(self) -> None:
        """The closing date has passed without reaching the threshold."""
        self.closed_at = timezone.now()

    @django_fsm.transition(
        field=status,
        source=Status.OPEN,
        target=Status.AWAITING_RESPONSE,
        conditions=[lambda petition: petition.signature_count >= petition.threshold],
        permission=_system_only,
    )
    def reach_threshold(self) -> None:
        """Enough signatures: the office owes an answer by the response deadline."""
        now = timezone.now()
        self.threshold_reached_at = now
        self.response_due = now + timedelta(days=conf.response_days())

    @django_fsm.transition(
        field=status,
        source=Status.AWAITING_RESPONSE,
        target=Status.ANSWERED,
        permission=transition_permission("petitions.answer"),
    )
    def publish_answer(self, *, by, answer: str) -> None:
        """Staff publish the office's official answer."""
        self.answer = answer
        self.answered_at = timezone.now()
        self.answered_by = by


class Signature(models.Model):
    """One person's signature. The database allows one per person per petition."""

    # Indexed with the id below ("signature_petition_id"), not alone.
    petition = models.ForeignKey(
        Petition,
        on_delete=models.CASCADE,
        related_name="signatures",
        verbose_name=_("petition"),
        db_index=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="petition_signatures",
        verbose_name=_("signer"),
    )
    show_name = models.BooleanField(_("show my name"), default=False)
    created_at = models.DateTimeField(_("signed"), auto_now_add=True)
    # Set in the same transaction as the answer notification, so a failed batch
    # is retried for exactly the signers not told yet.
    notified_at = models.DateTimeField(_("told about the answer"), null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["petition", "user"], name="petition_signature_once"),
        ]
        indexes = [
            # The count answered after a signature reads the rows after the
            # fold's mark (petition, id > mark): with an index on the petition
            # alone PostgreSQL read every signature of the petition, so the
            # busiest petition cost the most per signer (bench/notes.md).
            models.Index(fields=["petition", "id"], name="signature_petition_id"),
            models.Index(
                fields=["petition", "id"],
                condition=models.Q(notified_at__isnull=True),
                name="signature_not_notified",
            ),
            models.Index(
                fields=["petition", "-created_at"],
                condition=models.Q(show_name=True),
                name="signature_named_recent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.petition_id}"
