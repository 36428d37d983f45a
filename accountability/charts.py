"""Geometry for the server-rendered SVG charts (no chart library, no script).

A chart is always shown with its data table beside it; the SVG carries a
<title> and a <desc> that say in words what it shows, so a screen reader
user gets the same as a sighted one, and the table holds every number.
"""

from __future__ import annotations

from dataclasses import dataclass

BAR_WIDTH = 400
LABEL_WIDTH = 0  # labels sit above their bars, so long Korean labels fit on a phone
ROW_HEIGHT = 60


@dataclass
class Bar:
    label: str
    value: float | None
    y: int
    width: float
    text_y: int
    bar_y: int


def bar_chart(rows: list[tuple[str, float | None]]) -> dict:
    """Horizontal bars, one per row; a withheld value draws no bar."""
    known = [v for _, v in rows if v is not None]
    top = max(known, default=0) or 1
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * ROW_HEIGHT
        width = 0 if value is None else max(2.0, (BAR_WIDTH - 60) * value / top)
        bars.append(
            Bar(label=label, value=value, y=y, width=round(width, 1), text_y=y + 20, bar_y=y + 28)
        )
    return {"width": BAR_WIDTH, "height": max(ROW_HEIGHT, len(rows) * ROW_HEIGHT), "bars": bars}


def line_chart(
    series: dict[str, list[tuple[int, float]]], *, years: list[int], width: int = 520
) -> dict:
    """A line per series ("target", "value") over the years, with a point per
    year and a value label; the y axis starts at zero (or at the smallest value
    when it is negative)."""
    height, left, right, top, bottom = 300, 64, 40, 36, 44
    numbers = [v for points in series.values() for _, v in points]
    high = max(numbers, default=1) or 1
    low = min(0, *numbers) if numbers else 0
    span = (high - low) or 1
    first, last = (years[0], years[-1]) if years else (0, 1)
    step = (width - left - right) / max(1, last - first)

    def x(year: int) -> float:
        return round(left + (year - first) * step, 1)

    def y(value: float) -> float:
        return round(top + (height - top - bottom) * (1 - (value - low) / span), 1)

    lines = {}
    for name, points in series.items():
        coords = [(x(year), y(value), year, value) for year, value in sorted(points)]
        lines[name] = {
            "points": " ".join(f"{px},{py}" for px, py, _, _ in coords),
            "dots": [{"x": px, "y": py, "year": yr, "value": v} for px, py, yr, v in coords],
        }
    ticks = [{"x": x(year), "year": year} for year in years]
    return {
        "width": width,
        "height": height,
        "baseline_y": y(low),
        "left": left,
        "right": width - right,
        "axis_y": height - bottom + 26,
        "lines": lines,
        "ticks": ticks,
        "high": high,
        "high_y": y(high),
        "low": low,
    }
