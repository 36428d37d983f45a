"""Complaint statistics that cannot expose a person (issue 19).

Every table is computed from one query over the complaints tables
(complaints with their encrypted grounds, decrypted in memory, and the first
`decided` event of each), whatever the number of complaints, then suppressed
(accountability.suppression). All tables share their margins (complaints per
year, all complaints), so a margin withheld in one table is withheld in every
table, and the API's answer for one year is a column of the same suppressed
table as the answer for all years: no two answers can be subtracted to find a
withheld cell.

Reads complaints' models read-only through this module only; the result is
kept in the cache and refreshed in the background once it is older than
STATISTICS_CACHE_SECONDS (statistics need not be live).
"""

from __future__ import annotations

import logging
import statistics as pystats
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.grounds import FieldOfLife, Ground
from complaints.models import Channel, Complaint, ComplaintEvent, EventKind, Status, grounds_unseal

from .suppression import THRESHOLD, Table, suppress, with_margins

DIMENSIONS = ("ground", "grounds_combination", "field_of_life", "channel", "outcome", "quarter")
DIMENSION_LABELS = {
    "ground": pgettext_lazy("statistics", "Ground"),
    "grounds_combination": pgettext_lazy("statistics", "Combination of grounds"),
    "field_of_life": pgettext_lazy("statistics", "Field of life"),
    "channel": pgettext_lazy("statistics", "Channel"),
    "outcome": pgettext_lazy("statistics", "Outcome"),
    "quarter": pgettext_lazy("statistics", "Quarter"),
}
OTHER_COMBINATIONS = "_other"
OUTCOMES = {
    "pending": pgettext_lazy("complaint outcome", "Still open"),
    "decided": pgettext_lazy("complaint outcome", "Decided (discrimination found)"),
    "settled": pgettext_lazy("complaint outcome", "Settled in mediation"),
    "rejected": pgettext_lazy("complaint outcome", "Rejected"),
    "referred": pgettext_lazy("complaint outcome", "Referred"),
    "withdrawn": pgettext_lazy("complaint outcome", "Withdrawn"),
}
QUARTERS = {f"Q{q}": pgettext_lazy("quarter", "Q%(n)s") % {"n": q} for q in range(1, 5)}
# (computed at, Statistics); v2: v1 held the tables alone.
CACHE_KEY = "accountability:complaint-statistics:v2"
REFRESH_LOCK_KEY = CACHE_KEY + ":refreshing"
# Kept long past their freshness: a stale copy is served while one is computed.
KEEP_SECONDS = 7 * 24 * 3600
logger = logging.getLogger(__name__)


@dataclass
class StatisticsTable:
    by: str
    keys: list[str]
    years: list[int]
    table: Table

    def column(self, year: int | None) -> int | None:
        if year is None:
            return len(self.years)
        return self.years.index(year) if year in self.years else None


@dataclass
class Statistics:
    years: list[int]
    tables: dict[str, StatisticsTable]
    # year (None: all years) -> median days from submission to decision, or None
    median_days: dict[int | None, float | None] = field(default_factory=dict)


def _outcome(status: str, has_decision: bool) -> str:
    if status in (Status.SUBMITTED, Status.INVESTIGATING, Status.MEDIATION):
        return "pending"
    if status == Status.DECIDED or (status == Status.CLOSED and has_decision):
        return "decided"
    if status == Status.CLOSED:
        return "settled"
    return str(status)


def _combination_key(codes) -> str:
    return "+".join(sorted(codes))


def compute() -> Statistics:
    """The suppressed tables from the database: one query, read as a stream."""
    first_decision = (
        ComplaintEvent.objects.filter(
            complaint=OuterRef("pk"), kind=EventKind.TRANSITION, to_status=Status.DECIDED
        )
        .order_by("at")
        .values("at")[:1]
    )
    rows = (
        Complaint.objects.order_by()
        .annotate(decided_at=Subquery(first_decision))
        .values_list(
            "created_at", "channel", "field_of_life", "status", "sealed_grounds", "decided_at"
        )
    )
    # Each complaint is counted as it is read and then forgotten: nothing per
    # complaint is kept (a million of them held as rows took hundreds of MB of
    # a web worker). The grounds are encrypted with each case; they are
    # decrypted here, in memory, and only their counts leave this function
    # (docs/architecture.md).
    counts: dict[str, Counter] = {by: Counter() for by in DIMENSIONS}
    per_year: Counter = Counter()
    combination_totals: Counter = Counter()
    days: dict[int | None, list[float]] = defaultdict(list)
    for created, channel, field_of_life, status, sealed, decided_at in rows.iterator(
        chunk_size=2000
    ):
        local = timezone.localtime(created)
        year = local.year
        per_year[year] += 1
        codes = set(grounds_unseal(sealed))
        for code in codes:
            counts["ground"][(code, year)] += 1
        combination = _combination_key(codes)
        combination_totals[combination] += 1
        counts["grounds_combination"][(combination, year)] += 1
        counts["field_of_life"][(field_of_life, year)] += 1
        counts["channel"][(channel, year)] += 1
        counts["outcome"][(_outcome(status, decided_at is not None), year)] += 1
        counts["quarter"][(f"Q{(local.month - 1) // 3 + 1}", year)] += 1
        if decided_at is not None:
            span = (decided_at - local).total_seconds() / 86400
            days[year].append(span)
            days[None].append(span)

    this_year = timezone.localdate().year
    first_year = min(per_year, default=this_year)
    years = list(range(first_year, max(this_year, *per_year, first_year) + 1))
    column = {year: i for i, year in enumerate(years)}
    for by in DIMENSIONS:
        counts[by] = Counter({(key, column[year]): n for (key, year), n in counts[by].items()})
    per_year = Counter({column[year]: n for year, n in per_year.items()})

    # Rare combinations are pooled, so that a row's mere presence tells nothing.
    common = sorted(k for k, n in combination_totals.items() if n >= THRESHOLD)
    pooled: Counter = Counter()
    for (key, c), n in counts["grounds_combination"].items():
        pooled[(key if key in common else OTHER_COMBINATIONS, c)] += n
    counts["grounds_combination"] = pooled

    keys = {
        "ground": [g.value for g in Ground],
        "grounds_combination": [*common, OTHER_COMBINATIONS],
        "field_of_life": [f.value for f in FieldOfLife],
        "channel": [c.value for c in Channel],
        "outcome": list(OUTCOMES),
        "quarter": list(QUARTERS),
    }
    totals = [per_year[c] for c in range(len(years))]
    grids = {}
    for by in DIMENSIONS:
        interior = [[counts[by][(key, c)] for c in range(len(years))] for key in keys[by]]
        grids[by] = with_margins(interior, totals=totals)

    # Shared margins: withheld in one table, withheld in all (to a fixed point).
    shared: set[int] = set()
    while True:
        tables = {}
        for by in DIMENSIONS:
            margin_row = len(keys[by])
            tables[by] = suppress(grids[by], also={(margin_row, c) for c in shared})
        now_shared = {c for t in tables.values() for (r, c) in t.withheld if r == t.rows}
        if now_shared <= shared:
            break
        shared |= now_shared
    medians = {
        year: (round(pystats.median(values), 1) if len(values) >= THRESHOLD else None)
        for year, values in days.items()
    }
    return Statistics(
        years=years,
        tables={
            by: StatisticsTable(by=by, keys=keys[by], years=years, table=tables[by])
            for by in DIMENSIONS
        },
        median_days=medians,
    )


def complaint_statistics() -> Statistics:
    """The suppressed tables from the cache. Older than STATISTICS_CACHE_SECONDS,
    they are still what the reader gets, and one refresh starts in the
    background (one per cache: the lock). Only when there are none at all
    (first use, an emptied cache) are they computed on the request: computing
    reads and decrypts every complaint, about a minute for a million on the
    benchmark machine (docs/benchmarks.md, scale series), which no reader
    should wait for every ten minutes."""
    entry = cache.get(CACHE_KEY)
    if entry is None:
        return refresh()
    computed_at, stats = entry
    seconds = getattr(settings, "STATISTICS_CACHE_SECONDS", 600)
    if time.time() - computed_at >= seconds and cache.add(
        REFRESH_LOCK_KEY, True, timeout=max(seconds, 60)
    ):
        _refresh_in_background()
    return stats


def refresh() -> Statistics:
    """Compute the tables and keep them, with the time they were computed."""
    stats = compute()
    cache.set(CACHE_KEY, (time.time(), stats), KEEP_SECONDS)
    cache.delete(REFRESH_LOCK_KEY)
    return stats


def _refresh_in_background() -> None:
    def run() -> None:
        try:
            refresh()
        except Exception:
            logger.exception("refreshing the complaint statistics failed")
            cache.delete(REFRESH_LOCK_KEY)
        finally:
            connection.close()  # this thread's own connection

    threading.Thread(target=run, name="statistics-refresh", daemon=True).start()


def key_label(by: str, key: str) -> str:
    if by == "ground":
        return str(Ground(key).label) if key in Ground.values else key
    if by == "grounds_combination":
        if key == OTHER_COMBINATIONS:
            return str(_("Other combinations (fewer than 5 complaints each)"))
        if not key:
            return str(_("No ground given"))
        return " + ".join(key_label("ground", code) for code in key.split("+"))
    if by == "field_of_life":
        return str(FieldOfLife(key).label) if key in FieldOfLife.values else key
    if by == "channel":
        return str(Channel(key).label) if key in Channel.values else key
    if by == "outcome":
        return str(OUTCOMES.get(key, key))
    return str(QUARTERS.get(key, key))


def statistics_answer(*, by: str, year: int | None) -> dict:
    """The contract's answer for one dimension and one year (None: all years)."""
    stats = complaint_statistics()
    table = stats.tables[by]
    column = table.column(year)
    rows = []
    for r, key in enumerate(table.keys):
        count = table.table.published(r, column) if column is not None else None
        rows.append({"key": key, "label": key_label(by, key), "count": count})
    total = table.table.published(table.table.rows, column) if column is not None else None
    return {
        "by": by,
        "year": year,
        "threshold": THRESHOLD,
        "total": total,
        "rows": rows,
        "median_days_to_decision": stats.median_days.get(year) if column is not None else None,
    }
