"""`Finding`: one inconsistency found in a report, and the tidy frame of many.

A finding's fingerprint names *where* the problem is (agency, year, rule, cells, claim text),
never the file it came from nor the values, so a user's list of dismissed fingerprints
survives renamed files and re-runs after a parser fix.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nlp.agency import normalise_agency

KINDS: tuple[str, ...] = ("table", "claim", "narrative", "cross_year")
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
FRAME_COLUMNS: tuple[str, ...] = (
    "source",
    "rule",
    "kind",
    "severity",
    "message",
    "section",
    "evidence",
    "claim",
    "cells",
    "fingerprint",
    "agency",
    "year",
    "evidence_start",
    "evidence_end",
    "confidence",
)


@dataclass
class Finding:
    """One inconsistency. `cells` are dicts with table, row, col, value (and year across years)."""

    rule: str
    kind: str
    severity: str
    message: str
    section: str | None = None
    evidence: str = ""
    claim: dict[str, Any] | None = None
    cells: list[dict[str, Any]] = field(default_factory=list)
    source: str = ""
    fingerprint: str = ""
    agency: str | None = None
    year: int | None = None
    # Where `evidence` is in the report's text (`Report.text[evidence_start:evidence_end]`), when
    # the evidence is a sentence of it. Not part of the fingerprint: a re-read report may move.
    evidence_start: int | None = None
    evidence_end: int | None = None
    # The reading confidence of the report the finding is about (nlp.checks.reading): a finding
    # on a doubtful reading is read with that doubt. Not part of the fingerprint either.
    confidence: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"finding kind {self.kind!r} is not one of {KINDS}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"finding severity {self.severity!r} is not one of {SEVERITIES}")
        if not self.fingerprint:
            claim_text = (self.claim or {}).get("text")
            if claim_text is None and self.kind in ("claim", "narrative"):
                claim_text = self.evidence
            self.fingerprint = make_fingerprint(
                self.rule, self.agency, self.year, self.cells, claim_text
            )

    @property
    def message_en(self) -> str:
        """The message in English (`nlp.labels.english_message`): the same facts as `message`."""
        from nlp.labels import english_message

        return english_message(self)

    def __repr__(self) -> str:
        from nlp.notebook import finding_repr

        return finding_repr(self)

    def _repr_html_(self) -> str:
        from nlp.notebook import finding_html

        return finding_html(self)

    def to_dict(self) -> dict[str, Any]:
        """The finding object of `xxgk check --json` (interfaces.md), plus its fingerprint."""
        return {
            "rule": self.rule,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "section": self.section,
            "evidence": self.evidence,
            "claim": self.claim,
            "cells": [_json_cell(c) for c in self.cells],
            "fingerprint": self.fingerprint,
        }


def make_fingerprint(
    rule: str,
    agency: str | None,
    year: int | None,
    cells: list[dict[str, Any]],
    claim_text: str | None = None,
) -> str:
    """A stable id: sha1 of the rule, the agency, the year, the cell keys and the claim's text."""
    keys = sorted(
        f"{c.get('year', '')}|{c['table']}|{c['row']}|{c['col']}"
        for c in cells
        if {"table", "row", "col"} <= c.keys()
    )
    identity = [rule, normalise_agency(agency), str(year or ""), keys, claim_text or ""]
    payload = json.dumps(identity, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha1(payload.encode("utf-8")).hexdigest()


def findings_frame(findings: list[Finding]) -> pd.DataFrame:
    """One row per finding, columns `FRAME_COLUMNS`, the dtypes of the batch's `findings` table
    (`nlp.frames`): `claim` and `cells` as JSON text, in memory as in Parquet."""
    from nlp.frames import frame  # pyarrow's types: only when a frame is made

    records = [finding_record(f) for f in findings]
    columns = {name: [record.get(name) for record in records] for name in FRAME_COLUMNS}
    return frame(columns, "findings", FRAME_COLUMNS)


def finding_record(finding: Finding) -> dict[str, Any]:
    """A finding as one row of the findings table: `claim` (a JSON object or null) and `cells`
    (a JSON list of {table, row, col, value[, year]}) as JSON text."""
    row = finding.to_dict()
    return {
        **row,
        "source": finding.source,
        "agency": finding.agency,
        "year": finding.year,
        "evidence_start": finding.evidence_start,
        "evidence_end": finding.evidence_end,
        "confidence": finding.confidence,
        "claim": None if row["claim"] is None else json_text(row["claim"]),
        "cells": json_text(row["cells"]),
    }


def json_text(value: Any) -> str:
    """The JSON text of a structured column: Chinese as it is, whole numbers without `.0`."""
    return json.dumps(value, ensure_ascii=False, default=json_number)


def _json_cell(cell: dict[str, Any]) -> dict[str, Any]:
    out = dict(cell)
    out["value"] = json_number(cell.get("value"))
    return out


def json_number(value: Any) -> int | float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    value = float(value)
    return int(value) if value.is_integer() else value
