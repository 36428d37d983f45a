"""Conflicts of interest that stay declared (issue 16).

A recusal is a `recused` event on the append-only timeline, so it stays on
record: assigning that caseworker to that case again needs an override
reason. A caseworker can also declare standing conflicts (an organisation, a
person); assigning them to a case whose other party matches one warns and
needs the same override. An override goes on the timeline (`override`, the
reason as its note) and to every supervisor."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Invalid, NotNow, Refused
from core.permissions import may
from core.sanitize import clean_text

from .casework_models import REASON_MAX_LENGTH, ConflictKind, StandingConflict
from .models import NOTE_MAX_LENGTH, Complaint, ComplaintEvent, EventKind
from .refusals import invalid
from .staff_notify import supervisors, tell_staff

CONFLICT_NAME_MAX_LENGTH = 200


class ConflictDeclared(NotNow):
    """The caseworker declared a conflict with this case: give an override reason."""

    default_code = "conflict_of_interest"


@dataclass(frozen=True)
class Conflict:
    caseworker_id: int
    reason: str  # for the supervisor, names no party


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def _matches(declared: str, respondent: str) -> bool:
    a, b = _normal(declared), _normal(respondent)
    if len(a) < 2 or len(b) < 2:
        return False
    return a == b or a in b or b in a


# --- standing conflicts ---------------------------------------------------------------


def conflict_declare(*, user, kind: str, name: str, note: str = "") -> StandingConflict:
    """A caseworker declares a party they cannot be impartial about."""
    if not may(user, "complaints.declare_conflict"):
        raise Refused(code="permission_denied")
    errors = {}
    if kind not in ConflictKind.values:
        errors["kind"] = [_("Choose an organisation or a person.")]
    text = clean_text(name or "").strip()
    if not text:
        errors["name"] = [_("Write the name of the organisation or person.")]
    elif len(name) > CONFLICT_NAME_MAX_LENGTH:
        errors["name"] = [
            _("This text is too long (at most %(max)s characters).")
            % {"max": CONFLICT_NAME_MAX_LENGTH}
        ]
    if len(note or "") > NOTE_MAX_LENGTH:
        errors["note"] = [
            _("This text is too long (at most %(max)s characters).") % {"max": NOTE_MAX_LENGTH}
        ]
    if errors:
        raise invalid(errors)
    with transaction.atomic():
        return StandingConflict.objects.create(
            user=user, kind=kind, name=text, note=clean_text(note or "").strip()
        )


def conflict_withdraw(*, user, conflict_id: int) -> None:
    """The caseworker withdraws a standing conflict they declared (kept, marked withdrawn)."""
    with transaction.atomic():
        updated = StandingConflict.objects.filter(
            pk=conflict_id, user=user, withdrawn_at__isnull=True
        ).update(withdrawn_at=timezone.now())
    if not updated:
        raise Invalid(_("There is no such declared conflict."), field="conflict")


def conflicts_of(*, user):
    return StandingConflict.objects.filter(user=user, withdrawn_at__isnull=True).order_by(
        "created_at", "id"
    )


# --- checks on assignment ------------------------------------------------------------


def case_conflicts(*, complaint: Complaint, caseworker_ids) -> dict[int, list[str]]:
    """For each caseworker, why assigning them to this case needs an override:
    two queries whatever the number of caseworkers."""
    ids = set(caseworker_ids)
    found: dict[int, list[str]] = {}
    recused = set(
        ComplaintEvent.objects.filter(
            complaint=complaint, kind=EventKind.RECUSED, subject_id__in=ids
        ).values_list("subject_id", flat=True)
    )
    for user_id in recused:
        found.setdefault(user_id, []).append(_("stepped aside from this case before"))
    if complaint.respondent_name:
        for conflict in StandingConflict.objects.filter(
            user_id__in=ids, withdrawn_at__isnull=True
        ).only("user_id", "kind", "name"):
            if _matches(conflict.name, complaint.respondent_name):
                found.setdefault(conflict.user_id, []).append(
                    _("declared a standing conflict with the other party of this case")
                )
    return found


def assignment_check(*, complaint: Complaint, caseworker, override_reason: str) -> str:
    """Called by services.complaint_assign in its transaction. Returns the
    cleaned override reason when one is needed and given ("" when none is
    needed); raises ConflictDeclared when one is needed and missing."""
    reasons = case_conflicts(complaint=complaint, caseworker_ids=[caseworker.pk]).get(caseworker.pk)
    if not reasons:
        return ""
    text = clean_text(override_reason or "").strip()
    if not text or len(override_reason) > REASON_MAX_LENGTH:
        raise ConflictDeclared(
            _(
                "%(name)s %(reasons)s. To assign them anyway, give the reason for the "
                "override; it goes on the timeline and to every supervisor."
            )
            % {"name": caseworker.get_display_name(), "reasons": "; ".join(reasons)}
        )
    return text


def override_record(*, complaint: Complaint, actor, caseworker, reason: str) -> None:
    """The override on the timeline and to every supervisor (the actor too)."""
    ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor,
        kind=EventKind.OVERRIDE,
        subject=caseworker,
        note=reason,
    )
    tell_staff(supervisors(), kind="complaint.conflict_override", complaint=complaint)
