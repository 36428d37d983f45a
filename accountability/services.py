"""Writes of the accountability records that have their own workflow: the
anonymised decisions (caseworker writes, supervisor approves, then public).
Indicators, departments and recommendations are edited as Wagtail snippets."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.selectors import supervisors_active
from complaints import selectors as complaint_selectors
from complaints import services as complaint_services
from complaints.grounds import FieldOfLife, Ground
from core.errors import Hidden, Invalid, NotNow, Refused
from core.permissions import may
from core.services import notification_send

from . import redaction
from .models import (
    TEXT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Decision,
    DecisionState,
    Outcome,
    Recommendation,
)
from .selectors import recommendations_overdue

DECIDED_STATUSES = ("decided", "closed")
TEXT_FIELDS = (
    "title_ko",
    "title_en",
    "summary_ko",
    "summary_en",
    "easy_read_ko",
    "easy_read_en",
    "body_ko",
    "body_en",
)


def decision_case_for(*, user, reference: str):
    """The decided case `user` may write a decision for, or 404."""
    complaint = complaint_selectors.complaint_get_for(user=user, reference=reference)
    probe = Decision(complaint=complaint)
    if not may(user, "accountability.write", probe):
        raise Hidden
    if complaint.status not in DECIDED_STATUSES:
        raise NotNow(_("Only a decided case can be published."), code="not_decided")
    return complaint


def _clean(data: dict) -> dict:
    errors = {}
    cleaned = {}
    for field in TEXT_FIELDS:
        value = (data.get(field) or "").strip()
        limit = TITLE_MAX_LENGTH if field.startswith("title") else TEXT_MAX_LENGTH
        if len(value) > limit:
            errors[field] = _("This text is too long (at most %(max)s characters).") % {
                "max": limit
            }
        cleaned[field] = value
    for field in ("title_ko", "summary_ko", "easy_read_ko", "body_ko"):
        english = field.replace("_ko", "_en")
        if not cleaned[field] and not cleaned[english]:
            errors[field] = _("Write this in at least one language.")
    grounds = [g for g in data.get("grounds") or [] if g]
    if any(g not in Ground.values for g in grounds):
        errors["grounds"] = _("Choose grounds from the list.")
    if not grounds:
        errors["grounds"] = _("Choose at least one ground.")
    cleaned["grounds"] = grounds
    if data.get("field_of_life") not in FieldOfLife.values:
        errors["field_of_life"] = _("Choose a field of life from the list.")
    cleaned["field_of_life"] = data.get("field_of_life")
    if data.get("outcome") not in Outcome.values:
        errors["outcome"] = _("Choose an outcome from the list.")
    cleaned["outcome"] = data.get("outcome")
    decided_on = data.get("decided_on")
    if isinstance(decided_on, str):
        try:
            decided_on = datetime.date.fromisoformat(decided_on)
        except ValueError:
            decided_on = None
    if not isinstance(decided_on, datetime.date):
        errors["decided_on"] = _("Give the date of the decision.")
    cleaned["decided_on"] = decided_on
    if errors:
        listed = [{"field": field, "message": message} for field, message in errors.items()]
        raise Invalid(listed[0]["message"], field=listed[0]["field"], errors=listed)
    return cleaned


def decision_save(*, actor, complaint, data: dict, decision: Decision | None = None) -> Decision:
    """Create or change the draft public version of a decided case. A change to
    a decision awaiting approval sends it back to draft."""
    cleaned = _clean(data)
    with transaction.atomic():
        if decision is None:
            decision = Decision.objects.select_for_update().filter(complaint=complaint).first()
        if decision is None:
            decision = Decision(complaint=complaint, written_by=actor)
        if not may(actor, "accountability.write", decision):
            raise Refused
        if decision.state == DecisionState.PUBLISHED:
            raise NotNow(_("A published decision cannot be changed here."), code="published")
        grounds = cleaned.pop("grounds")
        for field, value in cleaned.items():
            setattr(decision, field, value)
        decision.grounds = grounds
        decision.state = DecisionState.DRAFT
        decision.save()
    return decision


def decision_flags(*, decision: Decision, viewer) -> list[redaction.Flag]:
    """Likely personal data in the draft: reading the case's names is reading
    case content, so it is logged on the case's timeline."""
    complaint = decision.complaint
    names: list[str] = []
    reference = ""
    if complaint is not None:
        complaint_services.complaint_view_log(complaint=complaint, viewer=viewer)
        names = [complaint.contact_name, complaint.respondent_name]
        account = complaint.complainant_user()
        if account is not None:
            names += [account.get_display_name(), account.username]
        reference = complaint.reference
    texts = {field: getattr(decision, field) for field in TEXT_FIELDS}
    return redaction.flags_in(texts, names=names, reference=reference)


def decision_submit(*, decision: Decision, actor) -> Decision:
    """The writer sends the draft to the supervisor."""
    if not may(actor, "accountability.write", decision):
        raise Refused
    with transaction.atomic():
        updated = Decision.objects.filter(pk=decision.pk, state=DecisionState.DRAFT).update(
            state=DecisionState.AWAITING_APPROVAL, updated_at=timezone.now()
        )
    if not updated:
        raise NotNow(_("Only a draft can be sent for approval."), code="wrong_state")
    decision.refresh_from_db()
    return decision


def decision_approve(*, decision: Decision, actor, flags_checked: bool) -> Decision:
    """A supervisor who did not write it publishes it. When the redaction aid
    still flags something, the supervisor must say they checked every flag."""
    if not may(actor, "accountability.approve", decision):
        raise Refused
    if decision_flags(decision=decision, viewer=actor) and not flags_checked:
        raise Invalid(_("Check every flagged passage, then tick the box."), field="flags_checked")
    with transaction.atomic():
        updated = Decision.objects.filter(
            pk=decision.pk, state=DecisionState.AWAITING_APPROVAL
        ).update(
            state=DecisionState.PUBLISHED,
            approved_by=actor,
            published_at=timezone.now(),
            updated_at=timezone.now(),
        )
    if not updated:
        raise NotNow(_("Only a decision awaiting approval can be published."), code="wrong_state")
    decision.refresh_from_db()
    return decision


def decision_return(*, decision: Decision, actor) -> Decision:
    """The supervisor sends it back to the writer."""
    if not may(actor, "accountability.approve", decision):
        raise Refused
    Decision.objects.filter(pk=decision.pk, state=DecisionState.AWAITING_APPROVAL).update(
        state=DecisionState.DRAFT, updated_at=timezone.now()
    )
    decision.refresh_from_db()
    return decision


def decision_unpublish(*, decision: Decision, actor) -> Decision:
    """A supervisor withdraws a published decision (it goes back to draft)."""
    if not may(actor, "accountability.unpublish"):
        raise Refused
    Decision.objects.filter(pk=decision.pk).update(
        state=DecisionState.DRAFT, published_at=None, approved_by=None
    )
    decision.refresh_from_db()
    return decision


# --- recommendations: an unanswered one escalates (manage.py casework_deadlines)


def recommendations_escalate(*, now: datetime.datetime | None = None) -> list[int]:
    """Tell every supervisor once about each recommendation whose department has
    not answered by its due date. `escalated_at` is claimed by a conditional
    update before anyone is told, so a second run (or two at once) tells nobody
    twice; the notice names the recommendation, never a case."""
    now = now or timezone.now()
    supervisors = list(supervisors_active())
    escalated: list[int] = []
    for recommendation in recommendations_overdue(now).filter(escalated_at__isnull=True):
        with transaction.atomic():
            claimed = Recommendation.objects.filter(
                pk=recommendation.pk, escalated_at__isnull=True
            ).update(escalated_at=now)
            if not claimed:
                continue
            payload = {"id": recommendation.pk, "due": recommendation.response_due.isoformat()}
            for user in supervisors:
                with override(user.preferred_language or "ko"):
                    url = reverse("accountability:recommendation", kwargs={"pk": recommendation.pk})
                notification_send(
                    user=user, kind="recommendation.overdue", payload=payload, url=url
                )
        escalated.append(recommendation.pk)
    return escalated
