"""Batch analysis of a corpus on a Dask cluster, written as Parquet tables (docs/batch.md).

out = nlp.batch.run(["reports/"], "out", workers=2)     # or scheduler="tcp://host:8786"
tables = nlp.batch.load(out)                             # dict of DataFrames
"""

from importlib import import_module

# Imported on first use: `xxgk parse` finds its inputs with `nlp.batch.inputs` and must not load
# Dask and pyarrow for it.
_LAZY = {
    "BatchProgress": "nlp.batch.runner",
    "BatchSummary": "nlp.batch.runner",
    "run": "nlp.batch.runner",
    "run_batch": "nlp.batch.runner",
    "SCHEMAS": "nlp.batch.schema",
    "TABLES": "nlp.batch.schema",
    "load": "nlp.batch.store",
    "read_table": "nlp.batch.store",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'nlp.batch' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*__all__, *globals()})


def to_excel(batch, path, dismissed=()):
    """The batch output as one Excel workbook (nlp.batch.excel.to_excel; openpyxl on first use)."""
    from nlp.batch.excel import to_excel as write

    return write(batch, path, dismissed=dismissed)


__all__ = [
    "SCHEMAS",
    "TABLES",
    "BatchProgress",
    "BatchSummary",
    "load",
    "read_table",
    "run",
    "run_batch",
    "to_excel",
]
