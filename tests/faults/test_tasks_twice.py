"""Every task is safe to run twice: each one, queued once and then run twice on
the same task row (as a retry after a timeout or a killed worker does), has its
effect once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from complaints.models import Complaint
from complaints.tasks import complainant_news_email
from consultations import services as consultation_services
from consultations.tasks import notify_proposal_answered
from core.models import Notification
from core.tasks import send_email
from core.worker import _TimedWorker
from petitions.models import Petition
from petitions.tasks import close_expired_petitions, notify_signers
from tests import factories
from tests.complaints.conftest import submit
from tests.petitions.factories import PetitionFactory, SignatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def twice(settings):
    """Queue a task on the database back-end, run its row twice, return the
    row's status after each run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    runner = _TimedWorker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="twice",
        excluded_queue_names=[],
    )

    def run(task, **kwargs) -> list:
        row = DBTaskResult.objects.get(pk=task.enqueue(**kwargs).id)
        values = []
        for _ in range(2):
            row.refresh_from_db()
            runner.run_task(row)
            row.refresh_from_db()
            assert row.status == "SUCCESSFUL", row.traceback
            values.append(row.return_value)
        return values

    return run


def test_send_email(twice):
    assert twice(send_email, to=["a@example.org", "b@example.org"], subject="S", body="B") == [2, 0]
    assert len(mail.outbox) == 2


def test_complainant_news_email(twice):
    complaint = submit(contact_name="Kim", contact_email="kim@example.org").complaint
    assert Complaint.objects.filter(pk=complaint.pk).exists()
    mail.outbox.clear()
    assert twice(complainant_news_email, complaint_id=str(complaint.pk)) == [1, 0]
    assert len(mail.outbox) == 1


def test_notify_proposal_answered(twice, make_consultation):
    page = make_consultation("open")
    author, supporter = factories.resident(), factories.resident()
    proposal = consultation_services.proposal_create(
        page=page, author=author, title="Ramps", body="b"
    )
    consultation_services.proposal_support(proposal=proposal, user=supporter)
    assert twice(notify_proposal_answered, proposal_id=proposal.pk) == [2, 0]
    kind = "consultations.proposal_answered"
    assert Notification.objects.filter(kind=kind).count() == 2


def test_notify_signers(twice):
    petition = PetitionFactory(status=Petition.Status.ANSWERED)
    for _ in range(3):
        SignatureFactory(petition=petition)
    assert twice(notify_signers, petition_id=petition.pk) == [3, 0]
    assert Notification.objects.filter(kind="petition.answered").count() == 3


def test_close_expired_petitions(twice):
    petition = PetitionFactory()
    Petition.objects.filter(pk=petition.pk).update(closes_at=timezone.now() - timedelta(days=1))
    first, second = twice(close_expired_petitions)
    assert first >= 1 and second == 0
