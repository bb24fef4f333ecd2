"""The output folder of a batch: one Parquet dataset (a folder of part files) per table.

A chunk of reports writes one part per table, under the same name, its `reports` part last;
writes go to a temporary name and are renamed, so a part file is whole or absent. An
interrupted chunk leaves parts without a `reports` part: they are removed before a run resumes.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from nlp.batch.schema import SCHEMAS, TABLES, types_mapper

CROSS_YEAR_PART = "part-cross-year"
RUN_ERRORS_PREFIX = "part-run-"
_LAST = "reports"


def part_path(out: str | os.PathLike[str], table: str, part: str) -> Path:
    return Path(out) / table / f"{part}.parquet"


def write_part(out: str | os.PathLike[str], table: str, part: str, frame: pd.DataFrame) -> None:
    """One table's rows of one chunk, with the table's fixed column types, written atomically."""
    path = part_path(out, table, part)
    path.parent.mkdir(parents=True, exist_ok=True)
    arrow = to_arrow(table, frame)
    temporary = path.with_name(f".{path.stem}.{uuid.uuid4().hex}.tmp")
    pq.write_table(arrow, temporary, compression="zstd")
    os.replace(temporary, path)


def write_chunk(out: str | os.PathLike[str], part: str, frames: dict[str, pd.DataFrame]) -> None:
    """Every table's part of one chunk; the `reports` part last, as the chunk's seal."""
    for table in TABLES:
        if table != _LAST:
            write_part(out, table, part, frames.get(table, pd.DataFrame()))
    write_part(out, _LAST, part, frames.get(_LAST, pd.DataFrame()))


def to_arrow(table: str, frame: pd.DataFrame) -> pa.Table:
    schema = SCHEMAS[table]
    columns = {}
    for name, kind in zip(schema.names, schema.types, strict=True):
        if name in frame:
            columns[name] = _column(frame[name], kind)
        else:
            columns[name] = pa.nulls(len(frame), type=kind)
    return pa.table(columns, schema=schema)


def _column(values: pd.Series, kind: pa.DataType) -> pa.Array:
    """A column as Arrow: converted whole by pyarrow (missing values, NaN included, as null),
    or, for what it refuses (text in a number column …), value by value as Python objects.
    The whole conversion took a fifth of the time of one in Python objects per value, which
    was most of a chunk's write."""
    try:
        return pa.array(values, type=kind, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
        return pa.array(_plain(values), type=kind, from_pandas=True)


def _plain(values) -> list:
    if isinstance(values, pd.Series):
        values = values.astype(object).where(values.notna(), None)
    return list(values)


def prepare(out: str | os.PathLike[str]) -> list[Path]:
    """Create the folders; remove temporary files and the parts of interrupted chunks."""
    root = Path(out)
    for table in TABLES:
        (root / table).mkdir(parents=True, exist_ok=True)
    sealed = {p.stem for p in (root / _LAST).glob("part-*.parquet")}
    removed = []
    for table in TABLES:
        for path in (root / table).iterdir():
            unsealed = path.suffix == ".parquet" and path.stem not in sealed
            if path.suffix == ".tmp" or (unsealed and not _outside_chunks(path.stem)):
                path.unlink()
                removed.append(path)
    return removed


def _outside_chunks(stem: str) -> bool:
    return stem == CROSS_YEAR_PART or stem.startswith(RUN_ERRORS_PREFIX)


def done_ids(out: str | os.PathLike[str]) -> set[str]:
    """Report ids already in `reports` or `errors`: what a re-run skips."""
    done: set[str] = set()
    for table in ("reports", "errors"):
        column = read_table(out, table, columns=["report_id"])["report_id"]
        done.update(column.dropna().tolist())
    return done


def read_table(
    out: str | os.PathLike[str],
    table: str,
    columns: list[str] | None = None,
    filter: ds.Expression | None = None,  # noqa: A002 - pyarrow's own name
) -> pd.DataFrame:
    """One table of a batch output as a DataFrame (empty, with its columns, when absent)."""
    return _pandas(arrow_table(out, table, columns, filter))


def arrow_table(
    out: str | os.PathLike[str],
    table: str,
    columns: list[str] | None = None,
    filter: ds.Expression | None = None,  # noqa: A002 - pyarrow's own name
) -> pa.Table:
    """One table of a batch output, read (and filtered) as an Arrow table."""
    folder = Path(out) / table
    schema = SCHEMAS[table]
    files = sorted(str(p) for p in folder.glob("part-*.parquet")) if folder.is_dir() else []
    if not files:
        return schema.empty_table().select(columns or schema.names)
    dataset = ds.dataset(files, schema=schema, format="parquet")
    return dataset.to_table(columns=columns, filter=filter)


def _pandas(table: pa.Table) -> pd.DataFrame:
    # The dtypes of nlp.frames: nullable integers and booleans stay integers and booleans (a
    # missing year is not 2020.0), text is pandas' `str`; the same as the frames built in memory.
    return table.to_pandas(types_mapper=types_mapper)


def load(out: str | os.PathLike[str], tables: tuple[str, ...] = TABLES) -> dict[str, pd.DataFrame]:
    """The tables of a batch output, each as a DataFrame."""
    if not Path(out).is_dir():
        raise FileNotFoundError(f"no batch output at {out}")
    return {table: read_table(out, table) for table in tables}
