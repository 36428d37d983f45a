"""The deadline engine and `manage.py casework_deadlines` (issue 16), with the
clock passed in as `now=` (no test waits on time)."""

import datetime
import io
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from complaints import deadlines, services
from complaints.models import (
    Complaint,
    ComplaintEvent,
    Deadline,
    DeadlineKind,
    DeadlineNotice,
    DigestSent,
    EventKind,
)
from core.errors import Hidden, Invalid, Refused
from core.models import Notification

from .conftest import submit

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
DAY = datetime.timedelta(days=1)


def clock(complaint, kind):
    return Deadline.objects.get(complaint=complaint, kind=kind, ended_at__isnull=True)


def notes(user, kind):
    return Notification.objects.filter(user=user, kind=kind)


@pytest.fixture
def settings_periods(settings):
    settings.COMPLAINTS_TRIAGE_DAYS = 14
    settings.COMPLAINTS_INVESTIGATION_DAYS = 90
    settings.COMPLAINTS_REPLY_DAYS = 5
    settings.COMPLAINTS_REMINDER_DAYS = 3
    settings.COMPLAINTS_DIGEST_HOUR = 8
    return settings


# --- clocks set on entry -------------------------------------------------------------


def test_submission_opens_the_triage_clock_from_the_configured_period(people, settings_periods):
    settings_periods.COMPLAINTS_TRIAGE_DAYS = 10
    complaint = submit(people.owner).complaint
    triage = clock(complaint, DeadlineKind.TRIAGE)
    assert triage.due_at - triage.started_at == 10 * DAY
    assert Complaint.objects.get(pk=complaint.pk).triage_due == triage.due_at


def test_accept_ends_triage_and_starts_investigation(make_complaint, settings_periods):
    complaint = make_complaint("investigating")
    assert not Deadline.objects.filter(
        complaint=complaint, kind=DeadlineKind.TRIAGE, ended_at__isnull=True
    ).exists()
    investigation = clock(complaint, DeadlineKind.INVESTIGATION)
    assert investigation.due_at - investigation.started_at == 90 * DAY
    assert complaint.investigation_due == investigation.due_at


def test_mediation_keeps_the_investigation_clock_running(make_complaint, people):
    complaint = make_complaint("investigating")
    first = clock(complaint, DeadlineKind.INVESTIGATION)
    services.complaint_transition(
        complaint=complaint, actor=people.caseworker, transition="start_mediation"
    )
    assert clock(complaint, DeadlineKind.INVESTIGATION).pk == first.pk


def test_a_finished_case_has_no_running_clock(make_complaint, people):
    complaint = make_complaint("investigating")
    services.complaint_message_post(complaint=complaint, author=people.owner, body="Any news?")
    services.complaint_transition(
        complaint=complaint,
        actor=people.supervisor,
        transition="refer",
        note="Labour office",
        public_reason="Another body handles this.",
    )
    assert not Deadline.objects.filter(complaint=complaint, ended_at__isnull=True).exists()


def test_a_complainant_message_starts_the_reply_clock_and_the_answer_ends_it(
    make_complaint, people, settings_periods
):
    complaint = make_complaint("investigating")
    services.complaint_message_post(complaint=complaint, author=people.owner, body="Any news?")
    reply = clock(complaint, DeadlineKind.REPLY)
    assert reply.due_at - reply.started_at == 5 * DAY
    services.complaint_message_post(complaint=complaint, author=people.caseworker, body="Soon.")
    assert not Deadline.objects.filter(
        complaint=complaint, kind=DeadlineKind.REPLY, ended_at__isnull=True
    ).exists()


def test_the_recommendation_hook_opens_a_clock_with_the_given_date(make_complaint):
    complaint = make_complaint("decided")
    due = timezone.now() + 60 * DAY
    deadline = deadlines.deadline_open(
        complaint=complaint, kind=DeadlineKind.RECOMMENDATION, source="rec-7", due_at=due
    )
    again = deadlines.deadline_open(
        complaint=complaint, kind=DeadlineKind.RECOMMENDATION, source="rec-7", due_at=due
    )
    assert deadline.pk == again.pk and deadline.due_at == due
    deadlines.deadline_end(complaint=complaint, kinds=[DeadlineKind.RECOMMENDATION], source="rec-7")
    assert not Deadline.objects.filter(pk=deadline.pk, ended_at__isnull=True).exists()


# --- pause and extend ---------------------------------------------------------------------


def test_pause_then_resume_moves_the_due_date_by_the_pause(make_complaint, people):
    complaint = make_complaint("investigating")
    before = clock(complaint, DeadlineKind.INVESTIGATION).due_at
    start = timezone.now()
    deadlines.deadline_pause(
        complaint=complaint,
        actor=people.caseworker,
        kind=DeadlineKind.INVESTIGATION,
        reason="Waiting for a document",
        now=start,
    )
    deadlines.deadline_resume(
        complaint=complaint,
        actor=people.caseworker,
        kind=DeadlineKind.INVESTIGATION,
        now=start + 4 * DAY,
    )
    after = clock(complaint, DeadlineKind.INVESTIGATION).due_at
    assert after - before == 4 * DAY
    assert Complaint.objects.get(pk=complaint.pk).investigation_due == after
    kinds = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", flat=True))
    assert EventKind.PAUSED in kinds and EventKind.RESUMED in kinds
    paused = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.PAUSED)
    assert "Waiting for a document" in paused.note


def test_pause_needs_a_reason_and_someone_on_the_case(make_complaint, people):
    complaint = make_complaint("investigating")
    with pytest.raises(Invalid):
        deadlines.deadline_pause(
            complaint=complaint, actor=people.caseworker, kind="investigation", reason=" "
        )
    with pytest.raises(Hidden):  # not on the case: it does not exist for them
        deadlines.deadline_pause(
            complaint=complaint, actor=people.other_caseworker, kind="investigation", reason="x"
        )


def test_a_paused_clock_neither_reminds_nor_escalates(make_complaint, people):
    complaint = make_complaint("investigating")
    deadlines.deadline_pause(
        complaint=complaint,
        actor=people.caseworker,
        kind=DeadlineKind.INVESTIGATION,
        reason="Waiting for the complainant",
    )
    run = deadlines.casework_deadlines_run(now=complaint.investigation_due + DAY)
    assert run.reminded == [] and run.escalated == []


def test_the_supervisor_extends_with_a_reason_and_the_date_moves(make_complaint, people):
    complaint = make_complaint("investigating")
    before = clock(complaint, DeadlineKind.INVESTIGATION).due_at
    deadlines.deadline_extend(
        complaint=complaint,
        actor=people.supervisor,
        kind=DeadlineKind.INVESTIGATION,
        days=30,
        reason="Respondent asked for time",
    )
    assert clock(complaint, DeadlineKind.INVESTIGATION).due_at == before + 30 * DAY
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.EXTENDED)
    assert "Respondent asked for time" in event.note and event.actor == people.supervisor


def test_only_the_supervisor_extends_and_the_days_are_checked(make_complaint, people):
    complaint = make_complaint("investigating")
    with pytest.raises(Refused):  # on the case, but only the supervisor extends
        deadlines.deadline_extend(
            complaint=complaint, actor=people.caseworker, kind="investigation", days=3, reason="x"
        )
    with pytest.raises(Invalid):
        deadlines.deadline_extend(
            complaint=complaint, actor=people.supervisor, kind="investigation", days=0, reason="x"
        )


def test_an_extension_after_a_reminder_allows_a_new_reminder(make_complaint, people):
    complaint = make_complaint("investigating")
    due = clock(complaint, DeadlineKind.INVESTIGATION).due_at
    assert deadlines.casework_deadlines_run(now=due - 2 * DAY).reminded
    deadlines.deadline_extend(
        complaint=complaint, actor=people.supervisor, kind="investigation", days=10, reason="x"
    )
    assert deadlines.casework_deadlines_run(now=due - 2 * DAY).reminded == []
    assert deadlines.casework_deadlines_run(now=due + 8 * DAY).reminded == [
        (complaint.reference, people.caseworker.username)
    ]


# --- the scheduled command --------------------------------------------------------------


def test_remind_the_assigned_caseworker_days_before_due(
    make_complaint, people, settings_periods, django_capture_on_commit_callbacks
):
    complaint = make_complaint("investigating")
    due = complaint.investigation_due
    assert deadlines.casework_deadlines_run(now=due - 4 * DAY).reminded == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run = deadlines.casework_deadlines_run(now=due - 2 * DAY)
    assert run.reminded == [(complaint.reference, people.caseworker.username)]
    note = notes(people.caseworker, "complaint.deadline_soon").get()
    assert note.payload["reference"] == complaint.reference
    # The reminder names the case; the digest (also due now) names none.
    sent = [m for m in mail.outbox if people.caseworker.email in m.to and "HR-" in m.body]
    assert len(sent) == 1
    assert "flat" not in sent[0].body and complaint.reference in sent[0].body


def test_an_unassigned_case_reminds_the_supervisors(people, settings_periods):
    complaint = submit(people.owner).complaint
    run = deadlines.casework_deadlines_run(now=complaint.triage_due - DAY)
    assert run.reminded == [(complaint.reference, people.supervisor.username)]


def test_overdue_escalates_to_every_supervisor(make_complaint, people):
    from tests import factories

    second = factories.supervisor()
    complaint = make_complaint("investigating")
    run = deadlines.casework_deadlines_run(now=complaint.investigation_due + DAY)
    assert sorted(u for _, u in run.escalated) == sorted(
        [people.supervisor.username, second.username]
    )
    assert notes(second, "complaint.overdue").count() == 1
    assert not notes(people.caseworker, "complaint.overdue").exists()


def test_run_twice_sends_nothing_twice(make_complaint, people, django_capture_on_commit_callbacks):
    soon = make_complaint("investigating")
    late = make_complaint("investigating")
    Deadline.objects.filter(complaint=late).update(due_at=soon.investigation_due - 5 * DAY)
    now = (soon.investigation_due - DAY).astimezone(SEOUL).replace(hour=9)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = deadlines.casework_deadlines_run(now=now)
    sent_mail = len(mail.outbox)
    sent_notes = Notification.objects.count()
    assert first.reminded and first.escalated and first.digests
    with django_capture_on_commit_callbacks(execute=True):
        second = deadlines.casework_deadlines_run(now=now + datetime.timedelta(seconds=30))
    assert (second.reminded, second.escalated, second.digests) == ([], [], [])
    assert len(mail.outbox) == sent_mail
    assert Notification.objects.count() == sent_notes
    assert DeadlineNotice.objects.count() == len(first.reminded) + len(first.escalated)


def test_the_command_runs_and_prints_no_case_text(make_complaint, people):
    complaint = make_complaint("investigating")
    Deadline.objects.filter(complaint=complaint).update(due_at=timezone.now() - DAY)
    out = io.StringIO()
    call_command("casework_deadlines", stdout=out)
    assert f"escalated: {complaint.reference} → {people.supervisor.username}" in out.getvalue()
    out = io.StringIO()
    call_command("casework_deadlines", stdout=out)
    assert "0 reminders, 0 escalations" in out.getvalue()
    assert "flat" not in out.getvalue()


def test_one_morning_digest_per_caseworker_with_counts_only(
    make_complaint, people, settings_periods, django_capture_on_commit_callbacks
):
    soon = make_complaint("investigating")
    late = make_complaint("investigating")
    Deadline.objects.filter(complaint=late).update(due_at=soon.investigation_due - 5 * DAY)
    morning = (soon.investigation_due - DAY).astimezone(SEOUL)
    early = morning.replace(hour=6, minute=0)
    assert deadlines.casework_deadlines_run(now=early).digests == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run = deadlines.casework_deadlines_run(now=morning.replace(hour=8, minute=5))
    assert run.digests == [people.caseworker.username]
    digest = notes(people.caseworker, "casework.digest").get()
    assert digest.payload == {"due": 1, "overdue": 1}
    # The reminder for `soon` went at 06:00; this mail is the digest, and it names no case.
    [email] = [m for m in mail.outbox if people.caseworker.email in m.to]
    assert "HR-" not in email.body and "/casework/" in email.body
    assert soon.reference not in email.body and late.reference not in email.body
    assert "flat" not in email.body
    # Later the same day: nothing; the next morning: a new one.
    assert deadlines.casework_deadlines_run(now=morning.replace(hour=15)).digests == []
    next_day = morning.replace(hour=8, minute=5) + DAY
    assert deadlines.casework_deadlines_run(now=next_day).digests == [people.caseworker.username]
    assert DigestSent.objects.filter(user=people.caseworker).count() == 2
