"""A report's cells as a plain dict, the form every check reads them in.

Built once per report (one pass over the columns, no row iteration in pandas) and shared by the
table checks and the claim checks of `nlp.analysis.analyse`.

A complete table of a known format has its keys in the printed order of `tables/layouts.yaml`,
so the key columns of such a report are compared with that layout's (one Arrow comparison per
column) instead of being turned into Python strings cell by cell.
"""

from __future__ import annotations

import math
from functools import cache

import numpy as np
import pyarrow as pa

from nlp.report import Report, layouts, table_keys

_FLOAT = np.dtype("float64")
_KEY_COLUMNS = ("table", "row", "col")

CellKey = tuple[str, str, str]
CellValues = dict[CellKey, float | None]


def cell_values(report: Report) -> CellValues:
    """(table, row, col) → value; None for a blank cell. A key the parser emitted twice keeps its
    first readable value."""
    cells = report.cells
    keys, unique = _keys([cells[name].array for name in _KEY_COLUMNS], report.format)
    column = cells["value"]
    if column.dtype == _FLOAT:
        # The usual float64 column: NaN is the only blank, and keys are seldom emitted twice.
        numbers = [None if value != value else value for value in column.tolist()]
        values = dict(zip(keys, numbers, strict=True))
        if unique or len(values) == len(keys):
            return values
    else:
        numbers = [_number(value) for value in column.tolist()]
    values = {}
    for key, number in zip(keys, numbers, strict=True):
        if values.get(key) is None:
            values[key] = number
    return values


def _keys(columns: list, fmt: str | None) -> tuple[list[CellKey], bool]:
    """The (table, row, col) of every row, and whether they are known to be unique."""
    layout = _layout(fmt) if fmt is not None else None
    if layout is not None and all(
        _same(column, expected) for column, expected in zip(columns, layout[0], strict=True)
    ):
        return layout[1], True
    return list(zip(*(column.to_numpy().tolist() for column in columns), strict=True)), False


def _same(column, expected: pa.ChunkedArray) -> bool:
    if len(column) != len(expected) or not hasattr(column, "__arrow_array__"):
        return False
    return column.__arrow_array__().equals(expected)


@cache
def _layout(fmt: str) -> tuple[tuple[pa.ChunkedArray, ...], list[CellKey]] | None:
    """The key columns (as pandas' Arrow strings hold them) and keys of every table of `fmt`,
    complete and in printed order."""
    keys = [(table, *key) for table in layouts()["tables"] for key in table_keys(table, fmt)]
    if not keys:
        return None
    columns = tuple(
        pa.chunked_array([pa.array(list(column), type=pa.large_string())])
        for column in zip(*keys, strict=True)
    )
    return columns, keys


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
