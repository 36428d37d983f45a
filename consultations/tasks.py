"""Background work for consultations (django-tasks). A task is a thin wrapper
around a service; services queue tasks by name (core.tasks.enqueue_on_commit)."""

from django_tasks import task

from core.tasks import once

from .models import Proposal
from .services import proposal_answer_notify


@task(takes_context=True)
def notify_proposal_answered(context, *, proposal_id: int) -> int:
    """Notify the proposer and every supporter; a popular proposal may have thousands.
    A second run of the same task tells nobody twice (core.tasks.once)."""
    with once(context) as first:
        proposal = Proposal.objects.select_related("author").filter(pk=proposal_id).first()
        if proposal is None or not first:
            return 0
        return proposal_answer_notify(proposal=proposal)
