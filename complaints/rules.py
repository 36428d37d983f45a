"""Who may do what with a complaint.

These rules live in their own RuleSet, not in Django's permission registry, on
purpose: Django's ModelBackend answers True to every `has_perm` of a superuser,
and separation of duties requires that a superuser (or a Wagtail admin) who is
not the supervisor sees no case at all. So the question is always
`complaint_rules.test_rule(...)` / `can_view_complaint(user, complaint)`,
never `user.has_perm` alone.
"""

from __future__ import annotations

import rules
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from accounts.rules import is_authenticated, is_caseworker, is_supervisor

from .models import Complaint, ComplaintGroupObjectPermission, ComplaintUserObjectPermission
from .receipt_session import receipt_case_ids

VIEW = "view_complaint"
CHANGE = "change_complaint"

_permission_ids: dict[str, int] = {}


def permission_id(codename: str) -> int:
    """The id of a complaint permission, read once per process. Grants filtered
    by `permission__codename` joined auth_permission, which has no index on the
    codename alone, in every visibility subquery of every request. Use it with
    the user or the group, which the grant tables' unique (user or group,
    permission, object) index answers; with only the object, SQLite without
    table statistics searches through the permission's own index instead."""
    if codename not in _permission_ids:
        _permission_ids[codename] = Permission.objects.get(
            content_type=ContentType.objects.get_for_model(Complaint), codename=codename
        ).pk
    return _permission_ids[codename]


def forget_permission_ids(**kwargs) -> None:
    """Connected to post_migrate: a migration or a flushed test database may
    create the permission rows again under new ids."""
    _permission_ids.clear()


def _cached(complaint, key: str, compute):
    # One case page asks several rules about the same user; read each grant once.
    cache = complaint.__dict__.setdefault("_rule_cache", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


@rules.predicate
def is_assigned_caseworker(user, complaint) -> bool:
    """A caseworker with this case's per-object grant (given on assignment)."""
    if complaint is None or not (is_authenticated(user) and is_caseworker(user)):
        return False
    return _cached(
        complaint,
        f"assigned:{user.pk}",
        lambda: ComplaintUserObjectPermission.objects.filter(
            content_object=complaint, user=user, permission_id=permission_id(CHANGE)
        ).exists(),
    )


@rules.predicate
def has_object_grant(user, complaint) -> bool:
    """A per-object view grant to the user or one of their groups."""
    if complaint is None or not is_authenticated(user):
        return False

    def compute() -> bool:
        return (
            ComplaintUserObjectPermission.objects.filter(
                content_object=complaint, user=user, permission_id=permission_id(VIEW)
            ).exists()
            or ComplaintGroupObjectPermission.objects.filter(
                content_object=complaint,
                group__in=user.groups.all(),
                permission_id=permission_id(VIEW),
            ).exists()
        )

    return _cached(complaint, f"grant:{user.pk}", compute)


@rules.predicate
def is_complainant(user, complaint) -> bool:
    """The account that filed the complaint, or a session that proved the
    receipt in the last 30 minutes (complaints.receipt_session)."""
    if complaint is None:
        return False
    if str(complaint.pk) in receipt_case_ids(user):
        return True
    # By the keyed hash of the account id (Complaint.complainant_hash).
    return bool(is_authenticated(user) and complaint.filed_by(user))


is_office_on_case = is_supervisor | is_assigned_caseworker

complaint_rules = rules.RuleSet()
complaint_rules.add_rule("view", is_supervisor | has_object_grant | is_complainant)
complaint_rules.add_rule("staff_view", is_supervisor | is_assigned_caseworker)
complaint_rules.add_rule("supervise", is_supervisor)
complaint_rules.add_rule("work", is_assigned_caseworker)
complaint_rules.add_rule("complain", is_complainant)
complaint_rules.add_rule("note", is_office_on_case)
complaint_rules.add_rule("recuse", is_assigned_caseworker)
complaint_rules.add_rule("message", is_office_on_case | is_complainant)
# Evidence: the complainant or the caseworker on the case (not the supervisor,
# who reviews, CONTRACT.md section 3).
complaint_rules.add_rule("attach", is_complainant | is_assigned_caseworker)


def can_view_complaint(user, complaint) -> bool:
    return complaint_rules.test_rule("view", user, complaint)


def is_staff_on_case(user, complaint) -> bool:
    """Sees the whole timeline (internal notes, access log)."""
    return complaint_rules.test_rule("staff_view", user, complaint)
