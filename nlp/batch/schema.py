"""The column types of the batch tables (docs/batch.md), fixed so every part file agrees.

They live in `nlp.frames`, beside the dtypes of the frames the Python API returns: a table read
back from a batch has the same columns and dtypes as the frame `nlp.check` or `nlp.themes` builds.
"""

from __future__ import annotations

from nlp.frames import SCHEMAS, TABLES, dtypes, pandas_dtype, typed, types_mapper

__all__ = ["SCHEMAS", "TABLES", "dtypes", "pandas_dtype", "typed", "types_mapper"]
