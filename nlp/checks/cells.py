"""A report's cells as a plain dict, the form every check reads them in.

Built once per report (one pass over the columns, no row iteration in pandas) and shared by the
table checks and the claim checks of `nlp.analysis.analyse`.
"""

from __future__ import annotations

import math

import numpy as np

from nlp.report import Report

_FLOAT = np.dtype("float64")

CellKey = tuple[str, str, str]
CellValues = dict[CellKey, float | None]


def cell_values(report: Report) -> CellValues:
    """(table, row, col) → value; None for a blank cell. A key the parser emitted twice keeps its
    first readable value."""
    cells = report.cells
    keys = list(
        zip(*(cells[name].to_numpy().tolist() for name in ("table", "row", "col")), strict=True)
    )
    column = cells["value"]
    if column.dtype == _FLOAT:
        # The usual float64 column: NaN is the only blank, and keys are seldom emitted twice.
        numbers = [None if value != value else value for value in column.tolist()]
        values = dict(zip(keys, numbers, strict=True))
        if len(values) == len(keys):
            return values
    else:
        numbers = [_number(value) for value in column.tolist()]
    values = {}
    for key, number in zip(keys, numbers, strict=True):
        if values.get(key) is None:
            values[key] = number
    return values


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
