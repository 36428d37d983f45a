"""Background work for petitions (django-tasks)."""

from django_tasks import task

from . import conf, news, services
from .models import Petition


@task()
def notify_signers(*, petition_id: int) -> int:
    """Tell one batch of signers about the answer, then queue the next batch.
    Batches keep 10,000 signers from blocking anything; a failed batch rolls
    back as a whole and is picked up again by the next run (see
    `close_expired_petitions`, which re-queues answered petitions with signers
    not told yet)."""
    size = conf.notify_batch_size()
    told = services.petition_notify_signers_batch(petition_id=petition_id, batch_size=size)
    if told >= size:
        notify_signers.enqueue(petition_id=petition_id)
    return told


@task()
def close_expired_petitions() -> int:
    """Close open petitions past their closing date."""
    return services.petitions_close_expired()


@task()
def notify_followers(*, petition_id: int, after: int = 0) -> int:
    """Kept for tasks queued before followers heard through core.follows: it
    publishes the answer as news (once: the news key), which tells them."""
    petition = Petition.objects.filter(pk=petition_id, status=Petition.Status.ANSWERED).first()
    if petition is not None:
        news.answered(petition)
    return 0
