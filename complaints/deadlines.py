"""The deadline engine (issue 16; docs/architecture.md, "The deadline engine").

Each state with a clock opens a `Deadline` on entry, its due date from a
configurable period: triage on `submitted` (COMPLAINTS_TRIAGE_DAYS),
investigation on `investigating`/`mediation` (COMPLAINTS_INVESTIGATION_DAYS;
one clock across both, mediation does not restart it), the reply to a
complainant's message (COMPLAINTS_REPLY_DAYS, ended by the office's answer).
The response date of a recommendation comes from the accountability app,
which calls `deadline_open(kind=DeadlineKind.RECOMMENDATION, source=<its id>,
due_at=<response_due>)` and `deadline_end(...)` when answered: the hook.

A clock is paused with a reason (caseworker on the case or supervisor) and
resumed, its due date moving by the pause's length; the supervisor extends it
by days with a reason. All three are timeline events.

`casework_deadlines_run` (the `manage.py casework_deadlines` command) sends the
reminders (COMPLAINTS_REMINDER_DAYS before due, to the assigned caseworkers,
or the supervisors while nobody is assigned), the overdue escalations (every
supervisor) and one morning digest per caseworker (from COMPLAINTS_DIGEST_HOUR
local time, in-app and e-mail, counts only). Before anything is sent its row
(`DeadlineNotice`, `DigestSent`) is inserted under a unique constraint, in the
same transaction as the notification, so a second run, even a concurrent
one, sends nothing twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.errors import Invalid
from core.permissions import may
from core.sanitize import clean_text
from core.services import email_send, notification_send

from . import staff_notify
from .casework_models import (
    REASON_MAX_LENGTH,
    Deadline,
    DeadlineKind,
    DeadlineNotice,
    DigestSent,
    NoticeKind,
)
from .models import Complaint, ComplaintEvent, ComplaintUserObjectPermission, EventKind, Status
from .refusals import refused
from .rules import CHANGE, permission_id

EXTEND_MAX_DAYS = 365

# The state each clock belongs to (a clock ends when its case leaves them).
CLOCK_STATES = {
    DeadlineKind.TRIAGE: {Status.SUBMITTED},
    DeadlineKind.INVESTIGATION: {Status.INVESTIGATING, Status.MEDIATION},
}
FINISHED = {Status.CLOSED, Status.REJECTED, Status.REFERRED, Status.WITHDRAWN}


def period(kind: str) -> datetime.timedelta:
    """The configured length of a clock (days, from settings)."""
    days = {
        DeadlineKind.TRIAGE: getattr(settings, "COMPLAINTS_TRIAGE_DAYS", 14),
        DeadlineKind.INVESTIGATION: getattr(settings, "COMPLAINTS_INVESTIGATION_DAYS", 90),
        DeadlineKind.REPLY: getattr(settings, "COMPLAINTS_REPLY_DAYS", 5),
        DeadlineKind.RECOMMENDATION: getattr(settings, "COMPLAINTS_RECOMMENDATION_DAYS", 60),
    }[kind]
    return datetime.timedelta(days=int(days))


def reminder_lead() -> datetime.timedelta:
    return datetime.timedelta(days=int(getattr(settings, "COMPLAINTS_REMINDER_DAYS", 3)))


def digest_hour() -> int:
    return int(getattr(settings, "COMPLAINTS_DIGEST_HOUR", 8))


# --- the clocks follow the state machine ---------------------------------------------


def _mirror(complaint: Complaint) -> None:
    """Copy the open triage and investigation due dates onto the complaint's
    columns (read by the queue, the API and the complainant's page)."""
    due = dict(
        Deadline.objects.filter(
            complaint=complaint,
            ended_at__isnull=True,
            kind__in=[DeadlineKind.TRIAGE, DeadlineKind.INVESTIGATION],
        ).values_list("kind", "due_at")
    )
    triage = due.get(DeadlineKind.TRIAGE, complaint.triage_due)
    investigation = due.get(DeadlineKind.INVESTIGATION, complaint.investigation_due)
    if (triage, investigation) != (complaint.triage_due, complaint.investigation_due):
        Complaint.objects.filter(pk=complaint.pk).update(
            triage_due=triage, investigation_due=investigation
        )
        complaint.triage_due, complaint.investigation_due = triage, investigation


def deadline_open(
    *,
    complaint: Complaint,
    kind: str,
    due_at: datetime.datetime | None = None,
    source: str = "",
    now: datetime.datetime | None = None,
) -> Deadline:
    """Start a clock (or return the open one of this kind and source).
    The hook for the accountability app: kind=RECOMMENDATION, source=the
    recommendation's id, due_at=its response date."""
    now = now or timezone.now()
    with transaction.atomic():
        existing = Deadline.objects.filter(
            complaint=complaint, kind=kind, source=source, ended_at__isnull=True
        ).first()
        if existing is not None:
            return existing
        deadline = Deadline.objects.create(
            complaint=complaint,
            kind=kind,
            source=source,
            started_at=now,
            due_at=due_at or now + period(kind),
        )
        _mirror(complaint)
    return deadline


def deadline_end(
    *,
    complaint: Complaint,
    kinds,
    source: str | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Stop the open clocks of these kinds (met, or no longer relevant)."""
    queryset = Deadline.objects.filter(complaint=complaint, kind__in=kinds, ended_at__isnull=True)
    if source is not None:
        queryset = queryset.filter(source=source)
    return queryset.update(ended_at=now or timezone.now())


def deadlines_on_status(*, complaint: Complaint, now: datetime.datetime | None = None) -> None:
    """Called by the services after every state change (and on submission),
    inside their transaction: end the clocks of the states left, open the
    clock of the state entered."""
    now = now or timezone.now()
    status = complaint.status
    for kind, states in CLOCK_STATES.items():
        if status not in states:
            deadline_end(complaint=complaint, kinds=[kind], now=now)
    if status in FINISHED:
        deadline_end(complaint=complaint, kinds=[DeadlineKind.REPLY], now=now)
    for kind, states in CLOCK_STATES.items():
        if status in states:
            deadline_open(complaint=complaint, kind=kind, now=now)


def clocks_for_move(*, complaint: Complaint, from_status: str, now: datetime.datetime):
    """deadlines_on_status for a state change, in as few statements as it
    needs (issue 21). Called after the transition moved `complaint.status`
    and before the case is saved: it sets the case's mirrored due dates to
    what they will be, so that the one guarded UPDATE of the case writes them
    too, and returns the clock writes to run once that UPDATE has passed.
    Clocks shared by both states (investigation, through mediation) are left
    alone, and nothing is read."""
    status = complaint.status
    before = {kind for kind, states in CLOCK_STATES.items() if from_status in states}
    after = {kind for kind, states in CLOCK_STATES.items() if status in states}
    ending = [kind for kind in CLOCK_STATES if kind in before - after]
    if status in FINISHED:
        ending.append(DeadlineKind.REPLY)
    # The state machine ends every clock with its states, so none of the kinds
    # starting here runs yet; should one (the unique open-clock constraint
    # says at most one), it stays and this insert is skipped.
    new = [
        Deadline(complaint=complaint, kind=kind, started_at=now, due_at=now + period(kind))
        for kind in CLOCK_STATES
        if kind in after - before
    ]
    for deadline in new:
        if deadline.kind == DeadlineKind.TRIAGE:
            complaint.triage_due = deadline.due_at
        else:
            complaint.investigation_due = deadline.due_at

    def write() -> None:
        if ending:
            deadline_end(complaint=complaint, kinds=ending, now=now)
        if new:
            Deadline.objects.bulk_create(new, ignore_conflicts=True)

    return write


def deadlines_on_message(
    *, complaint: Complaint, from_office: bool, now: datetime.datetime | None = None
) -> None:
    """A complainant's message starts the reply clock; the office's answer ends it."""
    if from_office:
        deadline_end(complaint=complaint, kinds=[DeadlineKind.REPLY], now=now)
    elif complaint.status not in FINISHED:
        deadline_open(complaint=complaint, kind=DeadlineKind.REPLY, now=now)


# --- pause, resume, extend ------------------------------------------------------------


def _clean_reason(reason: str) -> str:
    text = clean_text(reason or "").strip()
    if not text:
        raise Invalid(_("Give the reason."), field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise Invalid(
            _("This text is too long (at most %(max)s characters).") % {"max": REASON_MAX_LENGTH},
            field="reason",
        )
    return text


def _open_clock(complaint: Complaint, kind: str) -> Deadline:
    deadline = (
        Deadline.objects.select_for_update()
        .filter(complaint=complaint, kind=kind, ended_at__isnull=True)
        .order_by("due_at")
        .first()
    )
    if deadline is None:
        raise Invalid(_("This case has no running deadline of that kind."), field="kind")
    return deadline


def _day(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d")


def deadline_pause(
    *, complaint: Complaint, actor, kind: str, reason: str, now: datetime.datetime | None = None
) -> Deadline:
    """Stop a clock for a stated reason ("waiting for the complainant")."""
    if not may(actor, "complaints.note", complaint):
        raise refused(actor, complaint)
    text = _clean_reason(reason)
    now = now or timezone.now()
    with transaction.atomic():
        deadline = _open_clock(complaint, kind)
        if deadline.paused_at is not None:
            raise Invalid(_("This deadline is already paused."), field="kind")
        deadline.paused_at = now
        deadline.pause_reason = text
        deadline.save(update_fields=["paused_at", "pause_reason"])
        ComplaintEvent.objects.create(
            complaint=complaint,
            actor=actor,
            kind=EventKind.PAUSED,
            note=f"{deadline.get_kind_display()}: {text}",
        )
    return deadline


def deadline_resume(
    *, complaint: Complaint, actor, kind: str, now: datetime.datetime | None = None
) -> Deadline:
    """Restart a paused clock; its due date moves by the time it was paused."""
    if not may(actor, "complaints.note", complaint):
        raise refused(actor, complaint)
    now = now or timezone.now()
    with transaction.atomic():
        deadline = _open_clock(complaint, kind)
        if deadline.paused_at is None:
            raise Invalid(_("This deadline is not paused."), field="kind")
        deadline.due_at += max(now - deadline.paused_at, datetime.timedelta(0))
        deadline.paused_at = None
        deadline.save(update_fields=["due_at", "paused_at"])
        ComplaintEvent.objects.create(
            complaint=complaint,
            actor=actor,
            kind=EventKind.RESUMED,
            note=_("%(kind)s: now due %(date)s")
            % {"kind": deadline.get_kind_display(), "date": _day(deadline.due_at)},
        )
        _mirror(complaint)
    return deadline


def deadline_extend(
    *,
    complaint: Complaint,
    actor,
    kind: str,
    days: int,
    reason: str,
    now: datetime.datetime | None = None,
) -> Deadline:
    """The supervisor gives a clock more days, with a reason."""
    if not may(actor, "complaints.supervise", complaint):
        raise refused(actor, complaint)
    text = _clean_reason(reason)
    if not isinstance(days, int) or not 1 <= days <= EXTEND_MAX_DAYS:
        raise Invalid(
            _("Give a number of days from 1 to %(max)s.") % {"max": EXTEND_MAX_DAYS}, field="days"
        )
    with transaction.atomic():
        deadline = _open_clock(complaint, kind)
        deadline.due_at += datetime.timedelta(days=days)
        deadline.save(update_fields=["due_at"])
        ComplaintEvent.objects.create(
            complaint=complaint,
            actor=actor,
            kind=EventKind.EXTENDED,
            note=_("%(kind)s: %(days)s more days, now due %(date)s. %(reason)s")
            % {
                "kind": deadline.get_kind_display(),
                "days": days,
                "date": _day(deadline.due_at),
                "reason": text,
            },
        )
        _mirror(complaint)
    return deadline


# --- the scheduled run -------------------------------------------------------------------


@dataclass
class DeadlineRun:
    reminded: list[tuple[str, str]] = field(default_factory=list)  # (reference, username)
    escalated: list[tuple[str, str]] = field(default_factory=list)
    digests: list[str] = field(default_factory=list)  # usernames


def _running(now: datetime.datetime, until: datetime.datetime):
    return (
        Deadline.objects.filter(
            ended_at__isnull=True,
            paused_at__isnull=True,
            due_at__lte=until,
            complaint__status__in=[
                Status.SUBMITTED,
                Status.INVESTIGATING,
                Status.MEDIATION,
                Status.DECIDED,
            ],
        )
        .select_related("complaint")
        .only("id", "kind", "due_at", "complaint__id", "complaint__reference")
        .order_by("due_at", "id")
    )


def _assignees_by_case(complaint_ids) -> dict:
    from django.contrib.auth import get_user_model

    grants = list(
        ComplaintUserObjectPermission.objects.filter(
            content_object_id__in=complaint_ids, permission_id=permission_id(CHANGE)
        ).values_list("content_object_id", "user_id")
    )
    people = get_user_model().objects.filter(is_active=True).in_bulk({u for _, u in grants})
    by_case = defaultdict(list)
    for complaint_id, user_id in grants:
        if user_id in people:
            by_case[complaint_id].append(people[user_id])
    return by_case


def _notice_once(deadline: Deadline, kind: str, user, now) -> bool:
    """Record the notice first; False if it was already sent (this or another run)."""
    try:
        with transaction.atomic():
            DeadlineNotice.objects.create(
                deadline=deadline, kind=kind, user=user, due_at=deadline.due_at, sent_at=now
            )
    except IntegrityError:
        return False
    return True


def _send(users, *, kind: str, deadline: Deadline, now, sent: list) -> None:
    notice = NoticeKind.REMINDER if kind == "complaint.deadline_soon" else NoticeKind.OVERDUE
    complaint = deadline.complaint
    for user in users:
        with transaction.atomic():
            if not _notice_once(deadline, notice, user, now):
                continue
            _tell_deadline(user, kind=kind, deadline=deadline)
        sent.append((complaint.reference, user.username))


def _tell_deadline(user, *, kind: str, deadline: Deadline) -> None:
    """In-app and e-mail: the reference and the due date, never case text."""
    complaint = deadline.complaint
    payload = {"reference": complaint.reference, "due": _day(deadline.due_at)}
    with override(user.preferred_language):
        url = reverse("casework:case", kwargs={"reference": complaint.reference})
    notification = notification_send(user=user, kind=kind, payload=payload, url=url)
    if user.email:
        with override(user.preferred_language):
            email_send(
                to=user.email,
                subject=_("Human Rights Office: case %(reference)s")
                % {"reference": complaint.reference},
                body=notification.message + "\n\n" + settings.SITE_URL.rstrip("/") + url,
            )


def casework_deadlines_run(*, now: datetime.datetime | None = None) -> DeadlineRun:
    """Reminders, escalations and digests due at `now` (idempotent)."""
    now = now or timezone.now()
    run = DeadlineRun()
    deadlines = list(_running(now, now + reminder_lead()))
    by_case = _assignees_by_case({d.complaint_id for d in deadlines})
    supervisors = list(staff_notify.supervisors())
    for deadline in deadlines:
        if deadline.due_at <= now:
            _send(
                supervisors,
                kind="complaint.overdue",
                deadline=deadline,
                now=now,
                sent=run.escalated,
            )
        else:
            _send(
                by_case.get(deadline.complaint_id) or supervisors,
                kind="complaint.deadline_soon",
                deadline=deadline,
                now=now,
                sent=run.reminded,
            )
    local = timezone.localtime(now)
    if local.hour >= digest_hour():
        _digests(deadlines, by_case, day=local.date(), now=now, sent=run.digests)
    return run


def _digests(deadlines, by_case, *, day, now, sent: list) -> None:
    """One digest per caseworker with something due soon or overdue."""
    counts: dict[int, dict] = {}
    people = {}
    for deadline in deadlines:
        for user in by_case.get(deadline.complaint_id, []):
            people[user.pk] = user
            mine = counts.setdefault(user.pk, {"due": set(), "overdue": set()})
            key = "overdue" if deadline.due_at <= now else "due"
            mine[key].add(deadline.complaint_id)
    for user_id, mine in counts.items():
        user = people[user_id]
        overdue = len(mine["overdue"])
        due = len(mine["due"] - mine["overdue"])
        with transaction.atomic():
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user=user, day=day, sent_at=now)
            except IntegrityError:
                continue
            with override(user.preferred_language):
                url = reverse("casework:queue")
            notification = notification_send(
                user=user,
                kind="casework.digest",
                payload={"due": due, "overdue": overdue},
                url=url,
            )
            if user.email:
                with override(user.preferred_language):
                    email_send(
                        to=user.email,
                        subject=_("Human Rights Office: your cases today"),
                        body=notification.message + "\n\n" + settings.SITE_URL.rstrip("/") + url,
                    )
        sent.append(user.username)
