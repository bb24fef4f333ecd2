"""What every view starts from: the batch tables, the settings of compare.yaml, labels."""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from nlp.agency import agency_keys
from nlp.report import layouts

Tables = Mapping[str, pd.DataFrame]
Batch = Tables | str | os.PathLike[str]


@cache
def settings() -> dict[str, Any]:
    text = resources.files("nlp.compare").joinpath("compare.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def as_tables(batch: Batch) -> Tables:
    """The tables of a batch: a dict as `nlp.batch.load` returns, or the folder to load it from."""
    if isinstance(batch, Mapping):
        return batch
    from nlp.batch import load  # the batch runner pulls in Dask: only when reading a folder

    return load(batch)


def label(vocabulary: str, key: Any) -> str:
    """The Chinese label of a key (theme, level, severity …); the key itself when unknown."""
    if key is None or (isinstance(key, float) and pd.isna(key)) or key is pd.NA:
        return settings()["labels"]["unknown"]
    return settings()["labels"][vocabulary].get(key, str(key))


def reports_with_keys(tables: Tables) -> pd.DataFrame:
    """The reports table with `agency_key` (the agency name as cross-year checks compare it) and
    `agency_kind` (a copy of `kind`, which in findings means the kind of finding)."""
    frame = tables["reports"].copy()
    keys = agency_keys(a for a in frame["agency"] if isinstance(a, str))
    frame["agency_key"] = pd.Series(  # text also when there are no reports (nlp/frames.py)
        [keys.get(a, "") if isinstance(a, str) else "" for a in frame["agency"]], frame.index, "str"
    )
    frame["agency_kind"] = frame["kind"]
    return frame


def with_report_keys(frame: pd.DataFrame, tables: Tables, columns: list[str]) -> pd.DataFrame:
    """`frame` with report columns (agency_key, level, kind …) joined on report_id."""
    keys = reports_with_keys(tables)[["report_id", *columns]]
    drop = [c for c in columns if c in frame.columns]
    return frame.drop(columns=drop).merge(keys, on="report_id", how="left")


def cell_label(table: str, row: str, col: str) -> str:
    """A cell key in the report's own words: 表三 本年新收政府信息公开申请数量 / 总计."""
    spec = layouts()["tables"].get(table, {})
    return f"{label('table', table)} {_row_label(spec, row)} / {_col_label(table, spec, col)}"


def _row_label(spec: dict[str, Any], row: str) -> str:
    if "row_labels" in spec:
        return spec["row_labels"].get(row, row)
    for entry in spec.get("rows", []):
        if isinstance(entry, dict) and entry["key"] == row:
            return entry["labels"][0]
    return row


def _col_label(table: str, spec: dict[str, Any], col: str) -> str:
    if table == "active":
        return label("active_col", col)
    return spec.get("col_labels", {}).get(col, col)
