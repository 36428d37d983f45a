"""Discrimination complaints (CONTRACT.md section 3).

Access is per case: django-guardian rows in the direct foreign-key tables below
grant an assigned caseworker the case; the supervisor sees every case through a
`rules` predicate (complaints.rules); transitions take `permission=` from the
one RuleSet (core.permissions). No model-wide complaint permission is ever
granted, and Django's superuser flag opens nothing here.
"""

from __future__ import annotations

import uuid

import django_fsm
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.fields import EncryptedEmailField, EncryptedTextField, KeyedHashField
from core.permissions import transition_permission
from core.private_storage import PrivateFileKeyField

from .grounds import FieldOfLife, Ground

DESCRIPTION_MAX_LENGTH = 20_000
NOTE_MAX_LENGTH = 5_000
LOCATION_MAX_LENGTH = 200
CONTACT_NAME_MAX_LENGTH = 100
CONTACT_PHONE_MAX_LENGTH = 30


class Channel(models.TextChoices):
    """How the complaint reached the office (assisted intake records the others)."""

    ONLINE = "online", _("Online")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("In person")
    LETTER = "letter", _("Letter")
    EMAIL = "email", _("E-mail")


class RespondentKind(models.TextChoices):
    """Who the complaint is about."""

    UNKNOWN = "", _("Not given")
    ORGANISATION = "organisation", _("An organisation")
    PERSON = "person", _("A person")


class Status(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("complaint status", "Submitted")
    INVESTIGATING = "investigating", pgettext_lazy("complaint status", "Under investigation")
    MEDIATION = "mediation", pgettext_lazy("complaint status", "In mediation")
    DECIDED = "decided", pgettext_lazy("complaint status", "Decided")
    CLOSED = "closed", pgettext_lazy("complaint status", "Closed")
    REJECTED = "rejected", pgettext_lazy("complaint status", "Rejected")
    REFERRED = "referred", pgettext_lazy("complaint status", "Referred")
    WITHDRAWN = "withdrawn", pgettext_lazy("complaint status", "Withdrawn")


OPEN_STATUSES = (Status.SUBMITTED, Status.INVESTIGATING, Status.MEDIATION)


# Who may make each move: the one RuleSet's rules (complaints.rules).
BY_SUPERVISE = transition_permission("complaints.supervise")
BY_WORK = transition_permission("complaints.work")
BY_COMPLAIN = transition_permission("complaints.complain")


def has_assigned_caseworker(instance: Complaint) -> bool:
    """Condition of `accept`: someone must be on the case (a read, no side effect;
    none when the case's people were read already, complaints.rules.case_people)."""
    people = instance.__dict__.get("_rule_cache", {}).get("people")
    if people is not None:
        return bool(people.assignees)
    return instance.assignee_permissions().exists()


COMPLAINANT_HASH_PURPOSE = "complaints.complainant"


class ComplaintQuerySet(models.QuerySet):
    def filed_by(self, user) -> ComplaintQuerySet:
        """The complaints filed from `user`'s account: matched by the keyed hash
        of the account id (under every key while a rotation is pending), one
        indexed `IN` of at most as many values as there are keys."""
        if user is None or not getattr(user, "is_authenticated", False) or user.pk is None:
            return self.none()
        return self.filter(complainant_hash__in=complainant_hashes(user.pk))


def complainant_hashes(user_pk) -> list[str]:
    return Complaint._meta.get_field("complainant_hash").hashes_of(str(user_pk))


def grounds_seal(codes) -> str:
    """The grounds as stored (encrypted) on the complaint: sorted, comma-joined."""
    return ",".join(sorted(set(codes)))


def grounds_unseal(sealed: str) -> list[str]:
    return [code for code in (sealed or "").split(",") if code]


class Complaint(django_fsm.ConcurrentTransitionMixin, models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    status = django_fsm.FSMField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUBMITTED, protected=True
    )
    field_of_life = models.CharField(
        _("field of life"), max_length=32, choices=FieldOfLife.choices, default=FieldOfLife.OTHER
    )
    description = EncryptedTextField(_("what happened"))
    incident_date = models.DateField(_("date of the incident"), null=True, blank=True)
    location = EncryptedTextField(_("place"), blank=True, default="")
    anonymous = models.BooleanField(_("anonymous"), default=False)
    # The account that filed a named complaint, never in readable form beside
    # the case: a keyed hash of the account id (indexed, finds "my complaints"
    # and answers "is this the complainant") and the id itself, encrypted, for
    # when the office must reach the account (docs/architecture.md).
    complainant_hash = KeyedHashField(
        purpose=COMPLAINANT_HASH_PURPOSE, source="complainant_account"
    )
    complainant_account = EncryptedTextField(blank=True, default="", editable=False)
    # The grounds, encrypted with the case (codes, comma-joined: grounds_seal).
    sealed_grounds = EncryptedTextField(_("grounds"), blank=True, default="")
    # A named complaint filed without an account (or taken down by staff) keeps
    # the person's name and at least one way to reach them, encrypted at rest.
    contact_name = EncryptedTextField(_("name"), blank=True, default="")
    contact_email = EncryptedEmailField(_("contact e-mail"), blank=True, default="")
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.ONLINE
    )
    # The staff member who took the complaint down in assisted intake (never the
    # complainant).
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken down by"),
    )
    respondent_kind = models.CharField(
        _("about"), max_length=16, choices=RespondentKind.choices, blank=True, default=""
    )
    # Encrypted: it may name a person.
    respondent_name = EncryptedTextField(_("name of the other party"), blank=True, default="")
    respondent_sector = models.CharField(_("sector"), max_length=32, blank=True, default="")
    receipt_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    consent_at = models.DateTimeField(_("consent given"))
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    triage_due = models.DateTimeField(_("triage due"), null=True, blank=True)
    investigation_due = models.DateTimeField(_("investigation due"), null=True, blank=True)
    # When the supervisor was warned that this case will be purged (retention);
    # a warning older than the last state change no longer counts.
    purge_warned_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "triage_due", "investigation_due"])]

    def __str__(self) -> str:
        return self.reference

    # --- the complainant's account (complainant_hash / complainant_account)

    def link_account(self, user) -> None:
        """Tie the complaint to `user`'s account (None: to no account)."""
        if user is None:
            self.complainant_hash, self.complainant_account = None, ""
            return
        self.complainant_account = str(user.pk)
        self.complainant_hash = type(self)._meta.get_field("complainant_hash").hash_of(str(user.pk))

    @property
    def has_account(self) -> bool:
        return bool(self.complainant_hash)

    def filed_by(self, user) -> bool:
        """Whether `user`'s account filed this complaint (no query)."""
        if not self.complainant_hash or user is None or user.pk is None:
            return False
        return self.complainant_hash in complainant_hashes(user.pk)

    def complainant_user(self):
        """The complainant's account (one query), or None."""
        from django.contrib.auth import get_user_model

        if not (self.complainant_hash and self.complainant_account):
            return None
        return get_user_model()._default_manager.filter(pk=self.complainant_account).first()

    # --- the grounds (sealed_grounds)

    @property
    def ground_codes(self) -> list[str]:
        return grounds_unseal(self.sealed_grounds)

    @ground_codes.setter
    def ground_codes(self, codes) -> None:
        self.sealed_grounds = grounds_seal(codes)

    @property
    def grounds(self) -> list:
        """The grounds as choices (`.value`, `.label`), sorted by code."""
        return [Ground(code) for code in self.ground_codes if code in Ground.values]

    def assignee_permissions(self):
        return ComplaintUserObjectPermission.objects.filter(
            content_object=self, permission__codename="change_complaint"
        )

    # --- transitions (CONTRACT.md section 3). Only services call these, after
    # has_transition_perm; they change nothing but the state.

    @django_fsm.transition(
        field=status,
        source=Status.SUBMITTED,
        target=Status.INVESTIGATING,
        permission=BY_SUPERVISE,
        conditions=[has_assigned_caseworker],
    )
    def accept(self) -> None:
        """The supervisor takes the case on; a caseworker must be assigned."""

    @django_fsm.transition(
        field=status, source=Status.SUBMITTED, target=Status.REJECTED, permission=BY_SUPERVISE
    )
    def reject(self) -> None:
        """The supervisor declines the case; the note gives the reason."""

    @django_fsm.transition(
        field=status,
        source=[Status.SUBMITTED, Status.INVESTIGATING],
        target=Status.REFERRED,
        permission=BY_SUPERVISE,
    )
    def refer(self) -> None:
        """The supervisor sends the case to another body, named in the note."""

    @django_fsm.transition(
        field=status, source=Status.INVESTIGATING, target=Status.MEDIATION, permission=BY_WORK
    )
    def start_mediation(self) -> None:
        """The assigned caseworker opens mediation between the parties."""

    @django_fsm.transition(
        field=status, source=Status.MEDIATION, target=Status.INVESTIGATING, permission=BY_WORK
    )
    def end_mediation(self) -> None:
        """Mediation failed or stopped; the investigation goes on."""

    @django_fsm.transition(
        field=status, source=Status.MEDIATION, target=Status.CLOSED, permission=BY_WORK
    )
    def settle(self) -> None:
        """The parties settled in mediation."""

    @django_fsm.transition(
        field=status, source=Status.INVESTIGATING, target=Status.DECIDED, permission=BY_WORK
    )
    def decide(self) -> None:
        """The assigned caseworker records the finding and recommendation (the note)."""

    @django_fsm.transition(
        field=status, source=Status.DECIDED, target=Status.CLOSED, permission=BY_SUPERVISE
    )
    def close(self) -> None:
        """The supervisor closes a decided case."""

    @django_fsm.transition(
        field=status,
        source=[Status.CLOSED, Status.REJECTED],
        target=Status.INVESTIGATING,
        permission=BY_SUPERVISE,
    )
    def reopen(self) -> None:
        """The supervisor reopens a closed or rejected case."""

    @django_fsm.transition(
        field=status,
        source=list(OPEN_STATUSES),
        target=Status.WITHDRAWN,
        permission=BY_COMPLAIN,
    )
    def withdraw(self) -> None:
        """The complainant withdraws the complaint."""


TRANSITIONS = (
    "accept",
    "reject",
    "refer",
    "start_mediation",
    "end_mediation",
    "settle",
    "decide",
    "close",
    "reopen",
    "withdraw",
)
NOTE_REQUIRED = frozenset({"reject", "refer", "decide"})
# Moves whose reason is written for the complainant (ComplaintEvent.public_reason).
PUBLIC_REASON_REQUIRED = frozenset({"reject", "refer"})
# Finished cases take no new messages or files (CONTRACT.md section 3).
FINISHED_STATUSES = (Status.CLOSED, Status.REJECTED, Status.REFERRED, Status.WITHDRAWN)


class ComplaintUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Complaint, on_delete=models.CASCADE)


class ComplaintGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Complaint, on_delete=models.CASCADE)


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("complaint event", "Submitted")
    ASSIGNED = "assigned", pgettext_lazy("complaint event", "Caseworker assigned")
    UNASSIGNED = "unassigned", pgettext_lazy("complaint event", "Caseworker removed")
    RECUSED = (
        "recused",
        pgettext_lazy("complaint event", "Caseworker stepped aside (conflict of interest)"),
    )
    TRANSITION = "transition", pgettext_lazy("complaint event", "Status changed")
    NOTE = "note", pgettext_lazy("complaint event", "Internal note")
    VIEWED = "viewed", pgettext_lazy("complaint event", "Case opened")
    ATTACHMENT_ADDED = "attachment_added", pgettext_lazy("complaint event", "Evidence file added")
    # The deadline engine and conflicts (issue 16, complaints.deadlines / conflicts).
    PAUSED = "paused", pgettext_lazy("complaint event", "Deadline paused")
    RESUMED = "resumed", pgettext_lazy("complaint event", "Deadline resumed")
    EXTENDED = "extended", pgettext_lazy("complaint event", "Deadline extended")
    OVERRIDE = "override", pgettext_lazy("complaint event", "Assigned despite a declared conflict")


# Kinds only the office sees: never shown to the complainant. A recusal can
# reveal a relationship between a caseworker and a party, so it stays internal.
STAFF_ONLY_KINDS = frozenset(
    {
        EventKind.NOTE,
        EventKind.VIEWED,
        EventKind.RECUSED,
        EventKind.PAUSED,
        EventKind.RESUMED,
        EventKind.EXTENDED,
        EventKind.OVERRIDE,
    }
)


class EventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Complaint events are append-only.")

    def delete(self):
        raise PermissionError("Complaint events are append-only.")


class ComplaintEvent(models.Model):
    """One line of a case's timeline. Append-only: saved once, never changed or
    deleted by the application (they go only with the case itself)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    # Whom an assignment or recusal concerns (not the actor).
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = EncryptedTextField(_("note"), blank=True, default="")
    # Written for the complainant (reject, refer), apart from the internal note.
    public_reason = EncryptedTextField(_("reason given to the complainant"), blank=True, default="")

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.at}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("Complaint events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Complaint events are append-only.")


class ComplaintMessage(models.Model):
    """A message between the office and the complainant (never an internal note)."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    from_office = models.BooleanField(default=False)
    body = EncryptedTextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"message {self.pk}"


class ComplaintAttachment(models.Model):
    """An evidence file. The content lives encrypted in private storage under a
    random key; the name is encrypted too (it can name a person or a place)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    storage_key = PrivateFileKeyField(unique=True)
    name = EncryptedTextField(_("file name"))
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_complainant = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


# How long a submission's Idempotency-Key answers with the first response
# (CONTRACT.md section 3); its stored copy of the receipt is erased after it.
IDEMPOTENCY_WINDOW_HOURS = 24


class IdempotencyKey(models.Model):
    """A submission's Idempotency-Key (hashed), so a retry gets the first answer:
    the same complaint and the same receipt. The receipt is kept here, encrypted
    like the narrative, for IDEMPOTENCY_WINDOW_HOURS only (the row is deleted
    after that: complaints.services.idempotency_keys_expire)."""

    key_hash = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="+")
    receipt = EncryptedTextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key_hash[:8]


class ReferenceCounter(models.Model):
    """The last reference number given out per year; its row is locked while a
    new number is taken, so two submissions never share one."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


# Casework tables (deadlines, conflicts, export log), issue 16.
from .casework_models import (  # noqa: E402, F401
    CaseExport,
    ConflictKind,
    Deadline,
    DeadlineKind,
    DeadlineNotice,
    DigestSent,
    NoticeKind,
    StandingConflict,
)
