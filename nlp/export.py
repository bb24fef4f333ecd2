"""Flat tables for people and spreadsheets: cells, findings and themes with their labels, and CSV
that Excel and WPS open as it is (UTF-8 with a byte-order mark; without one, Excel on Windows
reads the Chinese as mojibake).

    write_csv(nlp.check("report.pdf"), "findings.csv")
    cells_table(reports)      # one row per cell: table, row, col with their Chinese labels
    findings_table(findings)  # one row per finding: message, message_en, cells in words, fingerprint
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable
from typing import Any, BinaryIO, TextIO

import pandas as pd

from nlp.labels import cell_labels, english_message, label, with_labels
from nlp.report import Report

CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM

CELL_COLUMNS = ("source", "agency", "year", "format", "table", "row", "col", "value", "raw")
FINDING_COLUMNS = (
    "source",
    "agency",
    "year",
    "severity",
    "rule",
    "kind",
    "section",
    "message",
    "message_en",
    "evidence",
    "cells",
    "fingerprint",
    "dismissed",
)


def write_csv(
    frame: pd.DataFrame, target: str | os.PathLike[str] | TextIO | BinaryIO | None = None
):
    """`frame` as CSV in UTF-8 with a BOM, to a path, a stream, or standard output (None)."""
    data = frame.to_csv(index=False).encode(CSV_ENCODING)
    if target is None:
        target = sys.stdout
    if isinstance(target, str | os.PathLike):
        with open(target, "wb") as handle:
            handle.write(data)
    elif isinstance(target, io.TextIOBase) and hasattr(target, "buffer"):
        target.flush()
        target.buffer.write(data)
        target.buffer.flush()
    elif isinstance(target, io.TextIOBase):
        target.write("\ufeff" + frame.to_csv(index=False))
    else:
        target.write(data)


def cells_table(reports: Iterable[Report], lang: str = "zh") -> pd.DataFrame:
    """One row per table cell of every report, with table/row/col labels."""
    parts = []
    for report in reports:
        cells = report.cells.copy()
        cells.insert(0, "source", report.source)
        cells.insert(1, "agency", report.agency)
        cells.insert(2, "year", report.year)
        cells.insert(3, "format", report.format)
        parts.append(cells)
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=CELL_COLUMNS)
    frame = frame[list(CELL_COLUMNS)].astype(
        {"source": "str", "agency": "str", "year": "Int64", "format": "str"}
    )
    return with_labels(frame, lang)


def findings_table(
    findings: Iterable[Any], dismissed: Iterable[str] = (), lang: str = "zh"
) -> pd.DataFrame:
    """One row per finding (a Finding or its dict): messages in Chinese and English, the cells in
    words (table, row and column labels with their values), the fingerprint, and whether the
    finding is dismissed."""
    dismissed = set(dismissed)
    rows = [_finding_row(f, dismissed, lang) for f in findings]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    frame["year"] = frame["year"].astype("Int64")
    frame["dismissed"] = frame["dismissed"].astype(bool)
    return frame


def _finding_row(finding: Any, dismissed: set[str], lang: str) -> dict[str, Any]:
    get = finding.get if isinstance(finding, dict) else lambda k: getattr(finding, k, None)
    return {
        "source": get("source"),
        "agency": get("agency"),
        "year": get("year"),
        "severity": label("severity", get("severity"), lang),
        "rule": get("rule"),
        "kind": get("kind"),
        "section": get("section"),
        "message": get("message"),
        "message_en": english_message(finding),
        "evidence": get("evidence"),
        "cells": cells_in_words(get("cells") or [], lang),
        "fingerprint": get("fingerprint"),
        "dismissed": get("fingerprint") in dismissed,
    }


def cells_in_words(cells: list[dict[str, Any]], lang: str = "zh") -> str:
    """`表三 本年新收政府信息公开申请数量/总计 = 5；…` — the cells a finding compared."""
    parts = []
    for cell in cells:
        table, row, col = cell_labels(cell["table"], cell["row"], cell["col"], lang)
        year = f"{cell['year']}{'年' if lang == 'zh' else ' '}" if cell.get("year") else ""
        value = cell.get("value")
        shown = "" if value is None or pd.isna(value) else f"{float(value):g}"
        parts.append(f"{year}{table} {row}/{col} = {shown or ('空' if lang == 'zh' else 'blank')}")
    return ("；" if lang == "zh" else "; ").join(parts)


def themes_table(frame: pd.DataFrame, lang: str = "zh") -> pd.DataFrame:
    """The frame of `nlp.themes` with theme_label and function_label."""
    return with_labels(frame, lang)
