"""Writes for complaints. Every change is one service: atomic, one timeline
event, notifications scheduled on commit (payloads carry the reference only)."""

from __future__ import annotations

import datetime
import json
import secrets
from dataclasses import dataclass

import django_fsm
from django.conf import settings
from django.core import exceptions as django_exceptions
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from guardian.shortcuts import assign_perm, remove_perm

from accounts.rules import is_authenticated
from core.errors import Hidden, Invalid, NotNow, Raced, TransitionRefused
from core.models import Notification
from core.permissions import may
from core.private_storage import atomic_private_file, private_file_delete_on_commit
from core.sanitize import clean_text
from core.services import (
    database_checkpoint,
    notifications_send,
    task_results_prune,
    task_rows_delete,
)
from core.tasks import enqueue_on_commit
from core.throttle import FailureLimiter
from core.uploads import clean_upload

from . import conflicts, deadlines, live, selectors, staff_notify
from .grounds import FieldOfLife, Ground
from .models import (
    CONTACT_NAME_MAX_LENGTH,
    CONTACT_PHONE_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    FINISHED_STATUSES,
    IDEMPOTENCY_WINDOW_HOURS,
    LOCATION_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    NOTE_REQUIRED,
    PUBLIC_REASON_REQUIRED,
    TRANSITIONS,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintMessage,
    EventKind,
    IdempotencyKey,
    ReferenceCounter,
    Status,
    grounds_seal,
)
from .refusals import invalid, refused
from .rules import (
    CHANGE,
    VIEW,
    case_people,
)
from .staff_notify import supervisors as _supervisors
from .staff_notify import tell_staff as _tell_staff

RECEIPT_DIGITS = 16
# Queued by name (core.tasks.enqueue_on_commit): complaints.tasks may use these services.
COMPLAINANT_NEWS_EMAIL = "complaints.tasks.complainant_news_email"


def _too_long(limit: int) -> str:
    return _("This text is too long (at most %(max)s characters).") % {"max": limit}


def triage_days() -> int:
    return int(getattr(settings, "COMPLAINTS_TRIAGE_DAYS", 14))


def investigation_days() -> int:
    return int(getattr(settings, "COMPLAINTS_INVESTIGATION_DAYS", 90))


# --- receipts and keys --------------------------------------------------------


def receipt_new() -> str:
    """16 random digits from `secrets`, grouped by four for reading aloud."""
    digits = "".join(secrets.choice("0123456789") for _ in range(RECEIPT_DIGITS))
    return "-".join(digits[i : i + 4] for i in range(0, RECEIPT_DIGITS, 4))


def receipt_hash(receipt: str) -> str:
    """The only form in which a receipt is stored.

    A keyed hash (HMAC-SHA256, key derived from SECRET_KEY by Django's
    salted_hmac), not a slow password hash: the lookup must find the case from
    the receipt alone, so the hash cannot carry a per-row salt, and 16 random
    digits (~53 bits) cannot be guessed online (issue 4 adds a 429 on repeated
    failures). The secret key is what stops offline guessing from a stolen
    database: without it the hashes reveal nothing. Rotating SECRET_KEY
    therefore retires the old receipts; that is documented for operators.
    """
    digits = "".join(ch for ch in receipt if ch.isdigit())
    return salted_hmac("complaints.receipt", digits, algorithm="sha256").hexdigest()


def _keyed(namespace: str, value: str) -> str:
    return salted_hmac(namespace, value, algorithm="sha256").hexdigest()


def _reference_next() -> str:
    """HR-<year>-<6 digits>. The counter row is updated in place, so its lock
    is held until commit: concurrent submissions queue on it, none shares a number."""
    year = timezone.localdate().year
    for _attempt in range(3):
        if ReferenceCounter.objects.filter(year=year).update(last=F("last") + 1):
            number = ReferenceCounter.objects.get(year=year).last
            return f"HR-{year}-{number:06d}"
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(year=year, last=1)
            return f"HR-{year}-{1:06d}"
        except IntegrityError:
            continue  # another submission created the year's row first: take the next number
    raise RuntimeError("Could not take a complaint reference number.")


# --- people to tell -------------------------------------------------------------


def _people_on_case(complaint: Complaint) -> list:
    return [g.user for g in complaint.assignee_permissions().select_related("user")]


def _account_link(user) -> dict:
    """The complaint's columns that tie it to `user`'s account (Complaint.link_account)."""
    probe = Complaint()
    probe.link_account(user)
    return {
        "complainant_hash": probe.complainant_hash,
        "complainant_account": probe.complainant_account,
    }


def _recorded(actor, complaint: Complaint):
    """The account to record on a case's row: the office's, never the
    complainant's (their account stays out of plain sight, so their own
    events, messages and files have no account on them), and none for a
    receipt session."""
    if not is_authenticated(actor):
        return None
    if may(actor, "complaints.complain", complaint) and not may(
        actor, "complaints.staff_view", complaint
    ):
        return None
    return actor


def _event(complaint: Complaint, *, actor, kind: str, **fields) -> ComplaintEvent:
    return ComplaintEvent.objects.create(
        complaint=complaint, actor=_recorded(actor, complaint), kind=kind, **fields
    )


# --- submission -----------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    complaint: Complaint
    receipt: str | None
    created: bool
    # The status the first answer gave (a replay repeats it, whatever the case is now).
    status: str = Status.SUBMITTED


PHONE_CHARACTERS = frozenset("0123456789+-() .")


def _clean_contact(*, named_without_account: bool, name, email, phone, errors) -> dict:
    """A named complaint filed without an account needs a name and a way to be
    reached (e-mail or phone); an anonymous one may leave an e-mail for news."""
    name = clean_text(name or "").strip()
    email = (email or "").strip()
    phone = (phone or "").strip()
    if email:
        try:
            validate_email(email)
        except django_exceptions.ValidationError:  # the validator's, caught here
            errors["contact_email"] = [
                _("Enter your e-mail address in the right form, like name@example.com.")
            ]
    if phone:
        digits = sum(ch.isdigit() for ch in phone)
        if len(phone) > CONTACT_PHONE_MAX_LENGTH or set(phone) - PHONE_CHARACTERS or digits < 8:
            errors["contact_phone"] = [
                _("Enter your phone number with its area code, like 010-1234-5678.")
            ]
    if not named_without_account:
        return {"name": "", "email": email, "phone": ""}
    if not name:
        errors["contact_name"] = [
            _("Tell us your name, so the office knows who you are, or choose anonymous.")
        ]
    elif len(name) > CONTACT_NAME_MAX_LENGTH:
        errors["contact_name"] = [_too_long(CONTACT_NAME_MAX_LENGTH)]
    if not email and not phone and "contact_email" not in errors:
        errors["contact_email"] = [
            _("Give an e-mail address or a phone number, so the office can reach you.")
        ]
    return {"name": name, "email": email, "phone": phone}


def _clean_submission(
    *,
    grounds,
    field_of_life,
    description,
    incident_date,
    location,
    named_without_account=False,
    contact_name="",
    contact_email="",
    contact_phone="",
) -> dict:
    errors: dict[str, list[str]] = {}
    codes = list(dict.fromkeys(grounds or []))
    valid = set(Ground.values)
    if not codes:
        errors["grounds"] = [
            _("Choose at least one reason why you think you were treated this way.")
        ]
    elif unknown := [c for c in codes if c not in valid]:
        errors["grounds"] = [
            _("Unknown reason: %(codes)s.") % {"codes": ", ".join(map(str, unknown))}
        ]
    if field_of_life not in FieldOfLife.values:
        errors["field_of_life"] = [_("Choose where it happened.")]
    text = clean_text(description or "").strip()
    if not text:
        errors["description"] = [_("Tell us what happened.")]
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = [_too_long(DESCRIPTION_MAX_LENGTH)]
    if incident_date and incident_date > timezone.localdate():
        errors["incident_date"] = [_("The date cannot be in the future.")]
    place = clean_text(location or "").strip()
    if len(location or "") > LOCATION_MAX_LENGTH:
        errors["location"] = [_too_long(LOCATION_MAX_LENGTH)]
    contact = _clean_contact(
        named_without_account=named_without_account,
        name=contact_name,
        email=contact_email,
        phone=contact_phone,
        errors=errors,
    )
    if errors:
        raise invalid(errors)
    return {"codes": codes, "description": text, "location": place, **contact}


# The code of the TooFast (core.throttle.Limited) a filing past the limits gets.
TOO_MANY_COMPLAINTS = "too_many_complaints"


@dataclass(frozen=True)
class FilingLimits:
    """Generous limits on new complaints, per client address (keyed hash,
    core.throttle.client_key) and per session: a shelter's shared connection
    still gets through, a script filing hundreds does not."""

    client: str
    session: str = ""

    def _limiters(self):
        window = int(getattr(settings, "COMPLAINTS_FILINGS_WINDOW_SECONDS", 3600))
        yield (
            FailureLimiter(
                "complaints.filing.client",
                limit=int(getattr(settings, "COMPLAINTS_FILINGS_PER_CLIENT", 30)),
                window_seconds=window,
                code=TOO_MANY_COMPLAINTS,
            ),
            self.client,
        )
        if self.session:
            yield (
                FailureLimiter(
                    "complaints.filing.session",
                    limit=int(getattr(settings, "COMPLAINTS_FILINGS_PER_SESSION", 10)),
                    window_seconds=window,
                    code=TOO_MANY_COMPLAINTS,
                ),
                _keyed("complaints.filing.session", self.session),
            )

    def check(self) -> None:
        for limiter, key in self._limiters():
            limiter.check(key)

    def count(self) -> None:
        for limiter, key in self._limiters():
            limiter.fail(key)  # FailureLimiter counts events; here, each filing


def idempotency_window() -> datetime.timedelta:
    return datetime.timedelta(hours=IDEMPOTENCY_WINDOW_HOURS)


def idempotency_keys_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the Idempotency-Key rows older than the window, and with them the
    encrypted copy of the receipt they keep. Run at every keyed submission (one
    indexed DELETE) and by `manage.py purge_complaints`; returns the count."""
    cutoff = (now or timezone.now()) - idempotency_window()
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def complaint_submit(
    *,
    grounds: list[str],
    description: str,
    anonymous: bool,
    user=None,
    field_of_life: str = FieldOfLife.OTHER,
    incident_date: datetime.date | None = None,
    location: str = "",
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    idempotency_key: str | None = None,
    limits: FilingLimits | None = None,
) -> Submission:
    """File a complaint. Anonymous complaints are not linked to the account even
    when signed in. A named complaint by a signed-in person is tied to the
    account; filed without an account it needs `contact_name` and an e-mail or
    a phone number (encrypted at rest). Every complaint without an account gets
    a receipt (returned once; only its hash is kept on the case). With
    `idempotency_key`, a retry within the window (one after another or in
    parallel) gets the first answer: the same complaint and the same receipt,
    never a second one. With `limits`, a new filing (not a replay) past the
    per-client or per-session limit raises core.throttle.Limited."""
    owner = user if (is_authenticated(user) and not anonymous) else None
    cleaned = _clean_submission(
        grounds=grounds,
        field_of_life=field_of_life,
        description=description,
        incident_date=incident_date,
        location=location,
        named_without_account=not anonymous and owner is None,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
    )
    key_hash = fingerprint = None
    if idempotency_key:
        idempotency_keys_expire()
        # The key is scoped to the caller, so another person's key opens nothing.
        key_hash = _keyed(
            "complaints.idempotency", f"{owner.pk if owner else '-'}:{idempotency_key}"
        )
        fingerprint = _keyed(
            "complaints.idempotency.body",
            json.dumps(
                [
                    sorted(cleaned["codes"]),
                    cleaned["description"],
                    str(incident_date),
                    anonymous,
                    cleaned["name"],
                    cleaned["email"],
                    cleaned["phone"],
                ],
                ensure_ascii=False,
            ),
        )
        previous = _idempotent_replay(key_hash, fingerprint)
        if previous is not None:
            return previous
    if limits is not None:
        limits.check()
    try:
        with transaction.atomic():
            submission = _submit(
                cleaned=cleaned,
                field_of_life=field_of_life,
                incident_date=incident_date,
                anonymous=anonymous,
                owner=owner,
                key_hash=key_hash,
                fingerprint=fingerprint,
            )
        if limits is not None:
            limits.count()
        return submission
    except IntegrityError:
        if key_hash is None:
            raise
        # A concurrent retry with the same key won the unique constraint: this
        # attempt rolled back whole (its case, its receipt); answer with the winner's.
        previous = _idempotent_replay(key_hash, fingerprint or "")
        if previous is None:
            raise
        return previous


class IdempotencyKeyReused(NotNow):
    """The same Idempotency-Key came with a different complaint."""

    default_code = "idempotency_key_reused"
    default_message = gettext_lazy(
        "This Idempotency-Key was already used for a different complaint."
    )


def _idempotent_replay(key_hash: str, fingerprint: str) -> Submission | None:
    """The first answer again: its complaint, the receipt it gave (kept
    encrypted on the key's row for the window) and the status it had."""
    record = (
        IdempotencyKey.objects.select_related("complaint")
        .filter(key_hash=key_hash, created_at__gte=timezone.now() - idempotency_window())
        .first()
    )
    if record is None:
        return None
    if record.fingerprint != fingerprint:
        raise IdempotencyKeyReused
    return Submission(complaint=record.complaint, receipt=record.receipt or None, created=False)


def _submit(*, cleaned, field_of_life, incident_date, anonymous, owner, key_hash, fingerprint):
    now = timezone.now()
    # Everyone without an account gets a way back (CONTRACT.md section 3).
    receipt = receipt_new() if owner is None else None
    complaint = Complaint.objects.create(
        reference=_reference_next(),
        field_of_life=field_of_life,
        description=cleaned["description"],
        incident_date=incident_date,
        location=cleaned["location"],
        anonymous=anonymous,
        contact_name=cleaned["name"],
        contact_email=cleaned["email"],
        contact_phone=cleaned["phone"],
        receipt_hash=receipt_hash(receipt) if receipt else None,
        consent_at=now,
        triage_due=now + datetime.timedelta(days=triage_days()),
        sealed_grounds=grounds_seal(cleaned["codes"]),
        **_account_link(owner),
    )
    if key_hash:
        # Inserted in the same transaction as the case: a parallel retry that
        # loses this unique row rolls back its own case and receipt entirely.
        IdempotencyKey.objects.create(
            key_hash=key_hash, fingerprint=fingerprint, complaint=complaint, receipt=receipt or ""
        )
    # The complainant is not recorded as the actor (that would put their account
    # beside the case in plain form): their events have no actor.
    _event(complaint, actor=None, kind=EventKind.SUBMITTED, to_status=Status.SUBMITTED)
    deadlines.deadlines_on_status(complaint=complaint, now=now)
    _tell_staff(_supervisors(), kind="complaint.submitted", complaint=complaint)
    return Submission(complaint=complaint, receipt=receipt, created=True)


# --- assignment -----------------------------------------------------------------


def complaint_assign(
    *, complaint: Complaint, actor, caseworker, override_reason: str = ""
) -> Complaint:
    """The supervisor puts a caseworker on the case: they get it, and are told.
    A declared conflict (a recusal from this case, a standing conflict with its
    other party) needs `override_reason` (complaints.conflicts), else
    conflicts.ConflictDeclared."""
    if not may(actor, "complaints.assign", complaint):
        raise refused(actor, complaint)
    if not (caseworker and caseworker.is_active and may(caseworker, "complaints.be_assigned")):
        raise Invalid(_("Choose a caseworker of the office."), field="caseworker")
    with transaction.atomic():
        if complaint.assignee_permissions().filter(user=caseworker).exists():
            return complaint
        override = conflicts.assignment_check(
            complaint=complaint, caseworker=caseworker, override_reason=override_reason
        )
        assign_perm(f"complaints.{VIEW}", caseworker, complaint)
        assign_perm(f"complaints.{CHANGE}", caseworker, complaint)
        _event(complaint, actor=actor, kind=EventKind.ASSIGNED, subject=caseworker)
        if override:
            conflicts.override_record(
                complaint=complaint, actor=actor, caseworker=caseworker, reason=override
            )
        _tell_staff([caseworker], kind="complaint.assigned", complaint=complaint, actor=actor)
    complaint.__dict__.pop("_rule_cache", None)
    return complaint


def _revoke(complaint: Complaint, user) -> None:
    remove_perm(f"complaints.{VIEW}", user, complaint)
    remove_perm(f"complaints.{CHANGE}", user, complaint)
    complaint.__dict__.pop("_rule_cache", None)


def complaint_unassign(*, complaint: Complaint, actor, caseworker) -> Complaint:
    """The supervisor takes a caseworker off the case; their access ends at once."""
    if not may(actor, "complaints.assign", complaint):
        raise refused(actor, complaint)
    with transaction.atomic():
        if not complaint.assignee_permissions().filter(user=caseworker).exists():
            raise Invalid(_("This person is not on the case."), field="caseworker")
        _revoke(complaint, caseworker)
        _event(complaint, actor=actor, kind=EventKind.UNASSIGNED, subject=caseworker)
    return complaint


def complaint_recuse(*, complaint: Complaint, actor, note: str = "") -> Complaint:
    """A caseworker declares a conflict of interest: they lose the case and the
    supervisor is told to reassign it."""
    if not may(actor, "complaints.recuse", complaint):
        raise refused(actor, complaint)
    note = clean_text(note or "").strip()[:NOTE_MAX_LENGTH]
    with transaction.atomic():
        _revoke(complaint, actor)
        _event(complaint, actor=actor, kind=EventKind.RECUSED, subject=actor, note=note)
        _tell_staff(_supervisors(), kind="complaint.recused", complaint=complaint, actor=actor)
    return complaint


# --- state machine -------------------------------------------------------------


def _clean_note(transition: str, note: str) -> str:
    if len(note or "") > NOTE_MAX_LENGTH:
        raise Invalid(_too_long(NOTE_MAX_LENGTH), field="note")
    text = clean_text(note or "").strip()
    if transition in NOTE_REQUIRED and not text:
        messages = {
            "reject": _("Give the reason for rejecting the complaint."),
            "refer": _("Name the body the complaint is referred to."),
            "decide": _("Write the finding and the recommendation."),
        }
        raise Invalid(messages[transition], field="note")
    return text


def _clean_public_reason(transition: str, public_reason: str) -> str:
    if len(public_reason or "") > NOTE_MAX_LENGTH:
        raise Invalid(_too_long(NOTE_MAX_LENGTH), field="public_reason")
    text = clean_text(public_reason or "").strip()
    if transition in PUBLIC_REASON_REQUIRED and not text:
        raise Invalid(
            _(
                "Write the reason for the complainant, in plain words: "
                "they will read it word for word."
            ),
            field="public_reason",
        )
    return text


def complaint_transition(
    *, complaint: Complaint, actor, transition: str, note: str = "", public_reason: str = ""
) -> Complaint:
    """Move the case along the contract's state machine. `reject` and `refer`
    need a `public_reason`, written for the complainant (apart from the
    internal note). The complainant hears of every change: in-app for an
    account, an e-mail without case content for a contact address.

    Raises TransitionRefused (wrong state / unmet condition: 409), Hidden
    (may not see the case: 404), Refused (may see, may not move: 403),
    Invalid (note, public_reason or transition: 400),
    core.errors.Raced (another change won a race: 409; it is also a
    django_fsm.ConcurrentTransition).
    """
    if transition not in TRANSITIONS:
        raise Invalid(_("Unknown move: %(name)s.") % {"name": transition}, field="transition")
    case_people(complaint)  # one read answers the grant checks below and the save's recipients
    if not may(actor, "complaints.view", complaint):
        raise Hidden
    method = getattr(complaint, transition)
    if not django_fsm.can_proceed(method, check_conditions=False):
        raise TransitionRefused(
            _("This move is not possible while the case is “%(status)s”.")
            % {"status": complaint.get_status_display()}
        )
    if not django_fsm.has_transition_perm(method, actor):
        if not method._django_fsm.has_transition_perm(complaint, complaint.status, actor):
            raise refused(actor, complaint)
        raise TransitionRefused(_("Assign a caseworker before accepting the case."))
    text = _clean_note(transition, note)
    reason = _clean_public_reason(transition, public_reason)
    try:
        return _transition_save(complaint, actor=actor, method=method, note=text, reason=reason)
    except django_fsm.ConcurrentTransition:
        raise Raced(_("Someone else changed this case just now. Reload and try again.")) from None


def _transition_save(complaint: Complaint, *, actor, method, note: str, reason: str) -> Complaint:
    """The move in few statements (issue 21): the case's people were read once
    (rules.case_people, with the permission checks); one UPDATE of the case,
    guarded by its old state (django-fsm's ConcurrentTransitionMixin: a lost
    race raises ConcurrentTransition and rolls back the whole move), carries
    the status and the mirrored due dates; then the clocks, the event and the
    notifications in one INSERT."""
    people = case_people(complaint)
    with transaction.atomic():
        now = timezone.now()
        from_status = complaint.status
        method()
        # The clocks of the state left end, the one of the state entered starts.
        clocks = deadlines.clocks_for_move(complaint=complaint, from_status=from_status, now=now)
        fields = ["status", "updated_at", "triage_due", "investigation_due"]
        if from_status in FINAL_STATUSES and complaint.status not in FINAL_STATUSES:
            # Reopened: a purge warning given while it was finished no longer holds.
            complaint.purge_warned_at = None
            fields.append("purge_warned_at")
        complaint.save(update_fields=fields)
        clocks()
        _event(
            complaint,
            actor=actor,
            kind=EventKind.TRANSITION,
            from_status=from_status,
            to_status=complaint.status,
            note=note,
            public_reason=reason,
        )
        staff = staff_notify.staff_notifications(
            [*people.assignees, *people.supervisors],
            kind="complaint.transition",
            complaint=complaint,
            actor=actor,
        )
        others: list[Notification] = []
        if not may(actor, "complaints.complain", complaint):
            if people.complainant is not None:
                others.append(_complainant_notification(people.complainant, "complaint.status"))
            _tell_complainant_by_email(complaint)
        staff_notify.send(staff, others)
        live.case_changed(complaint_id=complaint.pk, what=live.STATUS)
    return complaint


def _complainant_notification(user, kind: str) -> Notification:
    # Stored with the account: it names no case (the account and the case are
    # never side by side in plain form); the link opens their list.
    return Notification(user=user, kind=kind, payload={}, url=reverse("complaints:mine"))


def _tell_complainant(complaint: Complaint, *, kind: str) -> None:
    """In-app for an account; for a contact address, an e-mail on commit that
    says only that there is news (complaints.tasks)."""
    user = complaint.complainant_user() if complaint.has_account else None
    if user is not None:
        notifications_send([_complainant_notification(user, kind)])
    _tell_complainant_by_email(complaint)


def complaint_available_transitions(*, complaint: Complaint, user) -> list[str]:
    """The moves this user may make now (what the case page offers as buttons)."""
    if not may(user, "complaints.view", complaint):
        return []
    return [
        t.name
        for t in complaint.get_available_user_status_transitions(user)  # type: ignore[attr-defined]
    ]


# --- notes, access log, messages -----------------------------------------------


def complaint_note_add(*, complaint: Complaint, actor, note: str) -> ComplaintEvent:
    """An internal note: the office only, never shown to the complainant."""
    if not may(actor, "complaints.note", complaint):
        raise refused(actor, complaint)
    text = clean_text(note or "").strip()
    if not text:
        raise Invalid(_("Write the note."), field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise Invalid(_too_long(NOTE_MAX_LENGTH), field="note")
    with transaction.atomic():
        return _event(complaint, actor=actor, kind=EventKind.NOTE, note=text)


def complaint_open(*, user, reference: str) -> Complaint:
    """The one door to a case's content (docs/architecture.md, "One door"):
    the case if `user` may see it (else 404, as for a reference that does not
    exist), with one `viewed` event when `user` is of the office. Every route
    that shows case content (the casework page, the complainant's page opened
    by staff, the API detail, an attachment download) opens the case here."""
    complaint = selectors.complaint_get_for(user=user, reference=reference)
    complaint_view_log(complaint=complaint, viewer=user)
    return complaint


def complaint_view_log(*, complaint: Complaint, viewer) -> None:
    """The access log: every time someone of the office reads the case's
    content. Routes open cases with complaint_open; this is for the reads that
    already hold the case (a decision's redaction check)."""
    if may(viewer, "complaints.staff_view", complaint):
        with transaction.atomic():
            _event(complaint, actor=viewer, kind=EventKind.VIEWED)


def complaint_views_log(*, complaints: list[Complaint], viewer) -> None:
    """The access log for an export with narratives or contacts: one `viewed`
    event per case in it (the export's viewer may see every one of them)."""
    with transaction.atomic():
        ComplaintEvent.objects.bulk_create(
            [ComplaintEvent(complaint=c, actor=viewer, kind=EventKind.VIEWED) for c in complaints]
        )


def _tell_complainant_by_email(complaint: Complaint) -> None:
    """After commit, a mail saying only that there is news (complaints.tasks)."""
    if not complaint.contact_email:
        return
    enqueue_on_commit(COMPLAINANT_NEWS_EMAIL, complaint_id=str(complaint.pk))


class CaseFinished(NotNow):
    """The case is closed, rejected, referred or withdrawn: nothing more can be added."""

    default_code = "case_finished"
    default_message = gettext_lazy(
        "This complaint is finished, so no more messages or files can be added. "
        "If something is wrong, file a new complaint or contact the office."
    )


def _refuse_if_finished(complaint: Complaint) -> None:
    if complaint.status in FINAL_STATUSES:
        raise CaseFinished


def complaint_message_post(*, complaint: Complaint, author, body: str) -> ComplaintMessage:
    """A message between the office and the complainant. The office's message
    reaches the complainant (notification if they have an account, e-mail if
    they gave one); the complainant's reply reaches the caseworkers on the case
    (or, while nobody is assigned, the supervisors) and nobody else."""
    if not may(author, "complaints.message", complaint):
        raise refused(author, complaint)
    _refuse_if_finished(complaint)
    text = clean_text(body or "").strip()
    if not text:
        raise Invalid(_("Write your message."), field="body")
    if len(body) > NOTE_MAX_LENGTH:
        raise Invalid(_too_long(NOTE_MAX_LENGTH), field="body")
    from_office = may(author, "complaints.staff_view", complaint)
    with transaction.atomic():
        message = ComplaintMessage.objects.create(
            complaint=complaint,
            author=_recorded(author, complaint),
            from_office=from_office,
            body=text,
        )
        deadlines.deadlines_on_message(complaint=complaint, from_office=from_office)
        if from_office:
            _tell_complainant(complaint, kind="complaint.message")
        else:
            _tell_staff(
                _people_on_case(complaint) or list(_supervisors()),
                kind="complaint.message",
                complaint=complaint,
                actor=author,
            )
        live.case_changed(complaint_id=complaint.pk, what=live.MESSAGE)
    return message


# --- receipts: the complainant comes back --------------------------------------


class ReceiptUnknown(Hidden):
    """No case answers this receipt (wrong and unknown look the same: 404)."""


def _receipt_limiter() -> FailureLimiter:
    return FailureLimiter(
        "complaints.receipt",
        limit=int(getattr(settings, "COMPLAINTS_RECEIPT_MAX_FAILURES", 5)),
        window_seconds=int(getattr(settings, "COMPLAINTS_RECEIPT_WINDOW_SECONDS", 15 * 60)),
    )


def complaint_receipt_open(*, receipt: str, client: str) -> Complaint:
    """The case a receipt opens. Raises Limited (too many failures from this
    client: 429) or ReceiptUnknown. A malformed, wrong or unknown receipt takes
    the same path (one keyed hash, one indexed lookup) and counts as a failure;
    only this client is slowed down, keyed by core.throttle.client_key."""
    limiter = _receipt_limiter()
    limiter.check(client)
    digits = "".join(ch for ch in receipt or "" if ch.isdigit())
    complaint = selectors.complaint_by_receipt_hash(receipt_hash=receipt_hash(digits))
    if complaint is None or len(digits) != RECEIPT_DIGITS:
        limiter.fail(client)
        raise ReceiptUnknown
    limiter.reset(client)
    return complaint


# --- evidence files --------------------------------------------------------------


def complaint_attachment_add(*, complaint: Complaint, actor, uploaded_file) -> ComplaintAttachment:
    """Store an evidence file: checked by content, image metadata removed,
    encrypted, and written together with its row (no orphan file, no row
    without its file). Raises Hidden, Refused, CaseFinished or
    core.uploads.UploadRejected."""
    if not may(actor, "complaints.attach", complaint):
        raise refused(actor, complaint)
    _refuse_if_finished(complaint)
    upload = clean_upload(uploaded_file)
    by_complainant = not may(actor, "complaints.staff_view", complaint)
    with atomic_private_file(upload.data) as key:
        attachment = ComplaintAttachment.objects.create(
            complaint=complaint,
            storage_key=key,
            name=upload.name,
            size=upload.size,
            content_type=upload.content_type,
            uploaded_by=_recorded(actor, complaint),
            by_complainant=by_complainant,
        )
        _event(complaint, actor=actor, kind=EventKind.ATTACHMENT_ADDED)
        if by_complainant:
            _tell_staff(
                _people_on_case(complaint) or list(_supervisors()),
                kind="complaint.attachment",
                complaint=complaint,
                actor=actor,
            )
    return attachment


# --- retention ---------------------------------------------------------------------

FINAL_STATUSES = FINISHED_STATUSES


def retention_days() -> int:
    return int(getattr(settings, "COMPLAINTS_RETENTION_DAYS", 5 * 365))


def purge_warning_days() -> int:
    return int(getattr(settings, "COMPLAINTS_PURGE_WARNING_DAYS", 30))


@dataclass(frozen=True)
class PurgeRun:
    warned: list[str]
    purged: list[str]


def complaints_unlink_account(*, user) -> int:
    """A resident deletes their account: their complaints stay with the office
    (the case goes on, the receipt or contact address still reaches them) but no
    longer name the account. Returns how many cases were unlinked."""
    with transaction.atomic():
        return Complaint.objects.filed_by(user).update(
            complainant_hash=None, complainant_account=""
        )


def complaints_purge(*, now: datetime.datetime | None = None, dry_run: bool = False) -> PurgeRun:
    """Run by `manage.py purge_complaints` from a scheduler, e.g. daily.

    A case in a final state is due `COMPLAINTS_RETENTION_DAYS` after its last
    state change. Supervisors are warned (once per final state) from
    `COMPLAINTS_PURGE_WARNING_DAYS` before; a case goes no earlier than that
    many days after its warning, so a late run still gives the full notice.
    The purge removes the case and everything about it: grounds, permissions,
    events, messages, evidence files, idempotency rows, notifications, the
    task rows that name it; then the SQLite write-ahead log is checkpointed
    and finished task rows are pruned (core.services). Every run also deletes
    the Idempotency-Key rows past their 24-hour window."""
    now = now or timezone.now()
    if not dry_run:
        idempotency_keys_expire(now=now)
    warned: list[str] = []
    purged: list[str] = []
    notice = datetime.timedelta(days=purge_warning_days())
    for complaint in selectors.complaints_in_final_state():
        last_change: datetime.datetime = complaint.last_change  # type: ignore[attr-defined]
        due = last_change + datetime.timedelta(days=retention_days())
        warned_at = complaint.purge_warned_at
        warning_valid = warned_at is not None and warned_at >= last_change
        if warned_at is not None and warning_valid and now >= max(due, warned_at + notice):
            purged.append(complaint.reference)
            if not dry_run:
                _purge(complaint)
        elif not warning_valid and now >= due - notice:
            warned.append(complaint.reference)
            if not dry_run:
                _warn_purge(complaint, now=now)
    if purged and not dry_run:
        task_results_prune()
        database_checkpoint()
    return PurgeRun(warned=warned, purged=purged)


def _warn_purge(complaint: Complaint, *, now) -> None:
    with transaction.atomic():
        # Recorded on the row, so a second run does not warn again.
        updated = Complaint.objects.filter(pk=complaint.pk, status__in=FINAL_STATUSES).update(
            purge_warned_at=now
        )
        if updated:
            _tell_staff(_supervisors(), kind="complaint.purge_warning", complaint=complaint)


def _purge_task_rows(complaint: Complaint, *, notification_ids: list[int]) -> None:
    task_rows_delete(task=COMPLAINANT_NEWS_EMAIL, kwarg="complaint_id", values=[str(complaint.pk)])
    task_rows_delete(
        task="core.tasks.send_notification_email", kwarg="notification_id", values=notification_ids
    )


def _purge(complaint: Complaint) -> None:
    with transaction.atomic():
        locked = (
            Complaint.objects.select_for_update()
            .filter(pk=complaint.pk, status__in=FINAL_STATUSES)
            .first()
        )
        if locked is None:
            return  # reopened meanwhile
        keys = list(
            ComplaintAttachment.objects.filter(complaint=locked).values_list(
                "storage_key", flat=True
            )
        )
        notifications = Notification.objects.filter(payload__reference=locked.reference)
        _purge_task_rows(locked, notification_ids=list(notifications.values_list("pk", flat=True)))
        notifications.delete()
        # Events are append-only for the application; they go with their case
        # (the cascade deletes them in SQL, not through EventQuerySet.delete).
        locked.delete()
        for key in keys:
            private_file_delete_on_commit(key)
