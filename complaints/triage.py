"""Reads for the triage inbox (issue 16): the views with their counts, the
filters, the sorts. Every queryset starts from selectors.complaint_visible_to,
so a case a user may not see is in no list and no count."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from core.permissions import may

from .casework_models import Deadline, DeadlineKind
from .models import (
    Complaint,
    ComplaintEvent,
    ComplaintUserObjectPermission,
    EventKind,
    Status,
)
from .rules import CHANGE
from .selectors import LIST_FIELDS, _granted, complaint_visible_to, with_grounds

FINISHED = (Status.CLOSED, Status.REJECTED, Status.REFERRED, Status.WITHDRAWN)
VIEWS = ("new", "mine", "overdue", "waiting", "all", "finished")
SORTS = ("deadline", "received", "activity")


def _assigned():
    return Exists(
        ComplaintUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"), permission__codename=CHANGE
        )
    )


def _running(**extra):
    return Deadline.objects.filter(
        complaint=OuterRef("pk"), ended_at__isnull=True, paused_at__isnull=True, **extra
    )


def _paused():
    return Exists(
        Deadline.objects.filter(
            complaint=OuterRef("pk"), ended_at__isnull=True, paused_at__isnull=False
        )
    )


def _unanswered():
    """A complainant's message that the office has not answered yet (its reply clock runs)."""
    return Exists(
        Deadline.objects.filter(
            complaint=OuterRef("pk"), kind=DeadlineKind.REPLY, ended_at__isnull=True
        )
    )


def _base(user) -> QuerySet[Complaint]:
    if not may(user, "complaints.casework"):
        return Complaint.objects.none()
    base = complaint_visible_to(user)
    if not may(user, "complaints.supervise"):
        base = base.filter(pk__in=_granted(user, CHANGE))
    return base


def _view_q(view: str, *, user, now) -> Q:
    working = ~Q(status__in=FINISHED)
    return {
        "new": Q(status=Status.SUBMITTED) & ~Q(_assigned()),
        "mine": working & Q(pk__in=_granted(user, CHANGE)),
        "overdue": working & Q(Exists(_running(due_at__lt=now))),
        "waiting": working & Q(_paused()),
        "all": working,
        "finished": Q(status__in=FINISHED),
    }[view]


def default_view(user) -> str:
    """The supervisor lands on the new, unassigned cases; a caseworker on theirs."""
    return "new" if may(user, "complaints.supervise") else "mine"


def views_for(user) -> tuple[str, ...]:
    return VIEWS if may(user, "complaints.supervise") else tuple(v for v in VIEWS if v != "new")


def inbox_counts(*, user, now: datetime.datetime | None = None) -> dict[str, int]:
    """How many cases each view holds, in one query."""
    now = now or timezone.now()
    views = views_for(user)
    totals = _base(user).aggregate(
        **{view: Count("pk", filter=_view_q(view, user=user, now=now)) for view in views}
    )
    return {view: totals[view] or 0 for view in views}


@dataclass(frozen=True)
class InboxFilters:
    view: str = "new"
    q: str = ""
    grounds: tuple[str, ...] = ()
    match: str = "any"  # or "all"
    field_of_life: str = ""
    status: str = ""
    caseworker: str = ""
    channel: str = ""
    sort: str = "deadline"


def inbox_queue(
    *, user, filters: InboxFilters, now: datetime.datetime | None = None
) -> QuerySet[Complaint]:
    """One view of the inbox with the filters applied, each case with its next
    running deadline, last activity (the access log does not count), whether
    a complainant's message waits for an answer and whether a clock is paused."""
    now = now or timezone.now()
    view = filters.view if filters.view in views_for(user) else default_view(user)
    queryset = _base(user).filter(_view_q(view, user=user, now=now))
    if filters.q:
        queryset = queryset.filter(reference__icontains=filters.q.strip())
    if filters.field_of_life:
        queryset = queryset.filter(field_of_life=filters.field_of_life)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.caseworker:
        queryset = queryset.filter(
            Exists(
                ComplaintUserObjectPermission.objects.filter(
                    content_object=OuterRef("pk"),
                    permission__codename=CHANGE,
                    user__username=filters.caseworker,
                )
            )
        )
    codes = list(dict.fromkeys(filters.grounds))
    if codes:
        # Last: the grounds are decrypted in Python for the cases left (selectors.with_grounds).
        queryset = with_grounds(queryset, codes=codes, match=filters.match)
    queryset = queryset.annotate(
        next_deadline=Subquery(
            _running().order_by().values("complaint").annotate(due=Min("due_at")).values("due")[:1]
        ),
        last_activity=Subquery(
            ComplaintEvent.objects.filter(complaint=OuterRef("pk"))
            .exclude(kind=EventKind.VIEWED)
            .order_by()
            .values("complaint")
            .annotate(last=Max("at"))
            .values("last")[:1]
        ),
        unanswered=_unanswered(),
        waiting=_paused(),
    ).only(*LIST_FIELDS, "channel")
    order = {
        "deadline": [F("next_deadline").asc(nulls_last=True), "-created_at"],
        "received": ["-created_at"],
        "activity": [F("last_activity").desc(nulls_last=True), "-created_at"],
    }[filters.sort if filters.sort in SORTS else "deadline"]
    return queryset.order_by(*order, "pk")
