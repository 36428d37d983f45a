from django_tasks import task


@task()
def notify_proposal_answered(*, proposal_id: int) -> int:
    """Notify the proposer and every supporter; a popular proposal may have thousands."""
    from .models import Proposal
    from .services import proposal_answer_notify

    proposal = Proposal.objects.select_related("author").filter(pk=proposal_id).first()
    if proposal is None:
        return 0
    return proposal_answer_notify(proposal=proposal)
