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

from dataclasses import dataclass, field

import rules
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from accounts.roles import Role
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


@dataclass
class CasePeople:
    """Everyone a write to one case needs, read at once (case_people)."""

    grants: dict[int, set[int]] = field(default_factory=dict)  # user id -> permission ids
    assignees: list = field(default_factory=list)  # the caseworkers on it (change grant)
    supervisors: list = field(default_factory=list)  # active members of the supervisor group
    complainant: object = None  # the account that filed it, if any


def case_people(complaint: Complaint) -> CasePeople:
    """One query for the people of a case: the accounts with a grant on it
    (and which grants), the supervisors and the complainant's account. Kept on
    the case with the rules' other reads, so that the grant rules below answer
    from it for every user (no grant row here means no grant) and a
    transition reads its permissions, its recipients and its answer's
    assignees once (issue 21). Assigning and revoking forget it."""
    cache = complaint.__dict__.setdefault("_rule_cache", {})
    if "people" in cache:
        return cache["people"]
    User = get_user_model()
    grants = ComplaintUserObjectPermission.objects.filter(content_object=complaint)
    in_group = User.groups.through.objects.filter(group__name=Role.SUPERVISOR)
    # One UNION of the candidates' ids, not an OR of subqueries: PostgreSQL
    # can only answer the OR by scanning every account (300-400 ms per
    # transition with 30,000 residents, the benchmark's W2; bench/notes.md).
    candidates = [in_group.filter(user__is_active=True).values("user_id")]
    account = complaint.complainant_account if complaint.complainant_hash else ""
    if account:
        candidates.append(User.objects.filter(pk=account).values("pk"))
    who = grants.values("user_id").union(*candidates, all=True)
    view, change = permission_id(VIEW), permission_id(CHANGE)
    users = (
        User.objects.filter(pk__in=who)
        .annotate(
            grant_view=Exists(grants.filter(user_id=OuterRef("pk"), permission_id=view)),
            grant_change=Exists(grants.filter(user_id=OuterRef("pk"), permission_id=change)),
            supervising=Exists(in_group.filter(user_id=OuterRef("pk"))),
        )
        .order_by("pk")
    )
    people = CasePeople()
    for user in users:
        held = {p for p, has in ((view, user.grant_view), (change, user.grant_change)) if has}
        if held:
            people.grants[user.pk] = held
        if user.grant_change:
            people.assignees.append(user)
        if user.supervising and user.is_active:
            people.supervisors.append(user)
        if account and str(user.pk) == account:
            people.complainant = user
    cache["people"] = people
    return people


def _known_grant(complaint, user, codename: str) -> bool | None:
    """The grant from case_people when it was read for this case, else None."""
    people = complaint.__dict__.get("_rule_cache", {}).get("people")
    if people is None:
        return None
    return permission_id(codename) in people.grants.get(user.pk, ())


@rules.predicate
def is_assigned_caseworker(user, complaint) -> bool:
    """A caseworker with this case's per-object grant (given on assignment)."""
    if complaint is None or not (is_authenticated(user) and is_caseworker(user)):
        return False
    known = _known_grant(complaint, user, CHANGE)
    if known is not None:
        return known
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
        known = _known_grant(complaint, user, VIEW)
        return (
            known
            if known is not None
            else ComplaintUserObjectPermission.objects.filter(
                content_object=complaint, user=user, permission_id=permission_id(VIEW)
            ).exists()
        ) or ComplaintGroupObjectPermission.objects.filter(
            content_object=complaint,
            group__in=user.groups.all(),
            permission_id=permission_id(VIEW),
        ).exists()

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
