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

from collections.abc import Iterable

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
_PANDAS = {
    pa.string(): STRING,
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): np.dtype("float64"),
    pa.bool_(): pd.BooleanDtype(),
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
    schema = SCHEMAS[table]
    return {name: _PANDAS[schema.field(name).type] for name in columns or schema.names}


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
