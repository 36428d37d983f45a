"""Who may write and approve anonymised decisions. Asked through one RuleSet,
as complaints.rules does (a superuser gets nothing implicit here either)."""

from __future__ import annotations

import rules

from accounts.rules import is_authenticated, is_caseworker, is_office_staff, is_supervisor
from complaints.rules import complaint_rules

__all__ = ["decision_rules", "is_office_staff", "is_supervisor"]


@rules.predicate
def is_office_on_case(user, decision) -> bool:
    """The supervisor, or the caseworker assigned to the decision's case."""
    complaint = getattr(decision, "complaint", None)
    return bool(complaint is not None and complaint_rules.test_rule("staff_view", user, complaint))


@rules.predicate
def is_writer(user, decision) -> bool:
    return bool(
        is_authenticated(user) and decision is not None and decision.written_by_id == user.pk
    )


decision_rules = rules.RuleSet()
# Write or change the public version: the caseworker on the case (or the supervisor).
decision_rules.add_rule("write", is_office_on_case & (is_caseworker | is_supervisor))
# Approve for publication: a supervisor who did not write it (two people see it).
decision_rules.add_rule("approve", is_supervisor & ~is_writer)
decision_rules.add_rule("view_draft", is_office_on_case | (is_writer & is_caseworker))


def may(user, rule: str, decision) -> bool:
    return decision_rules.test_rule(rule, user, decision)
