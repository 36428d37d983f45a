"""Background e-mail. A task's row (django-tasks' database backend) keeps its
arguments and result until pruned, so what concerns a case carries
identifiers only: `send_notification_email` gets a notification id and builds
the message when it runs (nothing is sent if the notification is gone, e.g.
purged with its case). Results are counts, never content; finished rows are
pruned (core.services.task_results_prune). Every task is safe to run twice
(`once`)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import override
from django_tasks import task

from .digests import digest_batch, news_deliver_batch
from .models import Notification, TaskRun
from .notifications import render_subject


def enqueue_on_commit(task_path: str, **kwargs) -> None:
    """Queue the task at `task_path` ("app.tasks.name") once the transaction
    commits. Services name their tasks rather than import them: a tasks module
    is a thin wrapper around its app's services and imports them, so services
    importing their tasks back would be a circle (docs/architecture.md, "No
    circles")."""
    transaction.on_commit(lambda: import_string(task_path).enqueue(**kwargs))


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


@task(takes_context=True)
def send_notification_email(context, *, notification_id: int) -> int:
    """The e-mail copy of a stored notification, written at sending time in
    the recipient's language: the notification's message and link only."""
    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return 0
    user = notification.user
    if not user.is_active or not user.email:
        return 0
    with override(getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE):
        subject = render_subject(notification.kind, notification.payload)
        body = notification.message
        if notification.url:
            body += "\n\n" + settings.SITE_URL.rstrip("/") + notification.url
    with once(context) as first:
        if not first:
            return 0
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@task(takes_context=True)
def send_emails(context, *, messages: list[dict]) -> int:
    """A batch of different messages (each `{"to", "subject", "body"}`) in one
    task, so a batch of a thousand recipients is one job, not a thousand."""
    sent = 0
    with once(context) as first:
        if not first:
            return 0
        for message in messages:
            sent += send_mail(
                message["subject"], message["body"], settings.DEFAULT_FROM_EMAIL, [message["to"]]
            )
    return sent


@task(takes_context=True)
def deliver_news(context, *, key: str, after: int = 0) -> int:
    """Tell one batch of a news item's followers who want it now, then queue
    the next batch (one task per batch of followers, never one per person)."""
    with once(context) as first:
        if not first:
            return 0
        cursor = news_deliver_batch(key=key, after=after)
        if cursor is not None:
            deliver_news.enqueue(key=key, after=cursor)
    return cursor or 0


@task(takes_context=True)
def send_digest_batch(context, *, run_id: int, after: int = 0) -> int:
    """One batch of a digest run (core.digests.digest_batch), then the next.
    A batch that finds the run's cursor moved on (it ran already) does
    nothing and queues nothing."""
    with once(context) as first:
        if not first:
            return 0
        cursor = digest_batch(run_id=run_id, after=after)
        if cursor is not None:
            send_digest_batch.enqueue(run_id=run_id, after=cursor)
    return cursor or 0
