"""Casework pages added by issue 16: assisted intake and its printable
receipt, deadline controls, declared conflicts, the triage inbox and exports.
Thin, like complaints.views: validate, call one service or selector, render."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from core.errors import Invalid
from core.permissions import may

from . import conflicts, deadlines, exports, intake, selectors, triage
from .casework_forms import (
    ConflictForm,
    ExportForm,
    ExtendForm,
    InboxFilterForm,
    IntakeForm,
    PauseForm,
    ResumeForm,
)
from .casework_models import Deadline
from .models import NOTE_REQUIRED, TRANSITIONS, ComplaintEvent, EventKind
from .selectors import complaint_events_for
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
        except Invalid as exc:
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
        except Invalid as exc:
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


# --- the triage inbox ---------------------------------------------------------------

INBOX_PAGE_SIZE = 25


@private_response
def casework_inbox(request: HttpRequest) -> HttpResponse:
    """The supervisor lands on the new, unassigned cases; every view shows its
    count; filters, search by reference and three sorts. Finished cases stay
    out of the working views. The same queries whatever the number of cases."""
    _staff_only(request)

    now = timezone.now()
    supervisor = may(request.user, "complaints.supervise")
    caseworkers = list(selectors.caseworker_choices()) if supervisor else []
    form = InboxFilterForm(request.GET or None, caseworkers=caseworkers)
    cleaned = form.filters()
    view = request.GET.get("view", "")
    if view not in triage.views_for(request.user):
        view = triage.default_view(request.user)
    filters = triage.InboxFilters(view=view, **{**cleaned, "grounds": tuple(cleaned["grounds"])})
    queryset = triage.inbox_queue(user=request.user, filters=filters, now=now)
    page_obj = Paginator(queryset, INBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    complaints = list(page_obj)
    rows = [
        {
            "row": row,
            "unanswered": c.unanswered,
            "waiting": c.waiting,
            "age_days": (now - c.created_at).days,
            "channel": c.get_channel_display(),
            "last_activity": c.last_activity,
            "overdue": bool(c.next_deadline and c.next_deadline < now),
        }
        for c, row in zip(complaints, selectors.complaint_rows(complaints), strict=True)
    ]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("view", None)
    return render(
        request,
        "complaints/casework/inbox.html",
        {
            "form": form,
            "view": view,
            "views": [
                (name, VIEW_LABELS[name], count)
                for name, count in triage.inbox_counts(user=request.user, now=now).items()
            ],
            "page_obj": page_obj,
            "rows": rows,
            "filter_query": query.urlencode(),
            "supervisor": supervisor,
        },
    )


def _view_labels() -> dict:
    return {
        "new": pgettext_lazy("inbox view", "New"),
        "mine": gettext_lazy("Mine"),
        "overdue": gettext_lazy("Overdue"),
        "waiting": gettext_lazy("Waiting"),
        "all": pgettext_lazy("inbox view", "All open"),
        "finished": gettext_lazy("Finished"),
    }


VIEW_LABELS = _view_labels()


# --- exports -------------------------------------------------------------------------


def _supervisor_only(request: HttpRequest) -> None:
    if not may(request.user, "complaints.supervise"):
        raise Http404


def _inbox_filters(request, data):
    cleaned = InboxFilterForm(data).filters()
    view = data.get("view", "")
    if view not in triage.views_for(request.user):
        view = triage.default_view(request.user)
    return triage.InboxFilters(view=view, **{**cleaned, "grounds": tuple(cleaned["grounds"])})


@private_response
def casework_export(request: HttpRequest) -> HttpResponse:
    """GET: what to export (the inbox's view and filters come along);
    POST: the file. Narratives and contact data only when ticked."""
    _supervisor_only(request)

    form = ExportForm(request.POST or None, initial={"format": "csv"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = exports.queue_export(
            user=request.user,
            filters=_inbox_filters(request, request.POST),
            fmt=data["format"],
            with_narratives=data["with_narratives"],
            with_contacts=data["with_contacts"],
        )
        response = HttpResponse(result.content, content_type=result.content_type)
        response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
        return response
    carried = [
        (key, value)
        for key in ("view", "q", "grounds", "match", "field_of_life", "status", "caseworker")
        + ("channel", "sort")
        for value in (request.POST or request.GET).getlist(key)
    ]
    return render(request, "complaints/casework/export.html", {"form": form, "carried": carried})


@private_response
def casework_export_log(request: HttpRequest) -> HttpResponse:
    _supervisor_only(request)

    page_obj = Paginator(exports.export_log(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "complaints/casework/export_log.html", {"page_obj": page_obj})


# --- standing conflicts ------------------------------------------------------------------


@private_response
def casework_conflicts(request: HttpRequest) -> HttpResponse:
    """A caseworker's standing conflicts: declare one, withdraw one."""
    if not may(request.user, "complaints.declare_conflict"):
        raise Http404
    form = ConflictForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            if "withdraw" in request.POST:
                conflicts.conflict_withdraw(
                    user=request.user, conflict_id=_int(request.POST.get("withdraw"))
                )
                messages.success(request, _("The conflict was withdrawn."))
                return redirect("casework:conflicts")
            if form.is_valid():
                conflicts.conflict_declare(user=request.user, **form.cleaned_data)
                messages.success(request, _("The conflict was declared."))
                return redirect("casework:conflicts")
        except Invalid as exc:
            for text in _validation_messages(exc):
                messages.error(request, text)
    return render(
        request,
        "complaints/casework/conflicts.html",
        {"form": form, "conflicts": conflicts.conflicts_of(user=request.user)},
    )


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- the case page for work --------------------------------------------------------------

DESTRUCTIVE = frozenset({"reject", "refer", "withdraw"})


def _action_labels() -> dict:
    return {
        "supervise": gettext_lazy("Only the supervisor can do this."),
        "work": gettext_lazy("Only the caseworker assigned to the case can do this."),
        "complain": gettext_lazy("Only the complainant can withdraw the complaint."),
        "accept": gettext_lazy("Accept needs an assigned caseworker."),
    }


UNAVAILABLE_REASONS = _action_labels()


def _actions(complaint, user) -> list[dict]:
    """Every move from the current state: available now, or with the reason it is not."""
    actions = []
    for name in TRANSITIONS:
        method = getattr(complaint, name)
        meta = method._django_fsm
        if not meta.has_transition(complaint.status):
            continue
        transition = meta.get_transition(complaint.status)
        # The rule's action ("complaints.supervise"), as core.permissions names it.
        rule = getattr(transition.permission, "action", "").removeprefix("complaints.")
        reason = ""
        if not meta.has_transition_perm(complaint, complaint.status, user):
            if name == "withdraw":
                continue  # the complainant's own move: not offered to the office at all
            reason = UNAVAILABLE_REASONS.get(rule, "")
        elif not meta.conditions_met(complaint, complaint.status):
            reason = UNAVAILABLE_REASONS.get(name, "")
        actions.append(
            {
                "name": name,
                "available": not reason,
                "reason": reason,
                "note_required": name in NOTE_REQUIRED,
                "destructive": name in DESTRUCTIVE,
            }
        )
    return actions


def case_context(request, complaint, *, assignees, caseworkers) -> dict:
    """What complaints.views.casework_case adds for issue 16: the clocks, the
    actions with reasons, the access log folded per person, the timeline
    without the access log, and conflicts of each caseworker on offer."""
    events = complaint_events_for(user=request.user, complaint=complaint)
    opened = list(
        ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.VIEWED)
        .values("actor__username", "actor__display_name")
        .annotate(count=Count("id"), last=Max("at"))
        .order_by("-last")
    )
    candidate_ids = [u.pk for u in caseworkers]
    found = conflicts.case_conflicts(complaint=complaint, caseworker_ids=candidate_ids)
    return {
        "events": events.exclude(kind=EventKind.VIEWED),
        "access_log": [
            {
                "name": row["actor__display_name"] or row["actor__username"] or "—",
                "count": row["count"],
                "last": row["last"],
            }
            for row in opened
        ],
        "actions": _actions(complaint, request.user),
        "clocks": list(Deadline.objects.filter(complaint=complaint, ended_at__isnull=True)),
        "may_pause": may(request.user, "complaints.note", complaint),
        "may_extend": may(request.user, "complaints.supervise", complaint),
        "caseworker_options": [{"user": u, "conflicts": found.get(u.pk, [])} for u in caseworkers],
        "any_conflict": any(found.get(pk) for pk in candidate_ids),
    }
