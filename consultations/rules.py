"""Who may do what in consultations. Phase checks (open or not) are separate:
a closed consultation answers 409, not 403, so people know why."""

from datetime import timedelta

import rules
from django.conf import settings
from django.utils import timezone

from accounts.rules import (
    has_verified_email,
    is_authenticated,
    is_moderator,
    is_office_staff,
    is_resident,
)

EDIT_WINDOW = timedelta(minutes=getattr(settings, "CONSULTATIONS_EDIT_WINDOW_MINUTES", 15))


@rules.predicate
def is_blocked(user) -> bool:
    from .models import PostingBlock

    return bool(user and user.is_authenticated) and PostingBlock.objects.filter(user=user).exists()


@rules.predicate
def is_author(user, obj) -> bool:
    return bool(obj is not None and user and user.is_authenticated and obj.author_id == user.pk)


@rules.predicate
def within_edit_window(user, comment) -> bool:
    return comment is not None and timezone.now() - comment.created_at <= EDIT_WINDOW


# Without the block check, for a caller that has read the block already.
can_participate_unless_blocked = is_authenticated & is_resident & has_verified_email
can_participate = can_participate_unless_blocked & ~is_blocked
can_moderate = is_moderator
can_answer = is_office_staff
can_export = is_office_staff

rules.add_perm("consultations.add_comment", can_participate)
rules.add_perm("consultations.add_proposal", can_participate)
rules.add_perm("consultations.add_support", can_participate)
rules.add_perm("consultations.change_comment", can_participate & is_author & within_edit_window)
rules.add_perm("consultations.delete_comment", is_author)
rules.add_perm("consultations.add_report", is_authenticated)
rules.add_perm("consultations.moderate", can_moderate)
rules.add_perm("consultations.answer_proposal", can_answer)
rules.add_perm("consultations.export", can_export)
rules.add_perm("consultations.view_summary", can_export | can_moderate)
