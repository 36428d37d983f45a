"""Who may do what with petitions. One question everywhere:
`user.has_perm("petitions.<action>_petition", petition)`.

Petitions staff are the supervisors of the Human Rights Office: they publish
the official answers. Moderators publish or reject new petitions.
"""

import rules

from accounts.rules import has_verified_email, is_moderator, is_resident, is_supervisor

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

rules.add_perm(
    "petitions.view_petition", is_public | is_creator | (is_moderator & is_in_moderation)
)
rules.add_perm("petitions.add_petition", can_take_part)
rules.add_perm("petitions.submit_petition", is_creator & is_draft)
rules.add_perm("petitions.sign_petition", can_take_part)
rules.add_perm("petitions.moderate_petition", is_moderator)
rules.add_perm("petitions.answer_petition", is_petitions_staff)
