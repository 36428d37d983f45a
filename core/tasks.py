from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


@contextmanager
def once(context) -> Iterator[bool]:
    """Run a task's effects at most once per task result, however often the
    result is run (a retry after a timeout, a worker killed after the work):

        with once(context) as first:
            if first:
                ...  # database writes, e-mails

    The run is recorded in the same transaction as the database writes, so
    they happen exactly once. An e-mail sent and then lost with its worker
    before the commit is sent again: at least once, never lost."""
    from .models import TaskRun

    with transaction.atomic():
        _, created = TaskRun.objects.get_or_create(task_id=str(context.task_result.id))
        yield created


@task(takes_context=True)
def send_email(context, *, to: list[str], subject: str, body: str) -> int:
    # One message per recipient: no recipient sees another's address.
    sent = 0
    with once(context) as first:
        if not first:
            return 0
        for address in to:
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return sent
