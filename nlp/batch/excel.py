"""A batch output as one Excel workbook (`xxgk export OUT --xlsx FILE`, `nlp.batch.to_excel`).

A sheet per table with Chinese headers (`excel.yaml`), a per-agency summary first, the findings
with their evidence, messages in Chinese and English and the cells in words; every sheet with a
frozen header row, filters and column widths fitted to its text. Excel holds at most 1,048,575
data rows a sheet: a longer table is cut there and the sheet's last row says so.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from nlp.labels import label, with_labels

EXCEL_MAX_ROWS = 1_048_576 - 1  # less the header row
_WIDTH_SAMPLE = 200  # rows looked at to fit a column's width


@cache
def settings() -> dict[str, Any]:
    text = resources.files("nlp.batch").joinpath("excel.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def to_excel(
    batch: Mapping[str, pd.DataFrame] | str | os.PathLike[str],
    path: str | os.PathLike[str],
    dismissed: Iterable[str] = (),
) -> Path:
    """Write the tables of a batch (its output folder, or `nlp.batch.load`'s dict) to `path`.

    `dismissed`: fingerprints of dismissed findings, marked in the findings sheet and counted
    in the summary (never left out)."""
    from openpyxl import Workbook

    tables = _tables(batch)
    frames = sheet_frames(tables, frozenset(dismissed))
    book = Workbook(write_only=True)
    for sheet in settings()["sheets"]:
        _write_sheet(book, sheet["name"], frames[sheet["table"]])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _tables(batch) -> Mapping[str, pd.DataFrame]:
    if isinstance(batch, Mapping):
        return batch
    from nlp.batch.store import load

    return load(batch)


def sheet_frames(tables: Mapping[str, pd.DataFrame], dismissed: frozenset[str]) -> dict:
    """Each sheet's frame: the batch tables with their labels, and the summary per agency."""
    findings = _findings(tables["findings"], dismissed)
    return {
        "summary": agency_summary(tables["reports"], findings),
        "reports": tables["reports"],
        "findings": findings,
        "cells": with_labels(tables["cells"]),
        "sentences": with_labels(tables["sentences"]),
        "claims": tables["claims"],
        "errors": tables["errors"],
    }


def _findings(findings: pd.DataFrame, dismissed: frozenset[str]) -> pd.DataFrame:
    from nlp.export import cells_in_words
    from nlp.labels import english_message

    out = findings.copy()
    cells = [json.loads(c) if isinstance(c, str) and c else [] for c in out["cells"]]
    claims = [json.loads(c) if isinstance(c, str) and c else None for c in out["claim"]]
    out.insert(
        out.columns.get_loc("severity") + 1,
        "severity_label",
        [label("severity", s) for s in out["severity"]],
    )
    at = out.columns.get_loc("message") + 1
    records = [
        {"kind": kind, "rule": rule, "cells": c, "claim": claim, "evidence": evidence}
        for kind, rule, c, claim, evidence in zip(
            findings["kind"], out["rule"], cells, claims, out["evidence"], strict=True
        )
    ]
    out.insert(at, "message_en", [english_message(r) for r in records])
    out["cells"] = [cells_in_words(c) for c in cells]
    out["dismissed"] = out["fingerprint"].isin(dismissed)
    return out


def agency_summary(reports: pd.DataFrame, findings: pd.DataFrame) -> pd.DataFrame:
    """One row per agency: reports, years, level, findings by severity, dismissed, confidence."""
    if reports.empty:
        return pd.DataFrame(columns=["agency", "n_reports"])
    live = findings[~findings["dismissed"]]
    severities = live.groupby("report_id")["severity"]
    per_report = pd.DataFrame(
        {
            "n_errors": severities.apply(lambda s: int((s == "error").sum())),
            "n_warnings": severities.apply(lambda s: int((s == "warning").sum())),
            "n_dismissed": findings[findings["dismissed"]].groupby("report_id").size(),
        }
    )
    joined = reports.merge(
        per_report, left_on="report_id", right_index=True, how="left", suffixes=("_table", "")
    )
    joined["agency"] = joined["agency"].fillna("（未识别机关）")
    grouped = joined.groupby("agency", sort=True)
    summary = pd.DataFrame(
        {
            "level": grouped["level"].first(),
            "n_reports": grouped.size(),
            "years": grouped["year"].agg(_year_range),
            "n_errors": grouped["n_errors"].sum(min_count=0).fillna(0).astype("int64"),
            "n_warnings": grouped["n_warnings"].sum(min_count=0).fillna(0).astype("int64"),
            "n_dismissed": grouped["n_dismissed"].sum(min_count=0).fillna(0).astype("int64"),
            "confidence": grouped["confidence"].min().round(3),
        }
    )
    return summary.reset_index()


def _year_range(years: pd.Series) -> str:
    known = sorted(int(y) for y in years.dropna())
    if not known:
        return ""
    return str(known[0]) if known[0] == known[-1] else f"{known[0]}–{known[-1]}"


def _write_sheet(book, name: str, frame: pd.DataFrame) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(name)
    headers = [settings()["headers"].get(c, c) for c in frame.columns]
    cut = len(frame) > EXCEL_MAX_ROWS
    rows = frame.iloc[: EXCEL_MAX_ROWS - 1] if cut else frame
    for index, width in enumerate(_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    bold = Font(bold=True)
    header_cells = []
    for text in headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        cell.alignment = Alignment(vertical="top")
        header_cells.append(cell)
    sheet.append(header_cells)
    for values in rows.itertuples(index=False, name=None):
        sheet.append([_cell(v) for v in values])
    if cut:
        sheet.append(
            [f"… {len(frame) - len(rows)} more rows: Excel holds {EXCEL_MAX_ROWS} a sheet"]
        )


def _widths(headers: list[str], frame: pd.DataFrame) -> list[float]:
    """Each column as wide as its header or its longest text among the first rows (CJK
    characters count double), within `max_width`."""
    sample = frame.head(_WIDTH_SAMPLE)
    widths = []
    for header, column in zip(headers, sample.columns, strict=True):
        texts = [header, *(str(_cell(v) or "") for v in sample[column])]
        widest = max(_display_width(t) for t in texts)
        widths.append(min(max(widest + 2, 6), settings()["max_width"]))
    return widths


def _display_width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _cell(value: Any) -> Any:
    """A value Excel takes: missing as empty, numpy scalars as Python ones."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
