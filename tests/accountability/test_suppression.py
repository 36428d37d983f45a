"""Small-cell suppression: no published cell under 5, and no withheld cell can
be worked out exactly from what is published (checked by exact linear algebra
over the table's row and column relations, not by the module's own criterion)."""

import itertools
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from accountability.suppression import THRESHOLD, suppress, with_margins


def determined_cells(table) -> set:
    """Withheld cells whose value follows from the published ones."""
    rows, cols = table.rows, table.cols
    unknown = sorted(table.withheld)
    index = {cell: i for i, cell in enumerate(unknown)}
    lines = [[(r, c) for c in range(cols)] + [(r, cols)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows)] + [(rows, c)] for c in range(cols + 1)]
    matrix = []
    for line in lines:
        *members, margin = line
        row = [Fraction(0)] * len(unknown)
        for cell, sign in [*((m, 1) for m in members), (margin, -1)]:
            if cell in index:
                row[index[cell]] += sign
        if any(row):
            matrix.append(row)
    # Reduced row echelon form.
    pivots = []
    r = 0
    for col in range(len(unknown)):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][col] != 0), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][col]
        matrix[r] = [v / lead for v in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][col] != 0:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append(col)
        r += 1
    free = set(range(len(unknown))) - set(pivots)
    found = set()
    for i, col in enumerate(pivots):
        if not any(matrix[i][f] != 0 for f in free):
            found.add(unknown[col])
    return found


def check(interior):
    table = suppress(with_margins(interior))
    for r in range(table.rows + 1):
        for c in range(table.cols + 1):
            value = table.published(r, c)
            assert value is None or value >= THRESHOLD, (interior, r, c)
    assert determined_cells(table) == set(), interior
    # Counts are never negative: no line may show that its withheld cells sum to 0.
    rows, cols = table.rows, table.cols
    lines = [[(r, c) for c in range(cols + 1)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows + 1)] for c in range(cols + 1)]
    grid = table.cells
    for line in lines:
        *members, margin = line
        hidden = [p for p in members if p in table.withheld]
        if hidden and margin not in table.withheld:
            assert sum(grid[r][c] for r, c in hidden) > 0, (interior, line)
    return table


def test_one_small_cell_takes_a_second_with_it():
    table = check([[3], [10], [12]])
    assert (0, 0) in table.withheld
    assert (1, 0) in table.withheld  # the next smallest, else 3 = total - 10 - 12
    assert table.published(2, 0) == 12
    assert table.published(3, 0) == 25


def test_a_small_total_withholds_the_table():
    table = check([[1, 2], [0, 1]])
    assert table.published(2, 2) is None


def test_zeros_are_not_given_away_by_a_known_sum():
    """Three empty quarters and one of 10: the 10 (and the total) must go too."""
    table = check([[0], [0], [0], [10]])
    assert table.published(4, 0) is None or table.published(3, 0) is None


def test_nothing_small_withholds_nothing():
    table = check([[5, 9], [7, 6]])
    assert table.withheld == set()


def test_exhaustive_on_small_tables():
    """Every 2 × 2 and 3 × 1 table with cells 0..7 (and 1 × 3 with 0..6)."""
    for values in itertools.product(range(8), repeat=4):
        check([list(values[:2]), list(values[2:])])
    for values in itertools.product(range(8), repeat=3):
        check([[v] for v in values])
        check([list(values)])


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda rows: st.integers(min_value=1, max_value=5).flatmap(
            lambda cols: st.lists(
                st.lists(
                    st.one_of(st.integers(0, 6), st.integers(0, 60)), min_size=cols, max_size=cols
                ),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_no_withheld_cell_can_be_worked_out(interior):
    check(interior)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 30), min_size=2, max_size=6), st.data())
def test_shared_margins_stay_withheld(column, data):
    """A margin another table withheld stays withheld, and is still safe."""
    interior = [[v] for v in column]
    grid = with_margins(interior)
    also = {(len(column), 0)} if data.draw(st.booleans()) else set()
    table = suppress(grid, also=also)
    assert also <= table.withheld
    assert determined_cells(table) == set()
