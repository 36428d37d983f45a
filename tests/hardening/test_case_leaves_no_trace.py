"""Issue 17: nothing about a case outside the case. After a full case life the
tables outside the case (task rows, sessions, notifications, ...) and the logs
hold no contact data and no narrative; the task rows carry identifiers only;
a receipt session does not put an account beside a case in readable form; and
the purge leaves no row or file naming the case."""

import datetime
import io
import json
import logging

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from complaints import services
from complaints.models import Complaint
from tests import factories
from tests.complaints.test_at_rest import raw_dump

NARRATIVE = "NARR-5150 the clerk refused to serve me"
CONTACT = "contact-3141@example.org"
MESSAGE = "MSG-2718 please send the receipt of the shop"
FILE_TEXT = b"FILETEXT-1618 what the shop wrote"
NOTE = "NOTE-1414 call the shop"
CONTENT = [NARRATIVE, CONTACT, MESSAGE, NOTE, "FILETEXT-1618"]


def _run_tasks():
    call_command(
        "db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", stdout=io.StringIO()
    )


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _life(django_capture_on_commit_callbacks):
    supervisor, caseworker = factories.supervisor(), factories.caseworker()
    resident = factories.resident()
    with django_capture_on_commit_callbacks(execute=True):
        submission = services.complaint_submit(
            grounds=["age"],
            description=NARRATIVE,
            anonymous=True,
            field_of_life="housing",
            contact_email=CONTACT,
        )
    complaint = submission.complaint
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_assign(complaint=complaint, actor=supervisor, caseworker=caseworker)
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_transition(complaint=complaint, actor=supervisor, transition="accept")
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_message_post(complaint=complaint, author=caseworker, body=MESSAGE)
        services.complaint_note_add(complaint=complaint, actor=caseworker, note=NOTE)
    # A signed-in resident opens their anonymous case by its receipt.
    client = Client()
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        opened = client.post(
            "/api/v1/complaints/status",
            {"receipt": submission.receipt},
            content_type="application/json",
        )
        assert opened.status_code == 200
        added = client.post(
            f"/api/v1/complaints/{complaint.reference}/attachments",
            {"file": SimpleUploadedFile("shop.txt", FILE_TEXT)},
        )
        assert added.status_code == 201, added.content
    for who, name in ((caseworker, "decide"), (supervisor, "close")):
        with django_capture_on_commit_callbacks(execute=True):
            complaint = Complaint.objects.get(pk=complaint.pk)
            services.complaint_transition(complaint=complaint, actor=who, transition=name, note="x")
    _run_tasks()
    return Complaint.objects.get(pk=complaint.pk), resident


def _dumpdata_outside_the_case() -> str:
    # dumpdata runs with the keys and so decrypts the case's own (encrypted)
    # columns; what must hold nothing is every table outside the case.
    out = io.StringIO()
    call_command("dumpdata", exclude=["complaints"], stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)  # the worker closes its connection
def test_a_full_case_life_leaves_no_content_outside_the_case(
    db_tasks, django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    complaint, resident = _life(django_capture_on_commit_callbacks)

    assert len(mail.outbox) >= 3  # the staff and the complainant were told by e-mail
    assert DBTaskResult.objects.exists()
    raw, dumped, logs = raw_dump(), _dumpdata_outside_the_case(), caplog.text
    mails = "\n".join(m.subject + m.body for m in mail.outbox)
    for secret in CONTENT:
        assert secret not in raw, secret
        assert secret not in dumped, secret
        assert secret not in logs, secret
        if secret != CONTACT:
            assert secret not in mails, secret
    # Task rows: identifiers only, results are counts.
    for row in DBTaskResult.objects.all():
        assert set(row.args_kwargs["kwargs"]) <= {"complaint_id", "notification_id"}, row.task_path
        assert row.args_kwargs["args"] == []
        assert row.return_value is None or isinstance(row.return_value, int)
    # The resident's session: their account id and the case, but not readably together.
    for session in Session.objects.all():
        decoded = json.dumps(session.get_decoded())
        if str(resident.pk) in decoded:
            assert str(complaint.pk) not in decoded and complaint.pk.hex not in decoded
            assert complaint.reference not in decoded


@pytest.mark.django_db(transaction=True)  # the worker closes its connection
def test_the_purge_leaves_no_row_or_task_naming_the_case(
    db_tasks, django_capture_on_commit_callbacks, settings, monkeypatch
):
    complaint, _resident = _life(django_capture_on_commit_callbacks)
    checkpoints = []
    monkeypatch.setattr(services, "database_checkpoint", lambda: checkpoints.append(True))
    later = timezone.now() + datetime.timedelta(days=settings.COMPLAINTS_RETENTION_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.complaints_purge(now=later).warned == [complaint.reference]
    # The warning queued e-mail tasks naming the case (by notification id): not run yet.
    assert DBTaskResult.objects.filter(status="READY").exists()
    notice = datetime.timedelta(days=settings.COMPLAINTS_PURGE_WARNING_DAYS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.complaints_purge(now=later + notice).purged == [complaint.reference]

    raw = raw_dump()
    for needle in [complaint.reference, str(complaint.pk), complaint.pk.hex, *CONTENT]:
        assert needle not in raw, needle
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert checkpoints == [True]


@pytest.mark.django_db(transaction=True)  # the worker closes its connection
def test_finished_task_rows_are_pruned(db_tasks, django_capture_on_commit_callbacks):
    from core.services import task_results_prune

    _life(django_capture_on_commit_callbacks)
    finished = DBTaskResult.objects.filter(finished_at__isnull=False).count()
    assert finished
    assert task_results_prune() == 0  # younger than a day: kept for now
    assert task_results_prune(older_than=datetime.timedelta(0)) == finished


@pytest.mark.django_db(transaction=True)
def test_the_checkpoint_folds_the_sqlite_log_outside_a_transaction():
    from core.services import database_checkpoint

    with CaptureQueriesContext(connection) as queries:
        database_checkpoint()
    if connection.vendor == "sqlite":
        assert any("wal_checkpoint(TRUNCATE)" in q["sql"] for q in queries)
    else:
        assert not queries


def test_development_mail_goes_to_files_under_var_not_the_console():
    from config.settings import base

    assert base.EMAIL_CONFIG["EMAIL_BACKEND"].endswith("filebased.EmailBackend") or (
        base.env("EMAIL_URL", default="")
    )
    if not base.env("EMAIL_URL", default=""):
        assert base.EMAIL_CONFIG["EMAIL_FILE_PATH"] == str(base.VAR_DIR / "mail")
