"""E-mails go through the task queue, after commit."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from core.services import email_send

pytestmark = pytest.mark.django_db(transaction=True)

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_email_is_queued_on_commit_and_sent_by_the_worker(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DB_BACKEND  # django-tasks resets its backends on setting_changed

    with transaction.atomic():
        email_send(to=["a@example.org", "b@example.org"], subject="News", body="Hello")
        assert DBTaskResult.objects.count() == 0  # nothing before commit
    assert DBTaskResult.objects.count() == 1
    assert mail.outbox == []  # queued, not sent inline
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*")
    # One message per recipient: nobody sees another's address.
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "b@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)


def test_rolled_back_email_is_never_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        email_send(to="a@example.org", subject="News", body="Hello")
        raise RuntimeError
    assert mail.outbox == []
