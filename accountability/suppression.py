"""Small-cell suppression for published tables of counts.

A table is a grid of interior cells (rows × columns) with its margins: a total
per row, a total per column and the grand total. Seen as an (R+1) × (C+1) grid
in which every line (row or column, margins included) obeys one linear
relation, a withheld cell can be worked out exactly from the published ones
when, and only when, it is a bridge of the graph whose nodes are the lines and
whose edges are the withheld cells (it lies on no cycle of withheld cells).

So: withhold every cell under the threshold (primary suppression), then, while
some withheld cell is a bridge, withhold the cheapest rectangle of cells that
closes a cycle through it (secondary suppression). Adding edges never turns an
edge on a cycle into a bridge, and the rectangle puts the bridge on a cycle, so
every round removes a bridge and the loop ends.

The property is tested by exact linear algebra over generated tables
(tests/accountability/test_suppression.py), not by this module's own criterion.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

THRESHOLD = 5

Cell = tuple[int, int]


@dataclass
class Table:
    """Counts with margins. `cells[r][c]` for r < rows, c < cols; row `rows`
    holds the column totals, column `cols` the row totals; `[rows][cols]` the
    grand total. `withheld` is the set of (r, c) positions not published."""

    cells: list[list[int]]
    withheld: set[Cell]

    @property
    def rows(self) -> int:
        return len(self.cells) - 1

    @property
    def cols(self) -> int:
        return len(self.cells[0]) - 1

    def published(self, r: int, c: int) -> int | None:
        return None if (r, c) in self.withheld else self.cells[r][c]


def with_margins(interior: list[list[int]], *, totals: list[int] | None = None) -> list[list[int]]:
    """The interior grid with row totals, column totals and the grand total
    added. `totals` replaces the column totals where the rows are not a
    partition (a complaint with two grounds counts in two rows)."""
    cols = len(interior[0]) if interior else len(totals or [])
    grid = [[*row, sum(row)] for row in interior]
    column_totals = (
        totals if totals is not None else [sum(r[c] for r in interior) for c in range(cols)]
    )
    grid.append([*column_totals, sum(column_totals)])
    return grid


def _bridges(edges: set[Cell], rows: int, cols: int) -> list[Cell]:
    """Edges of the bipartite line graph (row nodes 0..rows, column nodes
    0..cols) that lie on no cycle (Tarjan's bridge search, iterative)."""
    adjacency: dict[tuple[str, int], list[tuple[tuple[str, int], Cell]]] = {}
    for r, c in edges:
        adjacency.setdefault(("r", r), []).append((("c", c), (r, c)))
        adjacency.setdefault(("c", c), []).append((("r", r), (r, c)))
    order: dict = {}
    low: dict = {}
    found: list[Cell] = []
    counter = 0
    for start in adjacency:
        if start in order:
            continue
        order[start] = low[start] = counter
        counter += 1
        stack = [(start, None, iter(adjacency[start]))]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for nxt, edge in neighbours:
                if edge == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, edge, iter(adjacency[nxt])))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(via)
    return found


def _lines(rows: int, cols: int):
    """Every row and column, its margin (total) last."""
    for r in range(rows + 1):
        yield [(r, c) for c in range(cols + 1)]
    for c in range(cols + 1):
        yield [(r, c) for r in range(rows + 1)]


def _line_of_zeros(cells, withheld: set[Cell], rows: int, cols: int) -> Cell | None:
    """Counts are never negative, so when a line's total is published and every
    withheld member of it is 0, their known sum (0) would give each away. Return the smallest
    published cell of such a line, to be withheld as well (None: no such line)."""
    for line in _lines(rows, cols):
        *members, margin = line
        hidden = [p for p in members if p in withheld]
        # With the line's total published, its withheld members' sum is known.
        if margin not in withheld and hidden and all(cells[r][c] == 0 for r, c in hidden):
            shown = [p for p in line if p not in withheld]
            if shown:
                return min(shown, key=lambda p: cells[p[0]][p[1]])
    return None


def suppress(
    cells: list[list[int]],
    *,
    threshold: int = THRESHOLD,
    also: Iterable[Cell] = (),
) -> Table:
    """Withhold every cell under `threshold` and enough others that none of
    them can be worked out. `also`: cells to withhold whatever their value
    (margins another table shares and withheld)."""
    rows, cols = len(cells) - 1, len(cells[0]) - 1
    withheld = {(r, c) for r in range(rows + 1) for c in range(cols + 1) if cells[r][c] < threshold}
    withheld.update(also)
    while True:
        bridges = _bridges(withheld, rows, cols)
        if not bridges:
            zero_line = _line_of_zeros(cells, withheld, rows, cols)
            if zero_line is None:
                return Table(cells=cells, withheld=withheld)
            withheld.add(zero_line)
            continue
        r, c = bridges[0]
        best: tuple[int, list[Cell]] | None = None
        for r2 in range(rows + 1):
            if r2 == r:
                continue
            for c2 in range(cols + 1):
                if c2 == c:
                    continue
                extra = [p for p in ((r, c2), (r2, c), (r2, c2)) if p not in withheld]
                # Prefer the fewest people hidden, then the fewest cells.
                cost = (sum(cells[p[0]][p[1]] for p in extra) * 1000) + len(extra)
                if best is None or cost < best[0]:
                    best = (cost, extra)
        assert best is not None  # noqa: S101 - a grid has at least two lines each way
        withheld.update(best[1])
