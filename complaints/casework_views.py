"""Casework pages added by issue 16: assisted intake and its printable
receipt, deadline controls, declared conflicts, the triage inbox and exports.
Thin, like complaints.views: validate, call one service or selector, render."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import deadlines, intake
from .casework_forms import ExtendForm, IntakeForm, PauseForm, ResumeForm
from .services import IdempotencyKeyReused
from .views import _case_for_staff, _staff_only, _validation_messages, private_response


def _receipt_context(submission) -> dict:
    receipt = submission.receipt or ""
    groups = receipt.split("-") if receipt else []
    return {
        "reference": submission.complaint.reference,
        "receipt_groups": groups,
        "receipt_spoken": ", ".join(" ".join(group) for group in groups),
        "complaint": submission.complaint,
        "site_url": settings.SITE_URL.rstrip("/"),
    }


@private_response
def casework_intake(request: HttpRequest) -> HttpResponse:
    """File a complaint for someone who phoned, came in, wrote or e-mailed.
    The answer is the printable receipt, rendered from the POST (the receipt
    is never stored); the hidden key makes a resend return the same case."""
    _staff_only(request)
    form = IntakeForm(request.POST or None, initial={"submission_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = intake.complaint_intake(
                actor=request.user,
                channel=data["channel"],
                person=intake.Person(
                    name=data["name"],
                    contact_email=data["contact_email"],
                    contact_phone=data["contact_phone"],
                    consent=data["consent"],
                ),
                grounds=data["grounds"],
                description=data["description"],
                field_of_life=data["field_of_life"],
                incident_date=data["incident_date"],
                location=data["location"],
                idempotency_key=data["submission_key"] or None,
            )
        except ValidationError as exc:
            for text in _validation_messages(exc):
                form.add_error(None, text)
        except IdempotencyKeyReused:
            form.add_error(None, _("This form was already sent. Check it and send it again."))
            form.data = form.data.copy()
            form.data["submission_key"] = uuid.uuid4().hex
        else:
            return render(
                request, "complaints/casework/intake_receipt.html", _receipt_context(submission)
            )
    return render(request, "complaints/casework/intake.html", {"form": form})


# --- deadlines ----------------------------------------------------------------------


def _deadline_action(request, reference: str, form_class, action) -> HttpResponse:
    complaint = _case_for_staff(request, reference)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    else:
        try:
            action(complaint, form.cleaned_data)
            messages.success(request, _("The deadline was updated."))
        except ValidationError as exc:
            for text in _validation_messages(exc):
                messages.error(request, text)
    return redirect("casework:case", reference=complaint.reference)


@require_POST
@private_response
def casework_deadline_pause(request: HttpRequest, reference: str) -> HttpResponse:
    return _deadline_action(
        request,
        reference,
        PauseForm,
        lambda complaint, data: deadlines.deadline_pause(
            complaint=complaint, actor=request.user, kind=data["kind"], reason=data["reason"]
        ),
    )


@require_POST
@private_response
def casework_deadline_resume(request: HttpRequest, reference: str) -> HttpResponse:
    return _deadline_action(
        request,
        reference,
        ResumeForm,
        lambda complaint, data: deadlines.deadline_resume(
            complaint=complaint, actor=request.user, kind=data["kind"]
        ),
    )


@require_POST
@private_response
def casework_deadline_extend(request: HttpRequest, reference: str) -> HttpResponse:
    return _deadline_action(
        request,
        reference,
        ExtendForm,
        lambda complaint, data: deadlines.deadline_extend(
            complaint=complaint,
            actor=request.user,
            kind=data["kind"],
            days=data["days"],
            reason=data["reason"],
        ),
    )
