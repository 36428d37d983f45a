"""Issue 17: a stolen database says nothing about a *named* case. After a full
life of a complaint filed from a resident's account (file, assign, accept,
messages both ways, the complainant's evidence file, decide, close), a dump of
every row of every table (raw SQL, what a thief holds), `manage.py dumpdata`
outside the case and the captured logs hold no narrative, no contact, no
ground code, and no row that names the case also names the resident's
account. The resident still finds the case as theirs (keyed hash)."""

import io
import json
import logging

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from complaints import services
from complaints.models import Complaint
from core.models import Notification
from tests import factories

NARRATIVE = "NARR-8086 the landlord would not rent to a couple like us"
MESSAGE = "MSG-6502 we have the landlord's text message"
REPLY = "REPLY-4004 here it is"
NOTE = "NOTE-2600 ask the landlord"
FILE_TEXT = b"FILETEXT-1802 no couples like you"
GROUND = "sexual_orientation"
CONTENT = [NARRATIVE, MESSAGE, REPLY, NOTE, "FILETEXT-1802"]


def _life(capture):
    supervisor, caseworker = factories.supervisor(), factories.caseworker()
    resident = factories.resident(email="resident-7117@example.org")
    with capture(execute=True):
        complaint = services.complaint_submit(
            grounds=[GROUND, "family_type"],
            description=NARRATIVE,
            anonymous=False,
            user=resident,
            field_of_life="housing",
            location="PLACE-3390 Seo-gu",
        ).complaint
    steps = [
        lambda c: services.complaint_assign(complaint=c, actor=supervisor, caseworker=caseworker),
        lambda c: services.complaint_transition(complaint=c, actor=supervisor, transition="accept"),
        lambda c: services.complaint_message_post(complaint=c, author=caseworker, body=MESSAGE),
        lambda c: services.complaint_message_post(complaint=c, author=resident, body=REPLY),
        lambda c: services.complaint_attachment_add(
            complaint=c, actor=resident, uploaded_file=SimpleUploadedFile("text.txt", FILE_TEXT)
        ),
        lambda c: services.complaint_note_add(complaint=c, actor=caseworker, note=NOTE),
        lambda c: services.complaint_transition(
            complaint=c, actor=caseworker, transition="decide", note="found"
        ),
        lambda c: services.complaint_transition(complaint=c, actor=supervisor, transition="close"),
    ]
    for step in steps:
        with capture(execute=True):
            step(Complaint.objects.get(pk=complaint.pk))
    return Complaint.objects.get(pk=complaint.pk), resident


def _raw_rows():
    """(table, {column: value}, columns that point at the user table) for every
    row of every table, read with a raw cursor."""
    users = get_user_model()._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            relations = connection.introspection.get_relations(cursor, table)
            user_columns = {col for col, (_, to_table) in relations.items() if to_table == users}
            description = connection.introspection.get_table_description(cursor, table)
            columns = [c.name for c in description]
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            for row in cursor.fetchall():
                values = {}
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    values[column] = value
                yield table, values, user_columns


def _names(complaint, text: str) -> bool:
    return any(n in text for n in (complaint.reference, str(complaint.pk), complaint.pk.hex))


@pytest.mark.django_db
def test_a_dump_after_a_named_case_life_links_no_account_to_the_case(
    django_capture_on_commit_callbacks, caplog
):
    caplog.set_level(logging.DEBUG)
    complaint, resident = _life(django_capture_on_commit_callbacks)
    # The resident still has the case as theirs, by the keyed hash alone.
    assert list(Complaint.objects.filed_by(resident)) == [complaint]
    assert complaint.ground_codes == ["family_type", GROUND]
    assert Notification.objects.filter(user=resident).count() >= 2  # they were told

    naming_rows = 0
    account_texts = (resident.username, resident.email, f'"{resident.pk}"')
    for table, row, user_columns in _raw_rows():
        texts = [str(v) for v in row.values() if v is not None]
        joined = "\n".join(texts)
        for secret in [*CONTENT, "PLACE-3390", GROUND, "family_type"]:
            assert secret not in joined, (table, secret)
        if not _names(complaint, joined):
            continue
        naming_rows += 1
        for column in user_columns:
            assert row[column] != resident.pk, (table, column)
        for text in account_texts:
            assert text not in joined, (table, text)
    assert naming_rows >= 10  # the case, its events, messages, file, deadlines...

    out = io.StringIO()
    call_command("dumpdata", exclude=["complaints"], stdout=out)
    user_model = get_user_model()
    for obj in json.loads(out.getvalue()):
        dumped = json.dumps(obj)
        for secret in [*CONTENT, GROUND]:
            assert secret not in dumped, (obj["model"], secret)
        if not _names(complaint, dumped):
            continue
        model = apps.get_model(obj["model"])
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is user_model:
                assert obj["fields"].get(field.name) != resident.pk, (obj["model"], field.name)

    for record in caplog.records:
        line = record.getMessage()
        for secret in [*CONTENT, GROUND]:
            assert secret not in line, secret
        if _names(complaint, line):
            assert resident.username not in line and resident.email not in line


@pytest.mark.django_db
def test_a_plain_account_link_would_have_been_found(django_capture_on_commit_callbacks):
    """The check above is not blind: a row naming both the case and the
    resident's account (as a plain foreign key did) is caught by it."""
    complaint, resident = _life(django_capture_on_commit_callbacks)
    Notification.objects.create(user=resident, kind="x", payload={"reference": complaint.reference})
    found = [
        table
        for table, row, user_columns in _raw_rows()
        if _names(complaint, "\n".join(str(v) for v in row.values() if v is not None))
        and any(row[c] == resident.pk for c in user_columns)
    ]
    assert found == [Notification._meta.db_table]
