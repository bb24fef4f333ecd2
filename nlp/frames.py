"""The column types of every table xxgk-nlp returns or writes: one place, one dtype per column.

The batch's Parquet tables (`SCHEMAS`, docs/batch.md) and the frames of the Python API
(`nlp.check`, `nlp.themes`, `nlp.sentences_frame`, `nlp.claims_frame`, `Report.cells`) use the
same columns with the same types, whatever the row count (a frame of 0 rows included), so a frame
read back from a batch equals the one built in memory. In pandas:

    string   `str` (pandas' default string dtype; missing is NaN)
    int64    `Int64` (nullable: a missing year stays an integer, never 2020.0)
    float64  `float64` (missing is NaN)
    bool     `boolean` (nullable)

Structured values (a finding's `claim` and `cells`, a report's `parse_warnings`) are JSON text,
in memory as in Parquet: `json.loads` gives the object back, and DuckDB's or Spark's JSON
functions read them where they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa

_REPORT_KEYS = [
    ("report_id", pa.string()),
    ("source", pa.string()),
    ("agency", pa.string()),
    ("year", pa.int64()),
]

SCHEMAS: dict[str, pa.Schema] = {
    "reports": pa.schema(
        [
            *_REPORT_KEYS,
            ("level", pa.string()),
            ("kind", pa.string()),
            ("format", pa.string()),
            ("input_format", pa.string()),
            ("mixed_layout", pa.bool_()),
            ("confidence", pa.float64()),
            ("n_parse_warnings", pa.int64()),
            ("parse_warnings", pa.string()),
            ("n_sentences", pa.int64()),
            ("n_claims", pa.int64()),
            ("n_errors", pa.int64()),
            ("n_warnings", pa.int64()),
            ("n_info", pa.int64()),
            ("narrative_chars", pa.int64()),
        ]
    ),
    "cells": pa.schema(
        [
            *_REPORT_KEYS,
            ("table", pa.string()),
            ("row", pa.string()),
            ("col", pa.string()),
            ("value", pa.float64()),
            ("raw", pa.string()),
        ]
    ),
    "sentences": pa.schema(
        [
            *_REPORT_KEYS,
            ("section", pa.string()),
            ("index", pa.int64()),
            ("text", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("theme", pa.string()),
            ("function", pa.string()),
            ("theme_score", pa.float64()),
            ("function_score", pa.float64()),
            ("uncertain", pa.bool_()),
        ]
    ),
    "claims": pa.schema(
        [
            *_REPORT_KEYS,
            ("section", pa.string()),
            ("sentence", pa.int64()),
            ("text", pa.string()),
            ("value", pa.float64()),
            ("unit", pa.string()),
            ("qualifier", pa.string()),
            ("negated", pa.bool_()),
            ("kind", pa.string()),
            ("counts", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("metric", pa.string()),
            ("cells", pa.string()),
            ("link_score", pa.float64()),
            ("strong", pa.bool_()),
            ("scope", pa.string()),
        ]
    ),
    "findings": pa.schema(
        [
            *_REPORT_KEYS,
            ("rule", pa.string()),
            ("kind", pa.string()),
            ("severity", pa.string()),
            ("message", pa.string()),
            ("section", pa.string()),
            ("evidence", pa.string()),
            ("evidence_start", pa.int64()),
            ("evidence_end", pa.int64()),
            ("claim", pa.string()),
            ("cells", pa.string()),
            ("fingerprint", pa.string()),
            ("confidence", pa.float64()),
        ]
    ),
    "errors": pa.schema(
        [
            ("file", pa.string()),
            ("report_id", pa.string()),
            ("stage", pa.string()),
            ("error", pa.string()),
            ("reason", pa.string()),
        ]
    ),
}

TABLES: tuple[str, ...] = tuple(SCHEMAS)

STRING = pd.StringDtype(na_value=np.nan)  # what pandas infers for text, and reads from Parquet
_INT64 = pd.Int64Dtype()
_BOOLEAN = pd.BooleanDtype()
_PANDAS = {
    pa.string(): STRING,
    pa.int64(): _INT64,
    pa.float64(): np.dtype("float64"),
    pa.bool_(): _BOOLEAN,
}


def pandas_dtype(kind: pa.DataType):
    """The pandas dtype of an Arrow type of `SCHEMAS`."""
    return _PANDAS.get(kind)


def types_mapper(kind: pa.DataType) -> pd.api.extensions.ExtensionDtype | None:
    """`pa.Table.to_pandas(types_mapper=…)`: the extension dtypes of `pandas_dtype` (pyarrow
    takes no numpy dtype there; float64 comes as float64 without it)."""
    dtype = _PANDAS.get(kind)
    return dtype if isinstance(dtype, pd.api.extensions.ExtensionDtype) else None


def dtypes(table: str, columns: Iterable[str] | None = None) -> dict[str, object]:
    """The pandas dtype of each of `columns` (default: all) of a table of `SCHEMAS`."""
    return dict(_dtypes(table, tuple(columns) if columns else None))


@cache
def _dtypes(table: str, columns: tuple[str, ...] | None) -> tuple[tuple[str, object], ...]:
    # Cached: a schema's field lookup by name is slow enough to show in every frame made.
    schema = SCHEMAS[table]
    return tuple((name, _PANDAS[schema.field(name).type]) for name in columns or schema.names)


def typed(frame: pd.DataFrame, table: str, columns: Iterable[str] | None = None) -> pd.DataFrame:
    """`frame`'s `columns` (default: the table's), in that order, each of the table's dtype.

    A column the frame lacks is all missing; a frame of no rows gets the same dtypes as any other.
    """
    wanted = dtypes(table, columns)
    return pd.DataFrame(
        {name: _column(frame, name, dtype) for name, dtype in wanted.items()}, index=frame.index
    )


def _column(frame: pd.DataFrame, name: str, dtype) -> pd.Series:
    if name not in frame:
        return pd.Series([None] * len(frame), frame.index, dtype=object).astype(dtype)
    return frame[name].astype(dtype)


def frame(
    columns: Mapping[str, Sequence], table: str, names: Iterable[str] | None = None
) -> pd.DataFrame:
    """A frame of `table`'s `names` (default: all), each of the table's dtype, straight from
    columns of Python values or numpy arrays (a column not given is all missing).

    The same frame as `typed(pd.DataFrame(columns), table, names)`, built without inferring a
    dtype per column first and casting after: that took 2–3 ms per findings or sentences frame,
    more than the checks behind it on a short report. Each column is made as its array type
    (public constructors of `pandas.arrays`, from a pyarrow or numpy array); values that do not
    fit the fast path (a number in a text column, a float in an integer one) take pandas' own
    conversion, as `typed` would.
    """
    wanted = dtypes(table, names)
    rows = len(next(iter(columns.values()))) if columns else 0
    return pd.DataFrame(
        {
            name: _array(columns[name] if name in columns else [None] * rows, dtype)
            for name, dtype in wanted.items()
        },
        copy=False,  # the arrays are new ones, made here: a second copy of each is waste
    )


def _array(values: Sequence, dtype):
    """`values` as an array of `dtype`, as `pd.Series(values, dtype=object).astype(dtype)`
    gives it."""
    if isinstance(dtype, np.dtype):
        return np.array(values, dtype=dtype)
    if isinstance(values, np.ndarray) and values.dtype != object:
        return _typed_numpy(values, dtype)
    values = list(values)
    if dtype is STRING:  # the dtypes of `dtypes` are these very objects: `is`, not `==`
        try:
            return pd.arrays.ArrowStringArray(
                pa.array(values, type=pa.large_string()), dtype=STRING
            )
        except (TypeError, pa.ArrowException):
            pass  # not all str or None: pandas converts them
    elif dtype is _INT64 and all(type(v) is int or v is None for v in values):
        missing = np.fromiter((v is None for v in values), bool, len(values))
        data = np.fromiter((0 if v is None else v for v in values), np.int64, len(values))
        return pd.arrays.IntegerArray(data, missing)
    elif dtype is _BOOLEAN and all(type(v) is bool or v is None for v in values):
        missing = np.fromiter((v is None for v in values), bool, len(values))
        data = np.fromiter((v is True for v in values), bool, len(values))
        return pd.arrays.BooleanArray(data, missing)
    return pd.Series(values, dtype=object).astype(dtype).array


def _typed_numpy(values: np.ndarray, dtype):
    """A numpy array of integers or booleans (a model's output) as a nullable array."""
    if values.dtype.kind in "iu" and dtype is _INT64:
        return pd.arrays.IntegerArray(values.astype(np.int64), np.zeros(len(values), bool))
    if values.dtype.kind == "b" and dtype is _BOOLEAN:
        return pd.arrays.BooleanArray(values.copy(), np.zeros(len(values), bool))
    return pd.Series(values).astype(dtype).array
