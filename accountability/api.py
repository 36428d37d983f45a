"""The Accountability endpoints of the JSON API (CONTRACT.md section 3): public
and read-only."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from core.api import FieldError

from . import statistics

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
        raise FieldError(
            field,
            _("Give a year between %(min)s and %(max)s.") % {"min": YEAR_MIN, "max": YEAR_MAX},
        )
    return int(value)


def parse_by(value: str) -> str:
    if value not in statistics.DIMENSIONS:
        raise FieldError(
            "by",
            _("by: Choose one of: %(choices)s.") % {"choices": ", ".join(statistics.DIMENSIONS)},
        )
    return value


@router.get("/statistics/complaints", auth=None)
def complaint_statistics(request: HttpRequest, filters: Query[StatisticsFilters]):
    """Complaint counts by one dimension, for one year or all; a count under 5,
    or one that could be worked out from the others, is null."""
    return statistics.statistics_answer(by=parse_by(filters.by), year=parse_year(filters.year))
