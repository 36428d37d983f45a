"""Reads of the public accountability records. Every public selector returns
only what the public may see (live indicators, published recommendations and
decisions), with its related rows fetched in a fixed number of queries."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.permissions import may
from petitions.selectors import petition_public_list

from .models import (
    Decision,
    DecisionState,
    Department,
    Indicator,
    Milestone,
    Recommendation,
    RecommendationStatus,
)

# --- indicators


def indicator_list_public(*, ground: str | None = None) -> QuerySet[Indicator]:
    qs = (
        Indicator.objects.filter(live=True)
        .select_related("area")
        .prefetch_related("targets", "measurements", "ground_links")
    )
    if ground:
        qs = qs.filter(ground_links__code=ground)
    return qs


def indicator_get_public(*, code: str) -> Indicator:
    """Raises Indicator.DoesNotExist for a hidden or unknown code."""
    return indicator_list_public().get(code=code)


def indicator_related_public(*, indicator: Indicator) -> dict:
    """The live consultations and published petitions it links to."""
    consultations = list(indicator.consultations.live().public().specific())
    petitions = list(petition_public_list().filter(indicators=indicator))
    return {"consultations": consultations, "petitions": petitions}


def indicators_for_ground(*, code: str) -> list[Indicator]:
    """For back-links from a ground (statistics, decisions)."""
    return list(indicator_list_public(ground=code))


def indicators_for_consultation(*, page) -> list[Indicator]:
    """Back-links for a consultation page (its template may include them)."""
    return list(Indicator.objects.filter(live=True, consultations=page))


def indicators_for_petition(*, petition) -> list[Indicator]:
    return list(Indicator.objects.filter(live=True, petitions=petition))


# --- recommendations

STATUS_Q = {
    RecommendationStatus.IMPLEMENTED: Q(implemented_at__isnull=False),
    RecommendationStatus.AWAITING_RESPONSE: Q(implemented_at__isnull=True, answer=""),
    RecommendationStatus.ACCEPTED: Q(implemented_at__isnull=True, answer="accepted"),
    RecommendationStatus.PARTLY_ACCEPTED: Q(implemented_at__isnull=True, answer="partly_accepted"),
    RecommendationStatus.REJECTED: Q(implemented_at__isnull=True, answer="rejected"),
}


def recommendation_list_public(
    *, department: str | None = None, status: str | None = None, ground: str | None = None
) -> QuerySet[Recommendation]:
    qs = (
        Recommendation.objects.filter(published=True)
        .select_related("department", "decision")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due", "pk")))
    )
    if department:
        qs = qs.filter(department__code=department)
    if status:
        qs = qs.filter(STATUS_Q[RecommendationStatus(status)])
    if ground:
        qs = qs.filter(ground=ground)
    return qs


def recommendation_get_public(*, pk: int) -> Recommendation:
    return recommendation_list_public().get(pk=pk)


def department_list() -> QuerySet[Department]:
    return Department.objects.all()


def recommendations_overdue(now: datetime.datetime | None = None) -> QuerySet[Recommendation]:
    """Recommendations whose department has not answered by the due date: the
    hook for the casework deadline engine (`manage.py casework_deadlines`),
    which escalates each one and sets `escalated_at` so it is escalated once."""
    today = timezone.localdate(now) if now else timezone.localdate()
    return Recommendation.objects.filter(
        answer="", implemented_at__isnull=True, response_due__lt=today
    ).select_related("department")


# --- decisions


def decision_list_public(
    *,
    q: str = "",
    ground: str | None = None,
    year: int | None = None,
    field_of_life: str | None = None,
    outcome: str | None = None,
) -> QuerySet[Decision]:
    qs = Decision.objects.filter(state=DecisionState.PUBLISHED).prefetch_related(
        Prefetch("recommendations", queryset=Recommendation.objects.filter(published=True))
    )
    if ground:
        qs = qs.filter(ground_codes__contains=f",{ground},")
    if year:
        qs = qs.filter(decided_on__year=year)
    if field_of_life:
        qs = qs.filter(field_of_life=field_of_life)
    if outcome:
        qs = qs.filter(outcome=outcome)
    if q:
        words = Q()
        for field in (
            "title_ko",
            "title_en",
            "summary_ko",
            "summary_en",
            "easy_read_ko",
            "easy_read_en",
            "body_ko",
            "body_en",
        ):
            words |= Q(**{f"{field}__icontains": q})
        qs = qs.filter(words)
    return qs


def decision_get_public(*, pk: int) -> Decision:
    return decision_list_public().get(pk=pk)


def decision_queue(*, user) -> QuerySet[Decision]:
    """Drafts and decisions awaiting approval the user may work on."""
    qs = Decision.objects.exclude(state=DecisionState.PUBLISHED).select_related("complaint")
    if may(user, "accountability.unpublish"):  # the supervisor sees every draft
        return qs
    return qs.filter(written_by=user)
