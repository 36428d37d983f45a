"""Who may do what with a complaint, registered as `complaints.*` in the one
RuleSet (core.permissions): ask `may(user, "complaints.view", complaint)`.

No rule here looks at `is_superuser`: Django's ModelBackend answers True to
every `has_perm` of a superuser, and separation of duties requires that a
superuser (or a Wagtail admin) who is not the supervisor sees no case at all.
The roles come only from the two-person grants of accounts (RoleGrant). Every
rule about a case answers `Hidden` (404) to whoever may not see the case
(`hidden_unless="complaints.view"`), `Refused` (403) to whoever may.
"""

from __future__ import annotations

import rules
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from accounts.rules import is_authenticated, is_caseworker, is_supervisor
from core.permissions import register

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

_CASE_RULES = {
    "complaints.view": is_supervisor | has_object_grant | is_complainant,
    # Sees the whole timeline (internal notes, access log).
    "complaints.staff_view": is_supervisor | is_assigned_caseworker,
    "complaints.supervise": is_supervisor,
    "complaints.assign": is_supervisor,
    "complaints.work": is_assigned_caseworker,
    "complaints.complain": is_complainant,
    "complaints.note": is_office_on_case,
    "complaints.recuse": is_assigned_caseworker,
    "complaints.message": is_office_on_case | is_complainant,
    # Evidence: the complainant or the caseworker on the case (not the supervisor,
    # who reviews, CONTRACT.md section 3).
    "complaints.attach": is_complainant | is_assigned_caseworker,
}
for _action, _predicate in _CASE_RULES.items():
    register(_action, _predicate, hidden_unless="complaints.view")

# Without a case: the casework pages, assisted intake and triage (caseworker or
# supervisor), declaring a standing conflict (caseworker).
register("complaints.casework", is_caseworker | is_supervisor)
register("complaints.declare_conflict", is_caseworker)
# Whom the supervisor may put on a case.
register("complaints.be_assigned", is_caseworker)
