"""Who may write and approve anonymised decisions, registered as
`accountability.*` in the one RuleSet (core.permissions); a superuser gets
nothing implicit here either."""

from __future__ import annotations

import rules

from accounts.rules import is_authenticated, is_caseworker, is_office_staff, is_supervisor
from core.permissions import may, register


@rules.predicate
def is_office_on_case(user, decision) -> bool:
    """The supervisor, or the caseworker assigned to the decision's case."""
    complaint = getattr(decision, "complaint", None)
    return bool(complaint is not None and may(user, "complaints.staff_view", complaint))


@rules.predicate
def is_writer(user, decision) -> bool:
    return bool(
        is_authenticated(user) and decision is not None and decision.written_by_id == user.pk
    )


# Write or change the public version: the caseworker on the case (or the supervisor).
register("accountability.write", is_office_on_case & (is_caseworker | is_supervisor))
# Approve for publication: a supervisor who did not write it (two people see it).
register("accountability.approve", is_supervisor & ~is_writer)
# A draft is hidden (404) from whoever may not read it.
register(
    "accountability.view_draft",
    is_office_on_case | (is_writer & is_caseworker) | is_supervisor,
    hidden_unless="accountability.view_draft",
)
# The office's decision pages; withdrawing a published decision; every draft in the queue.
register("accountability.office", is_office_staff)
register("accountability.unpublish", is_supervisor)
