"""Assisted intake (issue 16, CONTRACT.md section 3): a caseworker or the
supervisor files a complaint for someone who phoned, came in, wrote a letter
or sent an e-mail. The person is the complainant (their name and contact on
the case, encrypted); the staff member is recorded as `taken_by` and is not
the complainant; the person gets a receipt, handed or read to them.

Kept apart from services.complaint_submit (the public path) on purpose: the
two differ in who may file, what is required, and who is recorded."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Invalid, Refused
from core.permissions import may
from core.sanitize import clean_text

from . import deadlines
from .grounds import FieldOfLife
from .models import (
    CONTACT_NAME_MAX_LENGTH,
    CONTACT_PHONE_MAX_LENGTH,
    Channel,
    Complaint,
    ComplaintEvent,
    EventKind,
    IdempotencyKey,
    Status,
    grounds_seal,
)
from .refusals import invalid
from .services import (
    IdempotencyKeyReused,
    Submission,
    _clean_submission,
    _keyed,
    _reference_next,
    receipt_hash,
    receipt_new,
)
from .staff_notify import supervisors, tell_staff

# The person's name and phone land in Complaint.contact_name / contact_phone:
# the same limits as when a resident files for themselves.
NAME_MAX_LENGTH = CONTACT_NAME_MAX_LENGTH
PHONE_MAX_LENGTH = CONTACT_PHONE_MAX_LENGTH
ASSISTED_CHANNELS = (Channel.PHONE, Channel.VISIT, Channel.LETTER, Channel.EMAIL)


def may_take_intake(user) -> bool:
    return may(user, "complaints.casework")


@dataclass(frozen=True)
class Person:
    """The person the complaint is filed for (`on_behalf_of` in the API)."""

    name: str
    contact_email: str = ""
    contact_phone: str = ""
    consent: bool = False


def _clean_person(person: Person, channel: str) -> dict:
    errors: dict[str, list[str]] = {}
    if channel not in ASSISTED_CHANNELS:
        errors["channel"] = [_("Choose how the complaint reached the office.")]
    name = clean_text(person.name or "").strip()
    if not name:
        errors["on_behalf_of.name"] = [_("Write the person's name.")]
    elif len(person.name) > NAME_MAX_LENGTH:
        errors["on_behalf_of.name"] = [
            _("This text is too long (at most %(max)s characters).") % {"max": NAME_MAX_LENGTH}
        ]
    phone = clean_text(person.contact_phone or "").strip()
    if len(phone) > PHONE_MAX_LENGTH or (phone and not any(ch.isdigit() for ch in phone)):
        errors["on_behalf_of.contact_phone"] = [_("Enter a valid phone number.")]
    if not person.consent:
        errors["on_behalf_of.consent"] = [
            _("Confirm that the person agreed that the office stores and uses their complaint.")
        ]
    if errors:
        raise invalid(errors)
    return {"name": name, "phone": phone}


def _by_field(error: Invalid) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        errors.setdefault(item["field"], []).append(item["message"])
    return errors


def complaint_intake(
    *,
    actor,
    channel: str,
    person: Person,
    grounds: list[str],
    description: str,
    field_of_life: str = FieldOfLife.OTHER,
    incident_date: datetime.date | None = None,
    location: str = "",
    idempotency_key: str | None = None,
) -> Submission:
    """File a complaint taken down by `actor` for `person`. Returns the
    complaint and the person's receipt (shown once; only its hash is kept).
    A retry with the same key returns the same complaint with a fresh
    receipt, which retires the first one (only hashes are stored)."""
    if not may_take_intake(actor):
        raise Refused(code="permission_denied")
    try:
        cleaned = _clean_submission(
            grounds=grounds,
            field_of_life=field_of_life,
            description=description,
            incident_date=incident_date,
            location=location,
            contact_email=person.contact_email,
        )
    except Invalid as exc:
        errors = _by_field(exc)
        if "contact_email" in errors:
            errors["on_behalf_of.contact_email"] = errors.pop("contact_email")
        try:
            _clean_person(person, channel)
        except Invalid as more:
            errors.update(_by_field(more))
        raise invalid(errors) from exc
    who = _clean_person(person, channel)
    key_hash = fingerprint = None
    if idempotency_key:
        key_hash = _keyed("complaints.intake", f"{actor.pk}:{idempotency_key}")
        fingerprint = _keyed(
            "complaints.intake.body",
            json.dumps(
                [sorted(cleaned["codes"]), cleaned["description"], who["name"], channel],
                ensure_ascii=False,
            ),
        )
        previous = _replay(key_hash, fingerprint)
        if previous is not None:
            return previous
    try:
        with transaction.atomic():
            return _file(
                actor=actor,
                channel=channel,
                cleaned=cleaned,
                who=who,
                field_of_life=field_of_life,
                incident_date=incident_date,
                key_hash=key_hash,
                fingerprint=fingerprint,
            )
    except IntegrityError:
        if key_hash is None:
            raise
        previous = _replay(key_hash, fingerprint)
        if previous is None:
            raise
        return previous


def _replay(key_hash: str, fingerprint: str) -> Submission | None:
    record = IdempotencyKey.objects.select_related("complaint").filter(key_hash=key_hash).first()
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused
    with transaction.atomic():
        receipt = receipt_new()
        Complaint.objects.filter(pk=record.complaint_id).update(receipt_hash=receipt_hash(receipt))
    return Submission(complaint=record.complaint, receipt=receipt, created=False)


def _file(*, actor, channel, cleaned, who, field_of_life, incident_date, key_hash, fingerprint):
    now = timezone.now()
    receipt = receipt_new()
    complaint = Complaint.objects.create(
        reference=_reference_next(),
        field_of_life=field_of_life,
        description=cleaned["description"],
        incident_date=incident_date,
        location=cleaned["location"],
        anonymous=False,
        # No account link (complainant_hash): never the staff member's.
        contact_name=who["name"],
        contact_email=cleaned["email"],
        contact_phone=who["phone"],
        channel=channel,
        taken_by=actor,
        receipt_hash=receipt_hash(receipt),
        consent_at=now,
        triage_due=now + deadlines.period("triage"),
        sealed_grounds=grounds_seal(cleaned["codes"]),
    )
    if key_hash:
        IdempotencyKey.objects.create(
            key_hash=key_hash, fingerprint=fingerprint, complaint=complaint
        )
    ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.SUBMITTED,
        to_status=Status.SUBMITTED,
    )
    deadlines.deadlines_on_status(complaint=complaint, now=now)
    tell_staff(supervisors(), kind="complaint.submitted", complaint=complaint, actor=actor)
    return Submission(complaint=complaint, receipt=receipt, created=True)
