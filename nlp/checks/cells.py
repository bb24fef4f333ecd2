"""A report's cells as a mapping (table, row, col) → value, the form every check reads them in.

Built once per report (one pass over the columns, no row iteration in pandas) and shared by the
table checks and the claim checks of `nlp.analysis.analyse`.

A complete table of a known format has its keys in the printed order of `tables/layouts.yaml`,
so the key columns of such a report are compared with that layout's (one Arrow comparison per
column) instead of being turned into Python strings cell by cell. Its values are then a
`LayoutValues`, read from the value column by the key's place in the layout; checks that read
many cells at once (`nlp.checks.plan.Screen`, the bulk predicates) index that column as an
array. Any other report gets a plain dict.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa

from nlp.report import CellRecord, Report, cell_records, layouts, table_keys

_FLOAT = np.dtype("float64")
_COLUMNS = ("table", "row", "col", "value")

CellKey = tuple[str, str, str]
CellValues = Mapping[CellKey, float | None]


class LayoutValues(Mapping):
    """`cell_values` of a report whose keys are, in order, every key of its format's layout:
    read from the value column itself, without a dict of ~200 keys built for the few that
    are looked up. Read-only.

    `numbers[i]` is the value of `layout_keys(fmt)[i]`, NaN for a blank cell."""

    __slots__ = ("fmt", "numbers", "_positions", "_values")

    def __init__(self, fmt: str, numbers: np.ndarray):
        self.fmt = fmt
        self.numbers = numbers.view()
        self.numbers.flags.writeable = False  # it is the report's own column
        self._positions = layout_positions(fmt)
        self._values = numbers.tolist()

    def __getitem__(self, key: CellKey) -> float | None:
        value = self._values[self._positions[key]]
        return None if value != value else value  # NaN is a blank

    def get(self, key: CellKey, default=None):
        position = self._positions.get(key)
        if position is None:
            return default
        value = self._values[position]
        return None if value != value else value

    def __contains__(self, key) -> bool:
        return key in self._positions

    def __iter__(self):
        return iter(layout_keys(self.fmt))

    def __len__(self) -> int:
        return len(self._values)


def cell_values(report: Report) -> CellValues:
    """(table, row, col) → value; None for a blank cell. A key the parser emitted twice keeps its
    first readable value."""
    records = cell_records(report)
    if records is not None:
        return _record_values(records, report.format)
    *key_columns, column = _columns(report.cells)
    fmt = report.format
    in_layout = fmt is not None and _in_layout(key_columns, fmt)
    if column.dtype == _FLOAT:
        if in_layout:
            return LayoutValues(fmt, np.asarray(column))
        # The usual float64 column: NaN is the only blank, and keys are seldom emitted twice.
        numbers = [None if value != value else value for value in column.tolist()]
        keys = _keys(key_columns)
        values = dict(zip(keys, numbers, strict=True))
        if len(values) == len(keys):
            return values
    else:
        numbers = [_number(value) for value in column.tolist()]
        if in_layout:
            return LayoutValues(fmt, np.array(numbers, dtype=float))  # None becomes NaN
        keys = _keys(key_columns)
    values = {}
    for key, number in zip(keys, numbers, strict=True):
        if values.get(key) is None:
            values[key] = number
    return values


def _record_values(records: list[CellRecord], fmt: str | None) -> CellValues:
    """`cell_values` from the reader's records, as from the frame they make: a report checked
    right after `nlp.read` then builds no cells frame (a millisecond) just to read it back."""
    keys = [(r.table, r.row, r.col) for r in records]
    # floats; None for a blank, as the frame's NaN reads back
    numbers = [None if r.value is None or r.value != r.value else float(r.value) for r in records]
    if fmt is not None and keys == layout_keys(fmt):
        return LayoutValues(fmt, np.array(numbers, dtype=float))  # None becomes NaN
    values = dict(zip(keys, numbers, strict=True))
    if len(values) == len(keys):
        return values
    values = {}
    for key, number in zip(keys, numbers, strict=True):
        if values.get(key) is None:
            values[key] = number
    return values


@cache
def layout_keys(fmt: str) -> list[CellKey]:
    """The (table, row, col) of every table of `fmt`, complete and in printed order."""
    return [(table, *key) for table in layouts()["tables"] for key in table_keys(table, fmt)]


@cache
def layout_positions(fmt: str) -> dict[CellKey, int]:
    """Where each key of `layout_keys(fmt)` is."""
    return {key: i for i, key in enumerate(layout_keys(fmt))}


@cache
def layout_tables(fmt: str) -> frozenset[str]:
    return frozenset(table for table, _, _ in layout_keys(fmt))


def _columns(cells: pd.DataFrame) -> list:
    """The arrays of the table, row, col and value columns.

    Through the public `Series.array` / `to_numpy` (about 8 µs a column for the Series pandas
    builds on the way; pandas' private `_get_column_array` would skip it, but a private API may
    change in any release, and 30 µs a report is not worth that)."""
    *keys, value = _COLUMNS
    return [cells[name].array for name in keys] + [cells[value].to_numpy()]


def _in_layout(columns: list, fmt: str) -> bool:
    expected = _layout_columns(fmt)
    return expected is not None and all(
        _same(column, e) for column, e in zip(columns, expected, strict=True)
    )


def _keys(columns: list) -> list[CellKey]:
    return list(zip(*(_strings(column) for column in columns), strict=True))


def _strings(column) -> list:
    return (column if isinstance(column, np.ndarray) else column.to_numpy()).tolist()


def _same(column, expected: pa.ChunkedArray) -> bool:
    if len(column) != len(expected) or not hasattr(column, "__arrow_array__"):
        return False
    return column.__arrow_array__().equals(expected)


@cache
def _layout_columns(fmt: str) -> tuple[pa.ChunkedArray, ...] | None:
    """The key columns of `layout_keys(fmt)`, as pandas' Arrow strings hold them."""
    keys = layout_keys(fmt)
    if not keys:
        return None
    return tuple(
        pa.chunked_array([pa.array(list(column), type=pa.large_string())])
        for column in zip(*keys, strict=True)
    )


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
