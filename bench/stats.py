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


# Below this growth from the smallest to the largest size a series is flat.
FLAT_GROWTH = 1.3
# A series that less than doubles over the sizes is not called linear: on this
# shared two-core machine two runs of one cached page differed by up to 1.7 x
# (bench-quick, 2026-12-01), so such a rise is within the noise.
LINEAR_MIN_GROWTH = 2.0


def fit_growth(sizes: Sequence[float], values: Sequence[float | None]) -> dict:
    """How `values` (p95 at each size) grow with `sizes`: "flat", "log" or
    "linear". Flat when the largest size costs less than FLAT_GROWTH x the
    smallest; otherwise the better least-squares fit of value = a + b log(n)
    and value = a + b n (three sizes ten times apart: a log cost adds about
    the same step per ten times the size, a linear one ten times the last
    step), and never linear under LINEAR_MIN_GROWTH. None when fewer than two
    sizes were measured."""
    points = [(n, v) for n, v in zip(sizes, values, strict=True) if v is not None and n > 0]
    if len(points) < 2:
        return {"growth": None, "fit": None}
    points.sort()
    (n0, first), (n1, last) = points[0], points[-1]
    growth = round(last / first, 2) if first > 0 else None
    result = {"growth": growth, "size_ratio": round(n1 / n0, 1)}
    if growth is not None and growth < FLAT_GROWTH:
        return {**result, "fit": "flat"}
    if len(points) == 2 or growth is None:
        # Two points fit both lines exactly: judge by the elasticity instead
        # (a linear cost grows faster than the square root of the size).
        elastic = math.log(last / first) / math.log(n1 / n0) if first > 0 and last > 0 else 1
        return {**result, "fit": "linear" if elastic > 0.5 else "log"}
    residuals = {
        "log": _residual([math.log10(n) for n, _ in points], [v for _, v in points]),
        "linear": _residual([float(n) for n, _ in points], [v for _, v in points]),
    }
    fit = min(residuals, key=residuals.get)
    if fit == "linear" and growth is not None and growth < LINEAR_MIN_GROWTH:
        fit = "log"
    return {**result, "fit": fit}


def _residual(xs: list[float], ys: list[float]) -> float:
    """Sum of squared residuals of the least-squares line ys = a + b xs, with
    b >= 0 (a cost does not fall as the data grows: then b = 0, the mean)."""
    count = len(xs)
    mean_x, mean_y = sum(xs) / count, sum(ys) / count
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = (
        sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0
    )
    slope = max(slope, 0.0)
    intercept = mean_y - slope * mean_x
    return sum((y - intercept - slope * x) ** 2 for x, y in zip(xs, ys, strict=True))
