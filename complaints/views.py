"""Complaint pages: the intake form, a resident's own complaints, and the
caseworkers' workspace (/casework/). Thin: validate, call a service or
selector, render. Every page about a case answers 404 to anyone not on it."""

from __future__ import annotations

import datetime
import uuid
from functools import partial, wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cms.selectors import site_chrome_for
from core.errors import DomainError, Hidden, Invalid, Refused
from core.permissions import may
from core.private_storage import PrivateFileMissing, private_file_response
from core.throttle import Limited, client_key
from core.uploads import UploadRejected

from . import selectors, services
from .forms import (
    ANONYMOUS,
    IDENTITY_MORE,
    STEP_LABELS,
    STEP_NAMES,
    STEP_TITLES,
    AttachmentForm,
    ComplaintForm,
    ComplaintStepForm,
    MessageForm,
    NoteForm,
    QueueFilterForm,
    ReceiptForm,
    ReceiptSavedForm,
    WithdrawForm,
)
from .grounds import FieldOfLife, Ground
from .models import (
    FINISHED_STATUSES,
    NOTE_REQUIRED,
    PUBLIC_REASON_REQUIRED,
    TRANSITIONS,
    Status,
)
from .receipt_session import (
    draft_clear,
    draft_get,
    draft_put,
    receipt_attach,
    receipt_bind,
    receipt_case_forget,
    receipt_session_end,
    receipt_shown,
    receipt_shown_forget,
    receipt_shown_keep,
)
from .rules import case_people

QUEUE_PAGE_SIZE = 25


def private_response(view):
    """Complaint pages are never cached and never leak their URL to another site;
    the receipt session's grants (complaints.receipt_session) are put on
    request.user before the view runs.

    `same-origin`, not `no-referrer`: under `no-referrer` browsers send
    `Origin: null` with every form POST, which Django's CSRF check rightly
    refuses, so no complaint form could be sent. `same-origin` sends nothing to
    any other site, which is what protects the case reference.
    (core.privacy.SensitivePagesMiddleware sets the same headers on every
    complaint path, error pages included, with a CSP allowing only this site.)
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        receipt_attach(request)
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _validation_messages(exc: Invalid) -> list[str]:
    return [str(item["message"]) for item in exc.errors] or [str(exc.message)]


# --- intake --------------------------------------------------------------------


def _step_url(step: str) -> str:
    from django.urls import reverse

    if step == STEP_NAMES[0]:
        return reverse("complaints:new")
    return reverse("complaints:step", kwargs={"step": step})


def _to_draft(cleaned: dict) -> dict:
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in cleaned.items()
        if name not in ("submission_key", "consent")
    }


@private_response
def complaint_new(request: HttpRequest) -> HttpResponse:
    """The first page of the intake form (who are you?)."""
    return _intake_step(request, STEP_NAMES[0])


@private_response
def complaint_step(request: HttpRequest, step: str) -> HttpResponse:
    """One page of the intake form. What the person typed is kept, encrypted,
    in the session (receipt_session.draft_*), so Back and "Change" show it
    again; a page reached before the ones it depends on sends the person back
    to the first unanswered one."""
    if step not in STEP_NAMES:
        raise Http404
    return _intake_step(request, step)


def _intake_step(request: HttpRequest, step: str) -> HttpResponse:
    draft = draft_get(request)
    if step == "check" and request.method == "POST" and not draft and receipt_shown(request):
        # Sent already (Back and resubmit, a double click): the same receipt page.
        return redirect("complaints:submitted")
    answers = draft.get("answers", {})
    done = draft.get("done", [])
    for earlier in STEP_NAMES[: STEP_NAMES.index(step)]:
        if earlier not in done:
            return redirect(_step_url(earlier))
    if step == "check":
        return _intake_check(request, draft)
    anonymous = answers.get("identity") == ANONYMOUS
    form = ComplaintStepForm(
        request.POST if request.method == "POST" else None,
        initial=answers,
        step=step,
        user=request.user,
        anonymous=anonymous,
    )
    if request.method == "POST" and form.is_valid():
        answers.update(_to_draft(form.cleaned_data))
        if step == "identity" and answers.get("identity") == ANONYMOUS:
            answers.pop("contact_name", None)
            answers.pop("contact_phone", None)
        draft["answers"] = answers
        draft["done"] = sorted({*done, step})
        draft.setdefault("submission_key", uuid.uuid4().hex)
        draft_put(request, draft)
        return redirect(_step_url(STEP_NAMES[STEP_NAMES.index(step) + 1]))
    return _render_step(request, step, form)


def _render_step(request, step: str, form, *, status: int = 200, extra=None) -> HttpResponse:
    index = STEP_NAMES.index(step)
    return render(
        request,
        "complaints/new.html",
        {
            "form": form,
            "step": step,
            "step_title": STEP_TITLES[step],
            "step_number": index + 1,
            "step_count": len(STEP_NAMES),
            "back_url": _step_url(STEP_NAMES[index - 1]) if index else "",
            "steps": [
                {
                    "number": number,
                    "label": STEP_LABELS[name],
                    "state": "done" if number <= index else "active" if number == index + 1 else "",
                }
                for number, name in enumerate(STEP_NAMES, start=1)
            ],
            "identity_more": IDENTITY_MORE if step == "identity" else "",
            **(extra or {}),
        },
        status=status,
    )


def _answer_rows(answers: dict, user) -> list[dict]:
    """The "check your answers" list: label, answer, and the page to change it."""
    form = ComplaintForm(user=user)
    identity = dict(form.fields["identity"].choices).get(answers.get("identity"), "")
    rows = [("identity", form.fields["identity"].label, identity)]
    rows.extend(
        ("contact", form.fields[name].label, answers[name])
        for name in ("contact_name", "contact_email", "contact_phone")
        if name in form.fields and answers.get(name)
    )
    rows.append(("story", form.fields["description"].label, answers.get("description", "")))
    if answers.get("incident_date"):
        day = datetime.date.fromisoformat(answers["incident_date"])
        rows.append(("story", form.fields["incident_date"].label, formats.date_format(day)))
    if answers.get("location"):
        rows.append(("story", form.fields["location"].label, answers["location"]))
    labels = dict(Ground.choices)
    grounds = ", ".join(str(labels.get(code, "")) for code in answers.get("grounds", []))
    rows.append(("grounds", form.fields["grounds"].label, grounds))
    place = dict(FieldOfLife.choices).get(answers.get("field_of_life"), "")
    rows.append(("place", form.fields["field_of_life"].label, place))
    return [
        {"step": step, "label": label, "value": value, "url": _step_url(step)}
        for step, label, value in rows
    ]


def _intake_check(request: HttpRequest, draft: dict) -> HttpResponse:
    """ "Check your answers", then send. A POST arriving after the complaint was
    sent (Back and resubmit) shows the receipt page again."""
    answers = draft.get("answers", {})
    form = ComplaintStepForm(
        request.POST if request.method == "POST" else None, step="check", user=request.user
    )
    extra = {"rows": _answer_rows(answers, request.user)}
    if request.method != "POST" or not form.is_valid():
        return _render_step(request, "check", form, extra=extra)
    if not request.session.session_key:
        request.session.save()  # the per-session filing limit needs its key
    try:
        submission = services.complaint_submit(
            grounds=answers.get("grounds", []),
            description=answers.get("description", ""),
            anonymous=answers.get("identity") == ANONYMOUS,
            user=request.user,
            field_of_life=answers.get("field_of_life", ""),
            incident_date=(
                datetime.date.fromisoformat(answers["incident_date"])
                if answers.get("incident_date")
                else None
            ),
            location=answers.get("location", ""),
            contact_name=answers.get("contact_name", ""),
            contact_email=answers.get("contact_email", ""),
            contact_phone=answers.get("contact_phone", ""),
            idempotency_key=draft.get("submission_key"),
            limits=services.FilingLimits(
                client=client_key(request), session=request.session.session_key or ""
            ),
        )
    except Limited as exc:
        # Everything the person wrote stays in the draft.
        form.add_error(
            None,
            _(
                "Many complaints were sent from here in a short time, so we paused. "
                "Nothing you wrote is lost: wait %(minutes)s minutes and press "
                "“Send the complaint” again, or call the office."
            )
            % {"minutes": max(1, -(-exc.retry_after_seconds // 60))},
        )
        response = _render_step(request, "check", form, status=429, extra=extra)
        response["Retry-After"] = str(exc.retry_after_seconds)
        return response
    except Invalid as exc:
        for text in _validation_messages(exc):
            form.add_error(None, text)
        return _render_step(request, "check", form, extra=extra)
    except services.IdempotencyKeyReused:
        draft["submission_key"] = uuid.uuid4().hex
        draft_put(request, draft)
        form.add_error(
            None,
            _(
                "This form was already sent. If you want to file another complaint, "
                "check what you wrote and send it again."
            ),
        )
        return _render_step(request, "check", form, extra=extra)
    draft_clear(request)
    receipt_shown_keep(
        request, reference=submission.complaint.reference, receipt=submission.receipt
    )
    return redirect("complaints:submitted")


def _receipt_context(shown: dict) -> dict:
    receipt = shown["receipt"]
    return {
        "reference": shown["reference"],
        "receipt": receipt,
        "receipt_groups": receipt.split("-") if receipt else [],
        # Read aloud digit by digit, group by group.
        "receipt_spoken": (
            ", ".join(" ".join(group) for group in receipt.split("-")) if receipt else ""
        ),
    }


@private_response
def complaint_submitted(request: HttpRequest) -> HttpResponse:
    """The receipt page (the GET after the form's POST): a reload shows the same
    receipt for as long as the session keeps it; after that, or after "Exit
    this page", it says where to go instead of showing anything."""
    shown = receipt_shown(request)
    if shown is None:
        return render(request, "complaints/submitted_gone.html")
    return render(
        request,
        "complaints/submitted.html",
        {"submission": _receipt_context(shown), "saved_form": ReceiptSavedForm()},
    )


@require_POST
@private_response
def complaint_receipt_saved(request: HttpRequest) -> HttpResponse:
    """The "I have saved my code" step after an anonymous submission. Nothing is
    stored; without the tick the person is asked again (the code cannot be
    shown again: it was never kept)."""
    form = ReceiptSavedForm(request.POST)
    if form.is_valid():
        receipt_shown_forget(request)
        messages.success(
            request, _("Thank you. Enter your receipt here whenever you want to follow your case.")
        )
        return redirect("complaints:status")
    return render(request, "complaints/receipt_unsaved.html", {"saved_form": form})


@private_response
def complaint_status(request: HttpRequest) -> HttpResponse:
    """Follow a case with its receipt. The receipt comes only in a POST body,
    never in a URL (URLs end up in histories and logs). A wrong receipt and an
    unknown one get the same page and message; repeated failures from one
    client get 429 with the time to wait, and nobody else is slowed down."""
    form = ReceiptForm(request.POST if request.method == "POST" else None)
    status = 200
    retry_after = None
    if request.method == "POST" and form.is_valid():
        try:
            complaint = services.complaint_receipt_open(
                receipt=form.cleaned_data["receipt"], client=client_key(request)
            )
        except Limited as exc:
            form.add_error(None, exc.message)
            status, retry_after = 429, exc.retry_after_seconds
        except services.ReceiptUnknown:
            form.add_error(
                "receipt",
                _(
                    "This receipt does not open a complaint. Check the 16 digits and try again. "
                    "The reference number (HR-…) does not open it."
                ),
            )
        else:
            receipt_bind(request, complaint)
            return redirect("complaints:detail", reference=complaint.reference)
    response = render(request, "complaints/status.html", {"form": form}, status=status)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


# --- a way out ----------------------------------------------------------------------


def exit_url() -> str:
    return getattr(settings, "COMPLAINTS_EXIT_URL", "https://www.naver.com/")


@private_response
def complaint_exit(request: HttpRequest) -> HttpResponse:
    """ "Exit this page" (GOV.UK's pattern): a plain link, so it works without
    JavaScript. It ends the receipt session (grants, the receipt just shown, a
    draft) and leaves for a neutral site. A GET on purpose: one press, from any
    page; the worst a forged link can do is end a session its owner can reopen."""
    receipt_session_end(request)
    return redirect(exit_url())


@require_POST
@private_response
def complaint_close_here(request: HttpRequest, reference: str) -> HttpResponse:
    """ "Close this case on this device": this browser stops being the case's
    complainant (for an account, the session ends: the case stays reachable by
    signing in again)."""
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    if not may(request.user, "complaints.complain", complaint):
        raise Http404
    if request.user.is_authenticated:
        logout(request)
    else:
        receipt_case_forget(request, complaint)
        receipt_session_end(request)
    messages.success(request, _("Your complaint is closed on this device."))
    return redirect("complaints:status")


# --- the complainant's own view -------------------------------------------------


@login_required
@private_response
def complaint_mine(request: HttpRequest) -> HttpResponse:
    page_obj = Paginator(selectors.complaint_own_list(user=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "complaints/mine.html", {"page_obj": page_obj})


@private_response
def complaint_detail(request: HttpRequest, reference: str) -> HttpResponse:
    # The one door: staff opening the complainant's page are logged as on theirs.
    complaint = services.complaint_open(user=request.user, reference=reference)
    finished = complaint.status in FINISHED_STATUSES
    turned_away = complaint.status in (Status.REJECTED, Status.REFERRED)
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "grounds": complaint.grounds,
            "events": selectors.complaint_events_for(user=request.user, complaint=complaint),
            "messages_list": selectors.complaint_messages_for(complaint=complaint),
            "can_withdraw": "withdraw"
            in services.complaint_available_transitions(complaint=complaint, user=request.user),
            "finished": finished,
            "message_form": MessageForm(),
            "attachments": selectors.complaint_attachments_for(complaint=complaint),
            "can_attach": not finished and may(request.user, "complaints.attach", complaint),
            "attachment_form": AttachmentForm(),
            "next_step": next_step(complaint),
            "public_reason": (
                selectors.complaint_public_reason(complaint=complaint) if turned_away else ""
            ),
            "elsewhere": _elsewhere(request) if turned_away else [],
            "by_receipt": not request.user.is_authenticated,
        },
    )


def _elsewhere(request) -> list[str]:
    """Where else to turn, as the office wrote it in Wagtail (site settings), or
    the built-in list; one line each."""
    office = site_chrome_for(request=request).office
    text = (office.elsewhere if office is not None else "") or ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines or [
        _(
            "National Human Rights Commission of Korea: phone 1331 (no area code), "
            "www.humanrights.go.kr. It can also look into discrimination."
        ),
        _(
            "Korea Legal Aid Corporation: phone 132, www.klac.or.kr. Free legal advice "
            "if you want to go to court."
        ),
    ]


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


def next_step(complaint, *, now=None) -> str:
    """What happens next, in plain words, for the complainant; a deadline that
    has passed says so and what the person can do."""
    now = now or timezone.now()
    due = selectors.complaint_current_due(complaint=complaint)
    if due is not None and due < now:
        if complaint.status == Status.SUBMITTED:
            text = _(
                "The office should have decided by %(date)s whether to take on your complaint, "
                "and it is late. We are sorry. You can send a message here to ask what is "
                "happening, or call the office (its number is at the bottom of the page)."
            )
        else:
            text = _(
                "The office aimed to finish by %(date)s and is late. We are sorry. You can send "
                "a message here to ask when it will finish, or call the office (its number is "
                "at the bottom of the page)."
            )
        return text % {"date": _date(due)}
    when = {"date": _date(due)} if due else {}
    texts = {
        Status.SUBMITTED: (
            _(
                "The Human Rights Ombudsman will read your complaint by %(date)s "
                "and decide whether to investigate it."
            )
            if due
            else _(
                "The Human Rights Ombudsman will read your complaint "
                "and decide whether to investigate it."
            )
        ),
        Status.INVESTIGATING: (
            _(
                "A caseworker is looking into what happened and aims to finish by %(date)s. "
                "The caseworker may ask you questions here in a message."
            )
            if due
            else _(
                "A caseworker is looking into what happened. "
                "The caseworker may ask you questions here in a message."
            )
        ),
        Status.MEDIATION: _(
            "The Human Rights Ombudsman is helping you and the other party reach an agreement "
            "(mediation). The caseworker will tell you here how it goes."
        ),
        Status.DECIDED: _(
            "The investigation is over and a decision was made, with a recommendation on what "
            "must change. The case will be closed soon."
        ),
        Status.CLOSED: _(
            "Your case is finished (closed). If you think something is wrong, contact the "
            "office: its details are at the bottom of the page."
        ),
        Status.REJECTED: _(
            "The Human Rights Ombudsman decided not to investigate this complaint (rejected). "
            "The reason is below, with other places that can help."
        ),
        Status.REFERRED: _(
            "Your complaint was sent to another body that can deal with it (referred). "
            "The reason is below, with other places that can help."
        ),
        Status.WITHDRAWN: _("You withdrew your complaint. The office no longer works on it."),
    }
    text = texts[complaint.status]
    return text % when if "%(date)s" in text else text


@private_response
def complaint_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    """Withdrawing asks first: GET shows what it means, the POST with the
    confirmation box ticked does it."""
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    if not may(request.user, "complaints.complain", complaint):
        raise Http404
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            _transition(request, complaint, "withdraw", "")
            return redirect("complaints:detail", reference=complaint.reference)
    return render(request, "complaints/withdraw.html", {"complaint": complaint, "form": form})


@require_POST
@private_response
def complaint_attach(request: HttpRequest, reference: str) -> HttpResponse:
    """Evidence upload from the complainant's page or the casework page."""
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    if not may(request.user, "complaints.attach", complaint):
        raise PermissionDenied  # may see the case, may not add to it: 403, as in the API
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.complaint_attachment_add(
                complaint=complaint, actor=request.user, uploaded_file=form.cleaned_data["file"]
            )
            messages.success(request, _("The file was added."))
        except (UploadRejected, services.CaseFinished) as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, _("Choose a file to add."))
    if may(request.user, "complaints.staff_view", complaint):
        return redirect("casework:case", reference=complaint.reference)
    return redirect("complaints:detail", reference=complaint.reference)


@private_response
def complaint_attachment(request: HttpRequest, reference: str, attachment_id) -> HttpResponse:
    """Download an evidence file. Access is checked on every request: a link
    replayed by someone else, after logout or after the purge answers 404."""
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    attachment = selectors.complaint_attachment_get(
        complaint=complaint, attachment_id=attachment_id
    )
    try:
        response = private_file_response(
            attachment.storage_key, attachment.name, attachment.content_type
        )
    except PrivateFileMissing as exc:
        raise Http404 from exc
    # Logged only once the file is there to read (a missing file is no read).
    services.complaint_view_log(complaint=complaint, viewer=request.user)
    return response


@require_POST
@private_response
def complaint_message(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_message_post(
                complaint=complaint, author=request.user, body=form.cleaned_data["body"]
            )
            messages.success(request, _("Your message was sent."))
        except services.CaseFinished as exc:
            messages.error(request, str(exc.message))
        except Invalid as exc:
            for text in _validation_messages(exc):
                messages.error(request, text)
    else:
        messages.error(request, _("Write your message."))
    if may(request.user, "complaints.staff_view", complaint):
        return redirect("casework:case", reference=complaint.reference)
    return redirect("complaints:detail", reference=complaint.reference)


def _transition(request, complaint, name: str, note: str, public_reason: str = "") -> None:
    try:
        services.complaint_transition(
            complaint=complaint,
            actor=request.user,
            transition=name,
            note=note,
            public_reason=public_reason,
        )
        messages.success(
            request,
            _("The case is now “%(status)s”.") % {"status": complaint.get_status_display()},
        )
    except (Hidden, Refused):
        raise  # may not see the case (404) or not make this move (403), as in the API
    except Invalid as exc:
        for text in _validation_messages(exc):
            messages.error(request, text)
    except DomainError as exc:  # not from this state (TransitionRefused), or a lost race
        messages.error(request, str(exc.message))


# --- casework ---------------------------------------------------------------------


def _staff_only(request: HttpRequest) -> None:
    if not may(request.user, "complaints.casework"):
        raise Http404


def _case_for_staff(request: HttpRequest, reference: str):
    _staff_only(request)
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    if not may(request.user, "complaints.staff_view", complaint):
        raise Http404
    return complaint


def _case_for_move(request: HttpRequest, reference: str, *, people: bool = False):
    """A casework POST (assign, transition, ...): 404 for a case the caller may
    not see, 403 for one they may see but not act on here (the complainant),
    exactly as the API answers (CONTRACT.md); the service decides the rest.
    With `people`, one read of the case's grants and people answers this check
    and the service's (a transition POST in 8 queries, issue 21)."""
    complaint = selectors.complaint_get_for(user=request.user, reference=reference)
    if people:
        case_people(complaint)
    if not may(request.user, "complaints.staff_view", complaint):
        raise PermissionDenied
    return complaint


def _page(number, *, fetch, count) -> Page:
    """Paginator.get_page (a bad number gives the first page, one past the
    end the last) for a list read page first: `fetch(offset=, limit=)` gives
    a page and, when it came with it, the list's length; `count()` the length
    otherwise."""
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    paginator = Paginator((), QUEUE_PAGE_SIZE)
    rows, length = fetch(offset=(number - 1) * QUEUE_PAGE_SIZE, limit=QUEUE_PAGE_SIZE)
    paginator.count = count() if length is None else length
    if not rows and number > paginator.num_pages:
        number = paginator.num_pages
        if paginator.count:
            rows, _ = fetch(offset=(number - 1) * QUEUE_PAGE_SIZE, limit=QUEUE_PAGE_SIZE)
    return Page(rows, number, paginator)


@private_response
def casework_queue(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    supervisor = may(request.user, "complaints.supervise")
    if supervisor and not request.GET:
        # The supervisor lands on the triage inbox's new, unassigned cases.
        return redirect("casework:inbox")
    form = QueueFilterForm(request.GET or None, supervisor=supervisor)
    filters = (
        form.filters()
        if request.GET
        else {"view": "mine", "status": "", "ground": "", "overdue": False}
    )
    page_obj = _page(
        request.GET.get("page"),
        fetch=partial(selectors.complaint_queue_page, user=request.user, **filters),
        count=lambda: selectors.complaint_queue(user=request.user, **filters).count(),
    )
    return render(
        request,
        "complaints/casework/queue.html",
        {
            "form": form,
            "page_obj": page_obj,
            "rows": selectors.complaint_rows(page_obj),
            "filters": filters,
            "supervisor": supervisor,
            "now": timezone.now(),
        },
    )


@private_response
def casework_case(request: HttpRequest, reference: str) -> HttpResponse:
    _staff_only(request)
    complaint = services.complaint_open(user=request.user, reference=reference)
    if not may(request.user, "complaints.staff_view", complaint):
        raise Http404
    available = services.complaint_available_transitions(complaint=complaint, user=request.user)
    supervise = may(request.user, "complaints.supervise", complaint)
    assignees = selectors.complaint_assignees(complaint=complaint)
    caseworkers = (
        [u for u in selectors.caseworker_choices() if u not in assignees] if supervise else []
    )
    # Late: casework_views imports this module's staff helpers.
    from .casework_views import case_context

    return render(
        request,
        "complaints/casework/case.html",
        {
            "complaint": complaint,
            "grounds": complaint.grounds,
            # The account, read from its encrypted id (never a plain link on the case).
            "complainant_account": None if complaint.anonymous else complaint.complainant_user(),
            "assignees": assignees,
            "events": selectors.complaint_events_for(user=request.user, complaint=complaint),
            "messages_list": selectors.complaint_messages_for(complaint=complaint),
            "transitions": [
                {
                    "name": name,
                    "note_required": name in NOTE_REQUIRED,
                    "public_reason_required": name in PUBLIC_REASON_REQUIRED,
                }
                for name in available
            ],
            "transition_labels": TRANSITION_LABELS,
            "supervise": supervise,
            "caseworkers": caseworkers,
            "can_recuse": may(request.user, "complaints.recuse", complaint),
            "note_form": NoteForm(),
            "message_form": MessageForm(),
            "attachments": selectors.complaint_attachments_for(complaint=complaint),
            "can_attach": may(request.user, "complaints.attach", complaint),
            "attachment_form": AttachmentForm(),
            "Status": Status,
            # Issue 16: clocks, actions with reasons, folded access log, conflicts.
            **case_context(request, complaint, assignees=assignees, caseworkers=caseworkers),
        },
    )


@require_POST
@private_response
def casework_transition(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _case_for_move(request, reference, people=True)
    name = request.POST.get("transition", "")
    if name not in TRANSITIONS:
        messages.error(request, _("Choose a move."))
    else:
        _transition(
            request,
            complaint,
            name,
            request.POST.get("note", ""),
            request.POST.get("public_reason", ""),
        )
    return redirect("casework:case", reference=complaint.reference)


@require_POST
@private_response
def casework_note(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _case_for_move(request, reference)
    form = NoteForm(request.POST)
    if form.is_valid():
        services.complaint_note_add(
            complaint=complaint, actor=request.user, note=form.cleaned_data["note"]
        )
        messages.success(request, _("The note was added."))
    else:
        messages.error(request, _("Write the note (at most 5,000 characters)."))
    return redirect("casework:case", reference=complaint.reference)


def _posted_caseworker(request):
    return get_user_model().objects.filter(username=request.POST.get("caseworker", "")).first()


@require_POST
@private_response
def casework_assign(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _case_for_move(request, reference)
    try:
        services.complaint_assign(
            complaint=complaint,
            actor=request.user,
            caseworker=_posted_caseworker(request),
            override_reason=request.POST.get("override_reason", ""),
        )
        messages.success(request, _("The caseworker was assigned."))
    except (Hidden, Refused):
        raise  # not the supervisor: 403, as in the API
    except Invalid as exc:
        for text in _validation_messages(exc):
            messages.error(request, text)
    except DomainError as exc:  # a declared conflict of interest, without an override reason
        messages.error(request, str(exc.message))
    return redirect("casework:case", reference=complaint.reference)


@require_POST
@private_response
def casework_unassign(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _case_for_move(request, reference)
    try:
        services.complaint_unassign(
            complaint=complaint, actor=request.user, caseworker=_posted_caseworker(request)
        )
        messages.success(request, _("The caseworker was taken off the case."))
    except Invalid as exc:
        for text in _validation_messages(exc):
            messages.error(request, text)
    return redirect("casework:case", reference=complaint.reference)


@require_POST
@private_response
def casework_recuse(request: HttpRequest, reference: str) -> HttpResponse:
    complaint = _case_for_move(request, reference)
    services.complaint_recuse(
        complaint=complaint, actor=request.user, note=request.POST.get("note", "")
    )
    messages.success(
        request,
        _("You stepped aside from case %(reference)s. The supervisor will reassign it.")
        % {"reference": complaint.reference},
    )
    return redirect("casework:queue")


def _transition_labels() -> dict:
    from django.utils.translation import gettext_lazy

    return {
        "accept": gettext_lazy("Accept and start the investigation"),
        "reject": gettext_lazy("Reject"),
        "refer": gettext_lazy("Refer to another body"),
        "start_mediation": gettext_lazy("Start mediation"),
        "end_mediation": gettext_lazy("End mediation, continue the investigation"),
        "settle": gettext_lazy("Settled in mediation: close"),
        "decide": gettext_lazy("Record the decision"),
        "close": gettext_lazy("Close the case"),
        "reopen": gettext_lazy("Reopen"),
        "withdraw": gettext_lazy("Withdraw"),
    }


TRANSITION_LABELS = _transition_labels()
