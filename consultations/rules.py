"""Who may do what in consultations, registered as `consultations.*` in the
one RuleSet (core.permissions). Phase checks (open or not) are separate:
a closed consultation answers 409, not 403, so people know why."""

from datetime import timedelta

import rules
from django.conf import settings

from accounts.rules import (
    has_verified_email,
    is_authenticated,
    is_moderator,
    is_office_staff,
    is_resident,
)
from core.permissions import register

from .selectors import posting_block_of

EDIT_WINDOW = timedelta(minutes=getattr(settings, "CONSULTATIONS_EDIT_WINDOW_MINUTES", 15))


@rules.predicate
def is_blocked(user) -> bool:
    return posting_block_of(user=user) is not None


@rules.predicate
def is_author(user, obj) -> bool:
    return bool(obj is not None and user and user.is_authenticated and obj.author_id == user.pk)


# Without the block check, for a caller that has read the block already.
can_participate_unless_blocked = is_authenticated & is_resident & has_verified_email
can_participate = can_participate_unless_blocked & ~is_blocked
can_moderate = is_moderator
can_answer = is_office_staff
can_export = is_office_staff

# Registered in the one RuleSet (core.permissions): `may(user, "consultations.comment")`.
# Moderation is the moderator role's alone: a superuser or a Wagtail admin gets none.
register("consultations.participate", can_participate)
register("consultations.participate_unless_blocked", can_participate_unless_blocked)
register("consultations.comment", can_participate)
register("consultations.propose", can_participate)
register("consultations.support", can_participate)
# The author's own comment; the edit window and the phase are "not now" (409).
register("consultations.edit_comment", is_author)
register("consultations.delete_comment", is_author)
register("consultations.report", is_authenticated)
register("consultations.moderate", can_moderate)
register("consultations.answer", can_answer)
register("consultations.export", can_export)
