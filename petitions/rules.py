"""Who may do what with petitions, registered as `petitions.*` in the one
RuleSet (core.permissions): `may(user, "petitions.sign", petition)`. No rule
looks at `is_superuser`, so a superuser neither sends someone else's draft nor
moderates without the moderator role.

Petitions staff are the supervisors of the Human Rights Office: they publish
the official answers. Moderators publish or reject new petitions.
"""

import rules

from accounts.rules import has_verified_email, is_moderator, is_resident, is_supervisor
from core.permissions import register

from .models import Petition

is_petitions_staff = is_supervisor


@rules.predicate
def is_creator(user, petition) -> bool:
    return bool(petition and user and user.is_authenticated and petition.creator_id == user.pk)


@rules.predicate
def is_public(user, petition) -> bool:
    return bool(petition and petition.status in Petition.PUBLIC_STATUSES)


@rules.predicate
def is_in_moderation(user, petition) -> bool:
    return bool(
        petition
        and petition.status in (Petition.Status.AWAITING_MODERATION, Petition.Status.REJECTED)
    )


@rules.predicate
def is_draft(user, petition) -> bool:
    return bool(petition and petition.status == Petition.Status.DRAFT)


# Residents with a confirmed address start and sign petitions (one person, one signature).
can_take_part = is_resident & has_verified_email

register(
    "petitions.view",
    is_public | is_creator | (is_moderator & is_in_moderation),
    hidden_unless="petitions.view",
)
register("petitions.create", can_take_part)
# Only the creator changes or sends their draft (it goes out in their name);
# whether it is still a draft is the service's "not now", not a refusal.
register("petitions.edit", is_creator, hidden_unless="petitions.view")
register("petitions.submit", is_creator & is_draft, hidden_unless="petitions.view")
register("petitions.sign", can_take_part, hidden_unless="petitions.view")
register("petitions.moderate", is_moderator)
register("petitions.answer", is_petitions_staff)
