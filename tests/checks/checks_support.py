"""Build reports for the checks tests from small dicts of rows (no parser involved)."""

from __future__ import annotations

import pandas as pd

from nlp.report import CELL_COLUMNS, ParseWarning, Report, layouts, table_keys

APPLICANTS = tuple(layouts()["tables"]["requests"]["cols"][:-1])

# The "other handling" row each format prints: trial a single row, revised three.
OTHER_ROW = {"2019": "other", "2021": "other.no_fee"}


def requests_rows(fmt: str) -> dict[str, list[float]]:
    """A consistent table 三: applicant values per row (total computed); unnamed rows are 0."""
    return {
        "new": [4, 1, 0, 0, 0, 0],
        "carried_over": [1, 0, 0, 0, 0, 0],
        "granted": [2, 1, 0, 0, 0, 0],
        "denied.internal": [1, 0, 0, 0, 0, 0],
        OTHER_ROW[fmt]: [1, 0, 0, 0, 0, 0],
        "handled_total": [4, 1, 0, 0, 0, 0],
        "carried_forward": [1, 0, 0, 0, 0, 0],
    }


def requests_cells(fmt: str, rows: dict[str, list[float]] | None = None) -> dict[tuple, float]:
    rows = requests_rows(fmt) if rows is None else rows
    cells = {}
    for row, col in table_keys("requests", fmt):
        values = rows.get(row, [0] * len(APPLICANTS))
        cells[("requests", row, col)] = (
            sum(values) if col == "total" else values[APPLICANTS.index(col)]
        )
    return cells


def review_cells() -> dict[tuple, float]:
    rows = {"review": [1, 1, 0, 0], "litigation_direct": [0, 0, 1, 0]}
    cells = {}
    for row, col in table_keys("review", "2021"):
        values = rows.get(row, [0, 0, 0, 0])
        cells[("review", row, col)] = (
            sum(values)
            if col == "total"
            else values[["upheld", "corrected", "other", "pending"].index(col)]
        )
    return cells


ACTIVE = {
    "2021": {
        ("regulations", "issued"): 0,
        ("regulations", "repealed"): 0,
        ("regulations", "in_force"): 3,
        ("normative_docs", "issued"): 7,
        ("normative_docs", "repealed"): 2,
        ("normative_docs", "in_force"): 40,
        ("licensing", "decisions"): 12,
        ("penalty", "decisions"): 3,
        ("coercion", "decisions"): 0,
        ("fees", "amount"): 1.5,
    },
    "2019": {
        ("regulations", "made"): 0,
        ("regulations", "published"): 0,
        ("regulations", "total_published"): 7,
        ("normative_docs", "made"): 3,
        ("normative_docs", "published"): 3,
        ("normative_docs", "total_published"): 66,
        ("licensing", "prev_items"): 39,
        ("licensing", "change"): -2,
        ("licensing", "decisions"): 278,
        ("fees", "prev_items"): 3,
        ("fees", "change"): -1,
        ("procurement", "items"): 5,
        ("procurement", "amount"): 2034.38,
    },
}


def active_cells(fmt: str) -> dict[tuple, float]:
    return {("active", row, col): value for (row, col), value in ACTIVE[fmt].items()}


def full_cells(fmt: str) -> dict[tuple, float]:
    return active_cells(fmt) | requests_cells(fmt) | review_cells()


def make_report(
    fmt: str | None = "2021",
    cells: dict[tuple, float] | None = None,
    *,
    changes: dict[tuple, float] | None = None,
    drop: tuple = (),
    drop_tables: tuple = (),
    warnings: list[ParseWarning] | None = None,
    source: str = "reports/x.txt",
    agency: str | None = "某市某局",
    year: int | None = 2021,
) -> Report:
    """A report whose cells are `cells` (default: a full consistent set) with `changes` applied."""
    cells = dict(full_cells(fmt) if cells is None else cells)
    cells.update(changes or {})
    rows = [
        (table, row, col, float(value), str(value))
        for (table, row, col), value in cells.items()
        if (table, row, col) not in drop and table not in drop_tables
    ]
    frame = pd.DataFrame(rows, columns=list(CELL_COLUMNS))
    return Report(
        source=source,
        agency=agency,
        year=year,
        format=fmt,
        cells=frame,
        warnings=warnings or [],
    )
