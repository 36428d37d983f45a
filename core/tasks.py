from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, to: list[str], subject: str, body: str) -> int:
    # One message per recipient: no recipient sees another's address.
    sent = 0
    for address in to:
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    return sent


@task()
def send_emails(*, messages: list[dict]) -> int:
    """A batch of different messages (each `{"to", "subject", "body"}`) in one
    task, so a batch of a thousand recipients is one job, not a thousand."""
    sent = 0
    for message in messages:
        sent += send_mail(
            message["subject"], message["body"], settings.DEFAULT_FROM_EMAIL, [message["to"]]
        )
    return sent
