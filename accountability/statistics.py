"""Complaint statistics that cannot expose a person (issue 19).

Every table is computed from one query over the complaints tables
(complaints with their encrypted grounds, decrypted in memory, and the first
`decided` event of each), whatever the number of complaints, then suppressed
(accountability.suppression). All tables share their margins (complaints per
year, all complaints), so a margin withheld in one table is withheld in every
table, and the API's answer for one year is a column of the same suppressed
table as the answer for all years: no two answers can be subtracted to find a
withheld cell.

Reads complaints' models read-only through this module only. The result, as
published (withheld cells left out), is stored as a `StatisticsSnapshot` row
that every worker reads in one query (with the cache in front); once it is
older than STATISTICS_CACHE_SECONDS it is still served, and one refresh is
queued for the task worker (statistics need not be live).
"""

from __future__ import annotations

import statistics as pystats
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.grounds import FieldOfLife, Ground
from complaints.models import Channel, Complaint, ComplaintEvent, EventKind, Status, grounds_unseal
from core.tasks import enqueue_on_commit

from .models import StatisticsSnapshot
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
# Older snapshots are deleted when a new one is stored; a few are kept so that
# a failed run's predecessor is still there to look at.
SNAPSHOTS_KEPT = 3
# A queued refresh that has not landed after this long (a lost task) may be
# queued again; longer than a computation at a million complaints.
REFRESH_CLAIM_SECONDS = 15 * 60


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


def _max_age() -> int:
    return getattr(settings, "STATISTICS_CACHE_SECONDS", 600)


def _is_stale(computed_at: float) -> bool:
    return time.time() - computed_at >= _max_age()


def complaint_statistics() -> Statistics:
    """The suppressed tables: from the cache, else from the newest snapshot
    (one query). Older than STATISTICS_CACHE_SECONDS, they are still what the
    reader gets, and one refresh is queued (`_queue_refresh`). Only when no
    snapshot exists at all, a new install, are they computed on the request
    and stored: a new install has few complaints, and every later reader finds
    the snapshot. Computing reads and decrypts every complaint, about a minute
    for a million on the benchmark machine (docs/benchmarks.md, scale series),
    which no reader should wait for."""
    entry = cache.get(CACHE_KEY)
    if entry is None or _is_stale(entry[0]):
        # Stale here may be fresh in the database (refreshed by the task
        # worker, whose cache may not be ours).
        entry = _latest_snapshot()
        if entry is None:
            return refresh()
        cache.set(CACHE_KEY, entry, KEEP_SECONDS)
    computed_at, stats = entry
    if _is_stale(computed_at):
        _queue_refresh()
    return stats


def _latest_snapshot() -> tuple[float, Statistics] | None:
    snapshot = StatisticsSnapshot.objects.only("computed_at", "payload").first()
    if snapshot is None:
        return None
    return snapshot.computed_at.timestamp(), from_payload(snapshot.payload)


def _queue_refresh() -> None:
    """Queue one refresh for all workers: the cache lock spares this cache's
    readers the claim query; the claim (a conditional update of the newest
    snapshot) holds across workers whose caches are their own (SQLite)."""
    # No longer than the freshness: a per-process cache's lock, which the task
    # worker cannot delete, must not outlive the next snapshot's freshness.
    lock_seconds = max(60, min(_max_age(), REFRESH_CLAIM_SECONDS))
    if not cache.add(REFRESH_LOCK_KEY, True, timeout=lock_seconds):
        return
    now = timezone.now()
    newest = StatisticsSnapshot.objects.order_by("-computed_at", "-pk").values("pk")[:1]
    claimed = (
        StatisticsSnapshot.objects.filter(pk__in=newest)
        .filter(
            models.Q(refresh_queued_at__isnull=True)
            | models.Q(refresh_queued_at__lt=now - timedelta(seconds=REFRESH_CLAIM_SECONDS))
        )
        .update(refresh_queued_at=now)
    )
    if claimed:
        enqueue_on_commit("accountability.tasks.refresh_statistics")


def refresh() -> Statistics:
    """Compute the tables, store them as the newest snapshot and keep them in
    the cache, with the time they were computed."""
    computed_at = timezone.now()
    stats = compute()
    with transaction.atomic():
        StatisticsSnapshot.objects.create(computed_at=computed_at, payload=to_payload(stats))
        old = StatisticsSnapshot.objects.order_by("-computed_at", "-pk").values_list(
            "pk", flat=True
        )[SNAPSHOTS_KEPT:]
        StatisticsSnapshot.objects.filter(pk__in=list(old)).delete()
    cache.set(CACHE_KEY, (computed_at.timestamp(), stats), KEEP_SECONDS)
    cache.delete(REFRESH_LOCK_KEY)
    return stats


def refresh_if_stale() -> int:
    """The task's work: 1 if computed, 0 if the newest snapshot is fresh."""
    newest = StatisticsSnapshot.objects.values_list("computed_at", flat=True).first()
    if newest is not None and not _is_stale(newest.timestamp()):
        return 0
    refresh()
    return 1


def to_payload(stats: Statistics) -> dict:
    """What is published and nothing else: a withheld cell is None."""
    return {
        "years": stats.years,
        "median_days": {
            ("all" if year is None else str(year)): days for year, days in stats.median_days.items()
        },
        "tables": {
            by: {
                "keys": table.keys,
                "cells": [
                    [table.table.published(r, c) for c in range(table.table.cols + 1)]
                    for r in range(table.table.rows + 1)
                ],
            }
            for by, table in stats.tables.items()
        },
    }


def from_payload(payload: dict) -> Statistics:
    years = payload["years"]
    tables = {}
    for by, data in payload["tables"].items():
        grid = data["cells"]
        withheld = {
            (r, c) for r, row in enumerate(grid) for c, value in enumerate(row) if value is None
        }
        # A withheld cell's count was never stored; 0 stands in for it, and
        # `published` answers None there.
        cells = [[value or 0 for value in row] for row in grid]
        tables[by] = StatisticsTable(
            by=by, keys=data["keys"], years=years, table=Table(cells=cells, withheld=withheld)
        )
    medians: dict[int | None, float | None] = {
        (None if key == "all" else int(key)): days for key, days in payload["median_days"].items()
    }
    return Statistics(years=years, tables=tables, median_days=medians)


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
