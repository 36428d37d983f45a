"""Reads of complaints, always filtered to what the caller may see."""

from __future__ import annotations

from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.rules import is_authenticated, is_caseworker, is_supervisor

from .models import (
    STAFF_ONLY_KINDS,
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintGround,
    ComplaintGroupObjectPermission,
    ComplaintMessage,
    ComplaintUserObjectPermission,
    EventKind,
    Status,
)
from .receipt_session import receipt_case_ids
from .rules import CHANGE, VIEW, is_staff_on_case


def _user_grant(user, codename: str) -> Q:
    # `pk IN (grants of this user)` rather than a correlated EXISTS: both SQLite
    # and PostgreSQL then drive the query from the grant index instead of
    # scanning every complaint (docs/benchmarks.md, W2).
    return Q(
        pk__in=ComplaintUserObjectPermission.objects.filter(
            user=user, permission__codename=codename
        ).values("content_object_id")
    )


def complaint_visible_to(user) -> QuerySet[Complaint]:
    """Every complaint `user` may see: all for the supervisor; otherwise those
    granted per object (to the user or a group of theirs) and their own.
    A superuser without the supervisor role gets nothing extra."""
    if not is_authenticated(user):
        return Complaint.objects.none()
    if is_supervisor(user):
        return Complaint.objects.all()
    group_grant = Q(
        pk__in=ComplaintGroupObjectPermission.objects.filter(
            group__in=user.groups.all(), permission__codename=VIEW
        ).values("content_object_id")
    )
    return Complaint.objects.filter(Q(complainant=user) | _user_grant(user, VIEW) | group_grant)


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
        raise Http404
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


def complaint_queue(
    *,
    user,
    view: str = "mine",
    status: str = "",
    ground: str = "",
    overdue: bool = False,
) -> QuerySet[Complaint]:
    """The caseworker's queue, sorted by the nearest deadline, with grounds and
    assignees prefetched (a constant number of queries whatever its length)."""
    if not (is_caseworker(user) or is_supervisor(user)):
        return Complaint.objects.none()
    base = complaint_visible_to(user)
    if view == "mine" or not is_supervisor(user):
        base = base.filter(_user_grant(user, CHANGE))
    elif view == "unassigned":
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
        base = base.filter(
            Exists(ComplaintGround.objects.filter(complaint=OuterRef("pk"), code=ground))
        )
    if overdue:
        base = base.filter(overdue_q())
    return (
        with_next_deadline(base)
        .prefetch_related(
            Prefetch("grounds", queryset=ComplaintGround.objects.order_by("code")),
            Prefetch(
                "complaintuserobjectpermission_set",
                queryset=ComplaintUserObjectPermission.objects.filter(
                    permission__codename=CHANGE
                ).select_related("user"),
                to_attr="assignee_grants",
            ),
        )
        .order_by(F("next_deadline").asc(nulls_last=True), "-created_at")
    )


def complaint_list_for(*, user) -> QuerySet[Complaint]:
    """What GET /complaints lists: caseworker, assigned; supervisor, all; resident, own."""
    return (
        with_next_deadline(complaint_visible_to(user))
        .prefetch_related(
            Prefetch("grounds", queryset=ComplaintGround.objects.order_by("code")),
            Prefetch(
                "complaintuserobjectpermission_set",
                queryset=ComplaintUserObjectPermission.objects.filter(
                    permission__codename=CHANGE
                ).select_related("user"),
                to_attr="assignee_grants",
            ),
        )
        .order_by("-created_at")
    )


def complaint_own_list(*, user) -> QuerySet[Complaint]:
    """A resident's own complaints, filed from their account."""
    if not is_authenticated(user):
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(complainant=user)
        .prefetch_related(Prefetch("grounds", queryset=ComplaintGround.objects.order_by("code")))
        .order_by("-created_at")
    )


def complaint_assignees(*, complaint: Complaint) -> list:
    grants = getattr(complaint, "assignee_grants", None)
    if grants is None:
        grants = complaint.assignee_permissions().select_related("user")
    return sorted((g.user for g in grants), key=lambda u: u.username)


def complaint_ground_codes(*, complaint: Complaint) -> list[str]:
    return [g.code for g in complaint.grounds.all()]


def complaint_events_for(*, user, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The timeline as `user` may read it: the office sees everything; the
    complainant neither internal notes nor the access log."""
    events = ComplaintEvent.objects.filter(complaint=complaint).select_related("actor", "subject")
    if not is_staff_on_case(user, complaint):
        events = events.exclude(kind__in=STAFF_ONLY_KINDS)
    return events.order_by("at", "id")


def complaint_messages_for(*, complaint: Complaint) -> QuerySet[ComplaintMessage]:
    return ComplaintMessage.objects.filter(complaint=complaint).select_related("author")


def complaint_attachments_for(*, complaint: Complaint) -> QuerySet[ComplaintAttachment]:
    """The evidence files of a case (call only after the case's access check)."""
    return ComplaintAttachment.objects.filter(complaint=complaint).order_by("created_at", "id")


def complaint_attachment_get(*, complaint: Complaint, attachment_id) -> ComplaintAttachment:
    attachment = ComplaintAttachment.objects.filter(complaint=complaint, pk=attachment_id).first()
    if attachment is None:
        raise Http404
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
    from django.contrib.auth import get_user_model

    from accounts.roles import Role

    return (
        get_user_model()
        .objects.filter(groups__name=Role.CASEWORKER, is_active=True)
        .order_by("username")
    )
