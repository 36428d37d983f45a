"""Background work for complaints."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_tasks import task

from core.tasks import once

from .models import Complaint


@task(takes_context=True)
def complainant_news_email(context, *, complaint_id: str) -> int:
    """Tell the complainant, at the address they gave, that there is news.

    The task carries the case id only: the address is read (and decrypted) when
    the mail goes out, so the task queue's table never holds a contact address
    in plain text. Only that there is news, never what it is (the mailbox may
    not be private), in both languages (an anonymous complainant's is not kept).
    A second run of the same task sends nothing (core.tasks.once).
    """
    with once(context) as first:
        return _complainant_news_email(complaint_id) if first else 0


def _complainant_news_email(complaint_id: str) -> int:
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None or not complaint.contact_email:
        return 0  # purged meanwhile, or no address
    site = settings.SITE_URL.rstrip("/")
    parts, subjects = [], []
    for language in ("ko", "en"):
        with override(language):
            if complaint.has_account:
                link = reverse("complaints:detail", kwargs={"reference": complaint.reference})
            else:
                link = reverse("complaints:status")
            parts.append(
                _(
                    "There is news about your complaint to the Human Rights Office. "
                    "To read it, open this page and sign in or enter your receipt:"
                )
                + f"\n{site}{link}"
            )
            subjects.append(_("Human Rights Office: there is news about your complaint"))
    return send_mail(
        " / ".join(subjects),
        "\n\n".join(parts),
        settings.DEFAULT_FROM_EMAIL,
        [complaint.contact_email],
    )
