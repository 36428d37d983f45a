"""Reads of complaints, always filtered to what the caller may see."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.roles import Role
from accounts.rules import is_authenticated
from core.errors import Hidden
from core.permissions import may

from .grounds import Ground
from .models import (
    STAFF_ONLY_KINDS,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintGroupObjectPermission,
    ComplaintMessage,
    ComplaintUserObjectPermission,
    EventKind,
    Status,
    grounds_unseal,
)
from .receipt_session import receipt_case_ids
from .rules import CHANGE, VIEW, permission_id


def _granted(user, codename: str) -> QuerySet:
    """Ids of the complaints granted to `user` itself with this permission."""
    return ComplaintUserObjectPermission.objects.filter(
        user=user, permission_id=permission_id(codename)
    ).values("content_object_id")


def _visible_ids(user) -> QuerySet:
    """Ids of the complaints `user` may see without the supervisor role: view
    grants to them or to a group of theirs, and their own complaints, as one
    UNION ALL. Used as `pk IN (...)`, both databases look each id up in the
    primary key; an OR of three subqueries made PostgreSQL, once it had table
    statistics, scan the whole complaints table (docs/benchmarks.md, W2)."""
    group_grants = ComplaintGroupObjectPermission.objects.filter(
        group_id__in=user.groups.through.objects.filter(user_id=user.pk).values("group_id"),
        permission_id=permission_id(VIEW),
    ).values("content_object_id")
    own = Complaint.objects.filed_by(user).order_by().values("pk")
    return _granted(user, VIEW).union(group_grants, own, all=True)


def with_grounds(
    queryset: QuerySet[Complaint], *, codes, match: str = "any"
) -> QuerySet[Complaint]:
    """The complaints of `queryset` with any (or all) of these grounds. The
    grounds are encrypted on each case (docs/architecture.md, "Grounds sealed
    with the case"), so the database cannot compare them: the candidates' ids
    and sealed grounds are read in one query, decrypted here, and the queryset
    is narrowed to the matching ids. Callers pass a queryset already filtered
    to what the user may see, so only those cases are decrypted."""
    wanted = set(codes)
    if not wanted:
        return queryset
    test = wanted.issubset if match == "all" else (lambda have: not wanted.isdisjoint(have))
    matching = [
        pk
        for pk, sealed in queryset.order_by().values_list("pk", "sealed_grounds")
        if test(set(grounds_unseal(sealed)))
    ]
    return queryset.filter(pk__in=matching)


def complaint_visible_to(user) -> QuerySet[Complaint]:
    """Every complaint `user` may see: all for the supervisor; otherwise those
    granted per object (to the user or a group of theirs) and their own.
    A superuser without the supervisor role gets nothing extra."""
    if not is_authenticated(user):
        return Complaint.objects.none()
    if may(user, "complaints.supervise"):
        return Complaint.objects.all()
    return Complaint.objects.filter(pk__in=_visible_ids(user))


def complaint_get_for(*, user, reference: str) -> Complaint:
    """The complaint, or 404 exactly as for a reference that does not exist.
    A receipt session opens its own case here, but joins no list."""
    complaint = None
    receipt_ids = receipt_case_ids(user)
    if receipt_ids:
        complaint = Complaint.objects.filter(pk__in=receipt_ids, reference=reference).first()
    if complaint is None:
        complaint = complaint_visible_to(user).filter(reference=reference).first()
    if complaint is None:
        raise Hidden
    return complaint


def with_next_deadline(queryset: QuerySet[Complaint]) -> QuerySet[Complaint]:
    return queryset.annotate(
        next_deadline=Case(
            When(status=Status.SUBMITTED, then=F("triage_due")),
            When(
                status__in=[Status.INVESTIGATING, Status.MEDIATION],
                then=F("investigation_due"),
            ),
            default=Value(None),
            output_field=DateTimeField(),
        )
    )


def overdue_q(now=None) -> Q:
    now = now or timezone.now()
    return Q(status=Status.SUBMITTED, triage_due__lt=now) | Q(
        status__in=[Status.INVESTIGATING, Status.MEDIATION], investigation_due__lt=now
    )


QUEUE_VIEWS = ("mine", "unassigned", "all", "overdue")

# What a list shows of a complaint. The encrypted fields (description, place,
# contact address) are never listed and would each cost a decryption per row.
LIST_FIELDS = (
    "id",
    "reference",
    "status",
    "field_of_life",
    "created_at",
    "triage_due",
    "investigation_due",
    "sealed_grounds",
)


def complaint_queue(
    *,
    user,
    view: str = "mine",
    status: str = "",
    ground: str = "",
    overdue: bool = False,
) -> QuerySet[Complaint]:
    """The caseworker's queue, sorted by the nearest deadline, with the listed
    columns only (complaint_rows adds grounds and assignees to one page)."""
    if not may(user, "complaints.casework"):
        return Complaint.objects.none()
    base = complaint_visible_to(user)
    if view == "mine" or not may(user, "complaints.supervise"):
        base = base.filter(pk__in=_granted(user, CHANGE))
    elif view == "unassigned":
        # By codename, not permission_id: with the id, SQLite without table
        # statistics searches each case's grants through the permission's own
        # index (half the grant table) instead of the case's.
        base = base.filter(status=Status.SUBMITTED).exclude(
            Exists(
                ComplaintUserObjectPermission.objects.filter(
                    content_object=OuterRef("pk"), permission__codename=CHANGE
                )
            )
        )
    elif view == "overdue":
        overdue = True
    if status:
        base = base.filter(status=status)
    if ground:
        base = with_grounds(base, codes=[ground])
    if overdue:
        base = base.filter(overdue_q())
    return (
        with_next_deadline(base)
        .only(*LIST_FIELDS)
        .order_by(F("next_deadline").asc(nulls_last=True), "-created_at")
    )


def complaint_list_for(*, user) -> QuerySet[Complaint]:
    """What GET /complaints lists: caseworker, assigned; supervisor, all; resident, own."""
    return with_next_deadline(complaint_visible_to(user)).only(*LIST_FIELDS).order_by("-created_at")


def complaint_page(
    queryset: QuerySet[Complaint], *, offset: int, limit: int
) -> tuple[list[Complaint], int | None]:
    """One page of a list and the length of the whole list, in one query: a
    window count over the same rows, so the visibility subqueries run once and
    not again for a COUNT(*). The length is None for an empty page past the
    first (an empty first page means an empty list).
    Only for a caller's own cases, a few hundred rows that the page reads
    anyway: over every complaint the window would number all 100,000 before
    the sort keeps 25 (three times slower than counting apart)."""
    page: list[Any] = list(
        queryset.annotate(list_length=Window(Count("pk")))[offset : offset + limit]
    )
    if page:
        return page, page[0].list_length
    return page, (0 if offset == 0 else None)


def complaint_queue_page(
    *, user, offset: int, limit: int, view: str = "mine", **filters
) -> tuple[list[Complaint], int | None]:
    """A page of complaint_queue, with the queue's length when it came with
    the page (else None: count complaint_queue)."""
    queryset = complaint_queue(user=user, view=view, **filters)
    if may(user, "complaints.supervise") and view != "mine":
        return list(queryset[offset : offset + limit]), None
    return complaint_page(queryset, offset=offset, limit=limit)


def complaint_list_page(*, user, offset: int, limit: int) -> tuple[list[Complaint], int | None]:
    """A page of complaint_list_for, with the list's length when it came with
    the page (else None: count complaint_list_for)."""
    queryset = complaint_list_for(user=user)
    if may(user, "complaints.supervise"):
        return list(queryset[offset : offset + limit]), None
    return complaint_page(queryset, offset=offset, limit=limit)


@dataclass(frozen=True)
class Choice:
    code: str
    label: str


@dataclass(frozen=True)
class Assignee:
    username: str
    display_name: str


@dataclass(frozen=True)
class ComplaintRow:
    """One complaint as the queue page and the API list show it."""

    reference: str
    status: str
    status_label: str
    field_of_life: str
    created_at: datetime.datetime
    triage_due: datetime.datetime | None
    investigation_due: datetime.datetime | None
    next_deadline: datetime.datetime | None
    # The same in the current time zone, for pages: the `date` filter costs
    # 0.04 ms a call, two calls a row.
    local_deadline: datetime.datetime | None
    grounds: list[Choice]  # by code
    assignees: list[Assignee]  # by username


# Labels by code. Model.get_FOO_display() hashes every lazy choice label, so
# translates all of them, on each call: 0.2 ms a row for the 22 grounds.
_STATUS_LABELS = dict(Status.choices)
_GROUND_LABELS = dict(Ground.choices)


def complaint_rows(complaints: Iterable[Complaint]) -> list[ComplaintRow]:
    """The rows of one page of a list: its grounds, the assigned caseworkers
    and then their names in one query each, whatever the page length. The
    names are read by id apart from the grants: joined, PostgreSQL without
    table statistics looped over every user's grants (over 100 ms at 100,000
    complaints)."""
    complaints = list(complaints)
    if not complaints:
        return []
    ids = [c.pk for c in complaints]
    # The grounds are read (and decrypted) from the rows themselves (LIST_FIELDS).
    grounds = {
        c.pk: [Choice(code, str(_GROUND_LABELS.get(code, code))) for code in c.ground_codes]
        for c in complaints
    }
    # Every grant on these cases, the assignment (change) grants kept here: with
    # the permission in the WHERE clause, SQLite and PostgreSQL without table
    # statistics walk the permission's index, half the grant table.
    change = permission_id(CHANGE)
    grants = [
        (complaint_id, user_id)
        for complaint_id, user_id, permission in ComplaintUserObjectPermission.objects.filter(
            content_object_id__in=ids
        ).values_list("content_object_id", "user_id", "permission_id")
        if permission == change
    ]
    people = (
        get_user_model()
        .objects.only("username", "display_name", "deleted_at")
        .in_bulk({user_id for _, user_id in grants})
        if grants
        else {}
    )
    assignees = defaultdict(list)
    for complaint_id, user_id in grants:
        person = people[user_id]
        assignees[complaint_id].append(Assignee(person.username, person.get_display_name()))
    return [
        ComplaintRow(
            reference=c.reference,
            status=c.status,
            status_label=str(_STATUS_LABELS[c.status]),
            field_of_life=c.field_of_life,
            created_at=c.created_at,
            triage_due=c.triage_due,
            investigation_due=c.investigation_due,
            next_deadline=c.next_deadline,  # type: ignore[attr-defined]
            local_deadline=(
                timezone.localtime(c.next_deadline)  # type: ignore[attr-defined]
                if c.next_deadline  # type: ignore[attr-defined]
                else None
            ),
            grounds=grounds[c.pk],
            assignees=sorted(assignees[c.pk], key=lambda a: a.username),
        )
        for c in complaints
    ]


def complaint_own_list(*, user) -> QuerySet[Complaint]:
    """A resident's own complaints, filed from their account."""
    if not is_authenticated(user):
        return Complaint.objects.none()
    return Complaint.objects.filed_by(user).order_by("-created_at")


def complaint_assignees(*, complaint: Complaint) -> list:
    """The caseworkers on the case, by username; from the people a write has
    just read (rules.case_people) when there is such a read."""
    people = complaint.__dict__.get("_rule_cache", {}).get("people")
    if people is not None:
        users = people.assignees
    else:
        users = [g.user for g in complaint.assignee_permissions().select_related("user")]
    return sorted(users, key=lambda u: u.username)


def complaint_ground_codes(*, complaint: Complaint) -> list[str]:
    return complaint.ground_codes


def complaint_events_for(*, user, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The timeline as `user` may read it: the office sees everything; the
    complainant neither internal notes nor the access log."""
    events = ComplaintEvent.objects.filter(complaint=complaint).select_related("actor", "subject")
    if not may(user, "complaints.staff_view", complaint):
        events = events.exclude(kind__in=STAFF_ONLY_KINDS)
    return events.order_by("at", "id")


def complaint_public_reason(*, complaint: Complaint) -> str:
    """The reason written for the complainant with the move into the current
    state (reject, refer), or ""."""
    event = (
        ComplaintEvent.objects.filter(
            complaint=complaint, kind=EventKind.TRANSITION, to_status=complaint.status
        )
        .order_by("-at", "-id")
        .only("public_reason")
        .first()
    )
    return event.public_reason if event else ""


def complaint_current_due(*, complaint: Complaint) -> datetime.datetime | None:
    """The deadline the office set itself for the current state, if any."""
    if complaint.status == Status.SUBMITTED:
        return complaint.triage_due
    if complaint.status in (Status.INVESTIGATING, Status.MEDIATION):
        return complaint.investigation_due
    return None


def complaint_messages_for(*, complaint: Complaint) -> QuerySet[ComplaintMessage]:
    return ComplaintMessage.objects.filter(complaint=complaint).select_related("author")


def complaint_attachments_for(*, complaint: Complaint) -> QuerySet[ComplaintAttachment]:
    """The evidence files of a case (call only after the case's access check)."""
    return ComplaintAttachment.objects.filter(complaint=complaint).order_by("created_at", "id")


def complaint_attachment_get(*, complaint: Complaint, attachment_id) -> ComplaintAttachment:
    attachment = ComplaintAttachment.objects.filter(complaint=complaint, pk=attachment_id).first()
    if attachment is None:
        raise Hidden
    return attachment


def complaint_by_receipt_hash(*, receipt_hash: str) -> Complaint | None:
    """For the receipt follow-up (issue 4): the lookup by the stored hash only."""
    return Complaint.objects.filter(receipt_hash=receipt_hash).first()


def complaints_in_final_state() -> QuerySet[Complaint]:
    """Cases the retention rule applies to, each with `last_change`: the time
    of its last state change (its submission if it never moved)."""
    last_transition = (
        ComplaintEvent.objects.filter(complaint=OuterRef("pk"), kind=EventKind.TRANSITION)
        .order_by("-at")
        .values("at")[:1]
    )
    return (
        Complaint.objects.filter(
            status__in=[Status.CLOSED, Status.REJECTED, Status.REFERRED, Status.WITHDRAWN]
        )
        .annotate(last_change=Coalesce(Subquery(last_transition), F("created_at")))
        .only("id", "reference", "status", "purge_warned_at", "created_at")
        .order_by("created_at")
    )


def caseworker_choices():
    return (
        get_user_model()
        .objects.filter(groups__name=Role.CASEWORKER, is_active=True)
        .order_by("username")
    )
