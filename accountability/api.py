"""The Accountability endpoints of the JSON API (CONTRACT.md section 3): public
and read-only."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from complaints.grounds import FieldOfLife, Ground
from core.errors import Invalid

from . import search, selectors, statistics
from .models import Outcome, RecommendationStatus, localized

router = Router(tags=["accountability"])

YEAR_MIN, YEAR_MAX = 2000, 2100


class StatisticsFilters(Schema):
    by: str = "ground"
    year: str | None = None


def parse_year(value: str | None, field: str = "year") -> int | None:
    """A year from a query string; empty means none; anything else is a 400."""
    if value in (None, ""):
        return None
    if not value.isdigit() or not YEAR_MIN <= int(value) <= YEAR_MAX:
        raise Invalid(
            _("Give a year between %(min)s and %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX},
            field=field,
        )
    return int(value)


def parse_by(value: str) -> str:
    if value not in statistics.DIMENSIONS:
        raise Invalid(
            _("by: Choose one of: %(choices)s.") % {"choices": ", ".join(statistics.DIMENSIONS)},
            field="by",
        )
    return value


@router.get("/statistics/complaints", auth=None)
def complaint_statistics(request: HttpRequest, filters: Query[StatisticsFilters]):
    """Complaint counts by one dimension, for one year or all; a count under 5,
    or one that could be worked out from the others, is null."""
    return statistics.statistics_answer(by=parse_by(filters.by), year=parse_year(filters.year))


def _choice(value: str | None, choices, field: str) -> str | None:
    if not value:
        return None
    if value not in choices:
        raise Invalid(
            _("%(field)s: Choose one of: %(choices)s.")
            % {"field": field, "choices": ", ".join(choices)},
            field=field,
        )
    return value


def _number(value):
    return None if value is None else float(value)


def indicator_out(indicator, request) -> dict:
    return {
        "code": indicator.code,
        "area": localized(indicator.area, "title"),
        "title": localized(indicator, "title"),
        "unit": localized(indicator, "unit"),
        "direction": indicator.direction,
        "baseline": {"year": indicator.baseline_year, "value": _number(indicator.baseline_value)},
        "targets": [{"year": t.year, "value": _number(t.value)} for t in indicator.targets.all()],
        "values": [
            {"year": v.year, "value": _number(v.value), "source": localized(v, "source")}
            for v in indicator.measurements.all()
        ],
        "grounds": [g.code for g in indicator.ground_links.all()],
        "url": reverse("accountability:indicator", args=[indicator.code]),
    }


class IndicatorFilters(Schema):
    ground: str | None = None


@router.get("/indicators", auth=None)
def indicator_list(request: HttpRequest, filters: Query[IndicatorFilters]):
    """The Human Rights Indicators with their five-year plans and measured values."""
    ground = _choice(filters.ground, Ground.values, "ground")
    return [indicator_out(i, request) for i in selectors.indicator_list_public(ground=ground)]


class RecommendationFilters(Schema):
    department: str | None = None
    status: str | None = None
    ground: str | None = None


def recommendation_out(rec, request) -> dict:
    return {
        "id": rec.pk,
        "title": localized(rec, "title"),
        "department": localized(rec.department, "name"),
        "department_code": rec.department.code,
        "issued_at": rec.issued_at,
        "response_due": rec.response_due,
        "status": str(rec.status),
        "response": (
            {"text": localized(rec, "answer_text"), "at": rec.answered_at} if rec.answer else None
        ),
        "decision": (
            reverse("accountability:decision", args=[rec.decision_id])
            if rec.decision_id and rec.decision.public
            else None
        ),
        "ground": rec.ground or None,
        "url": reverse("accountability:recommendation", args=[rec.pk]),
    }


@router.get("/recommendations", auth=None)
def recommendation_list(request: HttpRequest, filters: Query[RecommendationFilters]):
    """Published recommendations to city departments, with the answer; no personal data."""
    departments = list(selectors.department_list().values_list("code", flat=True))
    rows = selectors.recommendation_list_public(
        department=_choice(filters.department, departments, "department"),
        status=_choice(filters.status, RecommendationStatus.values, "status"),
        ground=_choice(filters.ground, Ground.values, "ground"),
    )
    return [recommendation_out(r, request) for r in rows]


class DecisionFilters(Schema):
    q: str = ""
    ground: str | None = None
    year: str | None = None
    field_of_life: str | None = None
    outcome: str | None = None


def decision_out(decision, request) -> dict:
    return {
        "id": decision.pk,
        "title": localized(decision, "title"),
        "summary": localized(decision, "summary"),
        "easy_read": localized(decision, "easy_read"),
        "grounds": decision.grounds,
        "field_of_life": decision.field_of_life,
        "decided_on": decision.decided_on,
        "outcome": decision.outcome,
        "recommendations": [
            reverse("accountability:recommendation", args=[r.pk])
            for r in decision.recommendations.all()
        ],
        "url": reverse("accountability:decision", args=[decision.pk]),
    }


@router.get("/decisions", auth=None)
def decision_list(request: HttpRequest, filters: Query[DecisionFilters]):
    """Published anonymised decisions; `q` searches their text."""
    if len(filters.q) > search.Q_MAX_LENGTH:
        raise Invalid(
            _("Search for at most %(max)s characters.") % {"max": search.Q_MAX_LENGTH}, field="q"
        )
    rows = selectors.decision_list_public(
        q=filters.q.strip(),
        ground=_choice(filters.ground, Ground.values, "ground"),
        year=parse_year(filters.year),
        field_of_life=_choice(filters.field_of_life, FieldOfLife.values, "field_of_life"),
        outcome=_choice(filters.outcome, Outcome.values, "outcome"),
    )
    return [decision_out(d, request) for d in rows]


class SearchFilters(Schema):
    q: str = ""


@router.get("/search", auth=None)
def search_everything(request: HttpRequest, filters: Query[SearchFilters]):
    """Everything public that contains `q` (Korean substrings included)."""
    if len(filters.q) > search.Q_MAX_LENGTH:
        raise Invalid(
            _("Search for at most %(max)s characters.") % {"max": search.Q_MAX_LENGTH}, field="q"
        )
    results = search.search_public(q=filters.q, language=(get_language() or "ko")[:2])
    return [{"type": r.type, "title": r.title, "url": r.url, "snippet": r.snippet} for r in results]
