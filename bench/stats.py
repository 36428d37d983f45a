"""Pure numbers: percentiles and the summary of one measured series."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile (0-100) by linear interpolation between closest ranks
    (numpy's default); None for an empty series."""
    if not values:
        return None
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, not {p}")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(latencies_s: Sequence[float]) -> dict:
    """Latencies in seconds -> milliseconds p50/p95/p99/max and the count."""

    def ms(value: float | None) -> float | None:
        return None if value is None else round(value * 1000, 3)

    return {
        "count": len(latencies_s),
        "p50_ms": ms(percentile(latencies_s, 50)),
        "p95_ms": ms(percentile(latencies_s, 95)),
        "p99_ms": ms(percentile(latencies_s, 99)),
        "max_ms": ms(max(latencies_s) if latencies_s else None),
    }


def ratio(value: float | None, reference: float | None) -> float | None:
    """value / reference, or None when either is missing or the reference is 0."""
    if value is None or not reference:
        return None
    return round(value / reference, 2)
