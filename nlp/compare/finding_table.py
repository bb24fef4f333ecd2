"""Every error and warning with its evidence, and the agencies with most of them."""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

from nlp.compare.source import (
    Batch,
    as_tables,
    cell_label,
    reports_with_keys,
    with_report_keys,
)

SHOWN_SEVERITIES = ("error", "warning")
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?")
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def findings(batch: Batch) -> pd.DataFrame:
    """Errors and warnings, worst first, with parsed `claim` (dict/None), `cells` (list of dicts),
    the report's level and kind, and `highlight`: (start, end) spans of the evidence to mark."""
    tables = as_tables(batch)
    frame = tables["findings"]
    frame = frame[frame["severity"].isin(SHOWN_SEVERITIES)]
    frame = with_report_keys(frame, tables, ["agency_key", "level", "agency_kind"])
    # Python objects, for the HTML report (object dtype also when there is no finding)
    frame["claim"] = frame["claim"].map(_json_or_none).astype(object)
    frame["cells"] = frame["cells"].map(lambda text: _json_or_none(text) or []).astype(object)
    spans = [highlight_spans(e, c) for e, c in zip(frame["evidence"], frame["claim"], strict=True)]
    frame["highlight"] = pd.Series(spans, frame.index, dtype=object)
    order = frame["severity"].map(_SEVERITY_ORDER)
    frame = frame.assign(_order=order).sort_values(["_order", "agency", "year", "rule"])
    return frame.drop(columns="_order").reset_index(drop=True)


def agencies_by_findings(batch: Batch, top: int | None = None) -> pd.DataFrame:
    """Agencies ranked by errors then warnings: `agency`, `reports`, `errors`, `warnings`,
    `per_report` (errors and warnings per report read)."""
    tables = as_tables(batch)
    # One agency by its key (the fuller of its printed names), however each report names it.
    reports = reports_with_keys(tables)
    reports = reports[reports["agency_key"].ne("")].rename(columns={"agency_key": "_agency"})
    shown = tables["findings"][tables["findings"]["severity"].isin(SHOWN_SEVERITIES)]
    shown = shown.merge(reports[["report_id", "_agency"]], on="report_id")
    counts = shown.groupby(["_agency", "severity"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=list(SHOWN_SEVERITIES), fill_value=0)
    frame = reports.groupby("_agency").size().rename("reports").to_frame().join(counts)
    frame.index.name = "agency"
    frame = frame.fillna(0).astype(int).rename(columns={"error": "errors", "warning": "warnings"})
    frame["per_report"] = (frame["errors"] + frame["warnings"]) / frame["reports"]
    frame = frame[frame["errors"] + frame["warnings"] > 0]
    frame = frame.sort_values(["errors", "warnings", "per_report"], ascending=False)
    frame = frame.reset_index()
    return frame.head(top) if top else frame


def cell_rows(cells: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cells of a finding with their printed labels, for showing beside the evidence."""
    return [
        {
            "label": cell_label(c.get("table", ""), c.get("row", ""), c.get("col", "")),
            "key": f"{c.get('table')}/{c.get('row')}/{c.get('col')}",
            "value": c.get("value"),
            "year": c.get("year"),
        }
        for c in cells
    ]


def highlight_spans(evidence: Any, claim: dict[str, Any] | None) -> list[tuple[int, int]]:
    """Where the number is in the evidence: the claim's own words when the finding has a claim,
    otherwise every number (a table finding's evidence is built from the cells)."""
    if not isinstance(evidence, str):
        return []
    if claim and claim.get("text"):
        span = _claim_span(evidence, claim)
        if span:
            return [span]
    return [m.span() for m in _NUMBER.finditer(evidence)]


def segments(text: Any, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """`text` cut into (piece, highlighted) parts, so a template can escape each piece."""
    if not isinstance(text, str):
        return []
    parts, cursor = [], 0
    for start, end in sorted(spans):
        if start < cursor:
            continue
        parts.extend([(text[cursor:start], False), (text[start:end], True)])
        cursor = end
    parts.append((text[cursor:], False))
    return [(piece, marked) for piece, marked in parts if piece]


def _claim_span(evidence: str, claim: dict[str, Any]) -> tuple[int, int] | None:
    words = claim["text"]
    start, end = claim.get("start"), claim.get("end")
    if isinstance(start, int) and isinstance(end, int) and evidence[start:end] == words:
        return start, end
    found = evidence.find(words)
    return (found, found + len(words)) if found >= 0 else None


def _json_or_none(text: Any) -> Any:
    if not isinstance(text, str) or not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return None
