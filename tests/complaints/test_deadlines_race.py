"""`casework_deadlines` run twice at once on PostgreSQL sends nothing twice."""

import datetime
import threading

import pytest
from django.db import connection

from complaints import deadlines, services
from complaints.models import Deadline, DeadlineNotice, DigestSent
from core.models import Notification
from tests import factories

from .conftest import submit

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_runs_send_each_notice_once():
    supervisor, caseworker, owner = (
        factories.supervisor(),
        factories.caseworker(),
        factories.resident(),
    )
    cases = []
    for _ in range(5):
        complaint = submit(owner).complaint
        services.complaint_assign(complaint=complaint, actor=supervisor, caseworker=caseworker)
        cases.append(complaint)
    due = Deadline.objects.filter(complaint=cases[0]).get().due_at
    Deadline.objects.filter(complaint__in=cases[:2]).update(
        due_at=due - datetime.timedelta(days=20)
    )
    now = (due - datetime.timedelta(days=1)).replace(hour=0) + datetime.timedelta(hours=1)
    barrier = threading.Barrier(4)
    errors = []

    def run():
        try:
            barrier.wait()
            deadlines.casework_deadlines_run(now=now)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    # 3 reminders to the caseworker, 2 escalations to the one supervisor, 1 digest.
    assert DeadlineNotice.objects.filter(kind="reminder").count() == 3
    assert DeadlineNotice.objects.filter(kind="overdue").count() == 2
    assert Notification.objects.filter(kind="complaint.deadline_soon").count() == 3
    assert Notification.objects.filter(kind="complaint.overdue").count() == 2
    assert DigestSent.objects.count() == Notification.objects.filter(kind="casework.digest").count()
    assert DigestSent.objects.count() == 1  # 10:00 in Seoul: after the digest hour
