"""Batch analysis of a corpus on a Dask cluster, written as Parquet tables (docs/batch.md).

out = nlp.batch.run(["reports/"], "out", workers=2)     # or scheduler="tcp://host:8786"
tables = nlp.batch.load(out)                             # dict of DataFrames
"""

from nlp.batch.runner import BatchProgress, BatchSummary, run, run_batch
from nlp.batch.schema import SCHEMAS, TABLES
from nlp.batch.store import load, read_table


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
