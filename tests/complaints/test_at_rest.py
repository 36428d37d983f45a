"""Encryption at rest, no metadata, retention: what a dump of the database (and
the logs) would reveal about a complaint, and what a purge leaves behind."""

import datetime
import io
import logging
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from complaints import services
from complaints.models import Complaint, ComplaintAttachment
from core.health import ensure_canary
from core.models import HealthMark, Notification
from core.private_storage import _path, private_file_keys
from tests import factories

from .conftest import api, submit

NARRATIVE = "NARR-7731 my landlord shouted at me in the stairwell"
PLACE = "PLACE-5512 Geumnam-ro"
CONTACT = "contact-9941@example.org"
MESSAGE = "MSG-6620 here is the lease"
NOTE = "NOTE-4418 talk to the landlord"
FILE_NAME = "FILENAME-3307.txt"
FILE_TEXT = b"FILETEXT-2290 the lease says"


def raw_dump() -> str:
    """Every row of every table, read with a raw cursor (what a stolen dump holds)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    parts.append(str(value))
    return "\n".join(parts)


def full_case(people):
    submission = submit(
        anonymous=True, description=NARRATIVE, location=PLACE, contact_email=CONTACT
    )
    complaint = submission.complaint
    services.complaint_assign(
        complaint=complaint, actor=people.supervisor, caseworker=people.caseworker
    )
    services.complaint_message_post(complaint=complaint, author=people.caseworker, body=MESSAGE)
    services.complaint_note_add(complaint=complaint, actor=people.caseworker, note=NOTE)
    services.complaint_attachment_add(
        complaint=complaint,
        actor=people.caseworker,
        uploaded_file=SimpleUploadedFile(FILE_NAME, FILE_TEXT),
    )
    return complaint, submission.receipt


SECRETS = [NARRATIVE, PLACE, CONTACT, MESSAGE, NOTE, FILE_NAME.removesuffix(".txt")]


def test_a_dump_of_the_database_reveals_no_narrative_contact_or_receipt(people):
    complaint, receipt = full_case(people)
    dump = raw_dump()
    assert complaint.reference in dump  # the dump really holds the case
    for secret in [*SECRETS, receipt, receipt.replace("-", "")]:
        assert secret not in dump, secret
    for marker in ("NARR-7731", "PLACE-5512", "contact-9941", "MSG-6620", "NOTE-4418"):
        assert marker not in dump
    # (`manage.py dumpdata` is not the threat: it runs with the keys and
    # decrypts. A stolen database is the raw rows read above.)
    # Files: ciphertext on disk.
    for key in private_file_keys():
        assert b"FILETEXT-2290" not in _path(key).read_bytes()


def test_raw_columns_hold_ciphertext_and_rotation_lets_the_old_key_go(people, settings):
    key_a, key_b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [key_a]
    # The health canary is written by migrate with the keys of the day: here, key A.
    HealthMark.objects.filter(name=HealthMark.CANARY).delete()
    ensure_canary()
    complaint, _receipt = full_case(people)
    attachment = ComplaintAttachment.objects.get()
    file_before = _path(attachment.storage_key).read_bytes()

    def raw_description() -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT description, contact_email FROM complaints_complaint WHERE id = %s",
                [complaint.pk.hex if connection.vendor == "sqlite" else complaint.pk],
            )
            return cursor.fetchone()

    description_a, contact_a = raw_description()
    assert NARRATIVE not in description_a and CONTACT not in contact_a
    assert Fernet(key_a).decrypt(description_a.encode()).decode() == NARRATIVE

    settings.FIELD_ENCRYPTION_KEYS = [key_b, key_a]
    call_command("rotate_encryption", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [key_b]  # the old key is gone
    description_b, contact_b = raw_description()
    assert description_b != description_a
    assert Fernet(key_b).decrypt(description_b.encode()).decode() == NARRATIVE
    assert Fernet(key_b).decrypt(contact_b.encode()).decode() == CONTACT
    assert _path(attachment.storage_key).read_bytes() != file_before
    fresh = Complaint.objects.get(pk=complaint.pk)
    assert fresh.description == NARRATIVE and fresh.location == PLACE
    assert fresh.contact_email == CONTACT
    assert fresh.messages.get().body == MESSAGE
    assert fresh.events.get(kind="note").note == NOTE
    assert ComplaintAttachment.objects.get().name == FILE_NAME
    dump = raw_dump()
    for secret in SECRETS:
        assert secret not in dump
    # The case still opens through the real page with the new key alone.
    client = Client()
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert NARRATIVE in _caseworker_page(people, fresh)


def _caseworker_page(people, complaint) -> str:
    client = Client()
    client.force_login(people.caseworker)
    factories.verify_second_factor(client, people.caseworker)
    with translation.override("en"):
        return client.get(reverse("casework:case", args=[complaint.reference])).content.decode()


def test_user_agent_and_forwarded_for_of_an_anonymous_complaint_are_found_nowhere(db, caplog):
    marker = "UAMARK-8812-device"
    ip_marker = "203.0.113.199"
    client = Client(
        HTTP_USER_AGENT=f"Mozilla/5.0 {marker}",
        HTTP_X_FORWARDED_FOR=f"{ip_marker}, {marker}",
        REMOTE_ADDR=ip_marker,
    )
    caplog.set_level(logging.DEBUG)
    with translation.override("en"):
        status = reverse("complaints:status")
    from .intake import file_by_form

    filed, _data = file_by_form(
        client,
        description=NARRATIVE,
        grounds=["age"],
        field_of_life="housing",
        identity="anonymous",
    )
    response = client.get(filed["Location"])
    receipt = response.context["submission"]["receipt"]
    api(
        client,
        "post",
        "complaints",
        {"grounds": ["sex"], "description": NARRATIVE, "anonymous": True},
    )
    client.post(status, {"receipt": "9999-9999-9999-9999"})  # a failure: counted, by hash
    client.post(status, {"receipt": receipt})
    complaint = Complaint.objects.filter(anonymous=True).first()
    client.post(
        reverse("complaints:message", args=[complaint.reference]), {"body": "from my phone"}
    )
    assert Complaint.objects.filter(anonymous=True).count() == 2
    dump = raw_dump()
    logs = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    for needle in (marker, ip_marker, "Mozilla/5.0"):
        assert needle not in dump, needle
        assert needle not in logs, needle
    assert "NARR-7731" not in logs and "from my phone" not in logs
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "path",
    ["/ko/complaints/status/", "/en/complaints/new/", "/en/casework/", "/en/complaints/HR-0/"],
)
def test_complaint_paths_send_no_store_same_origin_and_a_first_party_csp(db, path):
    response = Client().get(path)
    assert response["Cache-Control"] == "no-store"
    # same-origin, not no-referrer: no-referrer makes browsers send `Origin: null`
    # on form POSTs, which Django's CSRF check refuses.
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "http" not in csp and "*" not in csp and "frame-ancestors 'none'" in csp
    api_answer = api(Client(), "post", "complaints/status", {"receipt": "1"})
    assert api_answer["Cache-Control"] == "no-store"


# --- retention -----------------------------------------------------------------------


def _finish(people, complaint, transition="refer"):
    services.complaint_transition(
        complaint=complaint,
        actor=people.supervisor,
        transition=transition,
        note="Labour office",
        public_reason="Another body can act on this.",
    )


def test_purge_warns_the_supervisor_once_then_leaves_zero_rows_and_files(
    people, settings, django_capture_on_commit_callbacks
):
    settings.COMPLAINTS_RETENTION_DAYS = 30
    settings.COMPLAINTS_PURGE_WARNING_DAYS = 7
    complaint, _receipt = full_case(people)
    services.complaint_attachment_add(
        complaint=complaint,
        actor=people.caseworker,
        uploaded_file=SimpleUploadedFile("photo.png", _png()),
    )
    idem = submit(anonymous=False, user=people.owner, idempotency_key="k-1").complaint
    for case in (complaint, idem):
        _finish(people, case)
    keep = submit(people.owner).complaint  # open: never purged
    now = timezone.now()
    assert len(list(private_file_keys())) == 2

    # Too early: nothing.
    run = services.complaints_purge(now=now + datetime.timedelta(days=10))
    assert run.warned == [] and run.purged == []
    # Warning time: warned once, recorded.
    later = now + datetime.timedelta(days=24)
    with django_capture_on_commit_callbacks(execute=True):
        run = services.complaints_purge(now=later)
    assert sorted(run.warned) == sorted([complaint.reference, idem.reference])
    warnings = Notification.objects.filter(kind="complaint.purge_warning")
    assert set(warnings.values_list("user", flat=True)) == {people.supervisor.pk}
    assert warnings.count() == 2
    assert services.complaints_purge(now=later).warned == []  # sent once
    # Dry run at the due date: says what would go, changes nothing.
    out = StringIO()
    due = now + datetime.timedelta(days=31)
    from unittest import mock

    with mock.patch("django.utils.timezone.now", return_value=due):
        call_command("purge_complaints", "--dry-run", stdout=out)
    assert f"[dry run] purged: {complaint.reference}" in out.getvalue()
    assert Complaint.objects.filter(pk=complaint.pk).exists()
    # The purge.
    with django_capture_on_commit_callbacks(execute=True):
        with mock.patch("django.utils.timezone.now", return_value=due):
            call_command("purge_complaints", stdout=StringIO())
    dump = raw_dump()
    for case in (complaint, idem):
        assert not Complaint.objects.filter(pk=case.pk).exists()
        assert case.reference not in dump
        assert str(case.pk) not in dump and case.pk.hex not in dump
    assert list(private_file_keys()) == []
    from complaints.models import (
        ComplaintEvent,
        ComplaintMessage,
        ComplaintUserObjectPermission,
        IdempotencyKey,
    )

    for model in (
        ComplaintEvent,
        ComplaintMessage,
        ComplaintUserObjectPermission,
        ComplaintAttachment,
        IdempotencyKey,
    ):
        assert not model.objects.exclude(**_of(model, keep)).exists(), model
    assert Complaint.objects.filter(pk=keep.pk).exists()


def _of(model, complaint) -> dict:
    field = "content_object" if model.__name__.endswith("ObjectPermission") else "complaint"
    return {field: complaint}


def test_a_reopened_case_is_warned_again_and_not_purged_on_the_old_warning(people, settings):
    settings.COMPLAINTS_RETENTION_DAYS = 30
    settings.COMPLAINTS_PURGE_WARNING_DAYS = 7
    complaint = submit(people.owner).complaint
    services.complaint_assign(
        complaint=complaint, actor=people.supervisor, caseworker=people.caseworker
    )
    _finish(people, complaint, "reject")
    now = timezone.now()
    assert services.complaints_purge(now=now + datetime.timedelta(days=25)).warned
    services.complaint_transition(complaint=complaint, actor=people.supervisor, transition="reopen")
    services.complaint_transition(
        complaint=Complaint.objects.get(pk=complaint.pk),
        actor=people.supervisor,
        transition="refer",
        note="Elsewhere",
        public_reason="Another body can act on this.",
    )
    # A month later the old warning predates the last change: warn again, don't purge.
    run = services.complaints_purge(now=timezone.now() + datetime.timedelta(days=31))
    assert run.purged == [] and run.warned == [complaint.reference]
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_the_task_queue_never_holds_the_contact_address(
    people, settings, django_capture_on_commit_callbacks
):
    """Outside tests e-mails go through the database task queue: its rows must
    not become a plain-text copy of the complainant's address."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    complaint = submit(anonymous=True, contact_email=CONTACT).complaint
    services.complaint_assign(
        complaint=complaint, actor=people.supervisor, caseworker=people.caseworker
    )
    from django_tasks_db.models import DBTaskResult

    before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        services.complaint_message_post(complaint=complaint, author=people.caseworker, body=MESSAGE)
    assert DBTaskResult.objects.count() > before  # the mail really is queued
    dump = raw_dump()
    assert CONTACT not in dump and "contact-9941" not in dump
    assert MESSAGE not in dump
