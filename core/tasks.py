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
