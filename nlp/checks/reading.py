"""How well a file was read, judged before its findings are believed.

A check that finds nothing on a file it could not read would tell the user the file is clean.
`reading_of(report)` says instead: the reader's confidence and warnings, the parts that are
absent (a fragment), and whether the file is recognisably a report at all (`rejected`, with the
reason; `xxgk check` exits 2 on it). The thresholds and texts are `reading` of rules.yaml.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from nlp.checks import rules as vocab
from nlp.checks.findings import Finding
from nlp.reader import confidence
from nlp.report import SECTION_KEYS, ParseWarning, Report, has_cells

NOT_A_REPORT_RULE = "reading.not_a_report"
FRAGMENT_RULE = "reading.fragment"
WARNINGS_RULE = "reading.parse_warnings"
RULES = (NOT_A_REPORT_RULE, FRAGMENT_RULE, WARNINGS_RULE)


@dataclass(frozen=True)
class Reading:
    """The reading of one file: `confidence` (the reader's), `warnings`, `missing` (labels of
    absent sections and tables: a fragment when any), `rejected` (why it is not a report)."""

    confidence: float
    warnings: tuple[ParseWarning, ...]
    missing: tuple[str, ...]
    rejected: str | None

    @property
    def fragment(self) -> bool:
        return bool(self.missing)

    def warning_counts(self) -> str:
        """table.recovered×27、table.ambiguous_split×1 — the warnings by code, in order."""
        counts = Counter(w.code for w in self.warnings)
        return "、".join(code if n == 1 else f"{code}×{n}" for code, n in counts.items())

    def to_dict(self) -> dict[str, Any]:
        return {
            "confidence": round(self.confidence, 3),
            "fragment": self.fragment,
            "missing": list(self.missing),
            "rejected": self.rejected,
            "warnings": [w.to_dict() for w in self.warnings],
        }


def reading_of(report: Report) -> Reading:
    texts = _texts()
    absent = set(texts["absent_codes"])
    missing = tuple(_missing(report, absent, texts["section_labels"]))
    return Reading(report.confidence, tuple(report.warnings), missing, _rejected(report, absent))


def _rejected(report: Report, absent: set[str]) -> str | None:
    texts = _texts()
    if not has_cells(report) and not any(key != SECTION_KEYS[0] for key in report.sections):
        return texts["not_a_report"]
    # The reader's confidence, less what absent parts cost: those make a fragment, said apart.
    # Rounded as it is shown, so that a sum of costs landing a hair under the threshold
    # (1 - 0.7 = 0.2999…) is not refused while it prints as the threshold itself.
    read_well = round(confidence([w for w in report.warnings if w.code not in absent]), 3)
    if read_well < texts["min_confidence"]:
        return texts["low_confidence"].format(
            confidence=read_well, threshold=texts["min_confidence"]
        )
    return None


def _missing(report: Report, absent: set[str], section_labels: dict[str, str]):
    """Labels of the sections and tables the reader warned are absent, in report order."""
    codes = {w.code for w in report.warnings}
    if "sections.missing" in codes and "sections.missing" in absent:
        for key in SECTION_KEYS[1:]:
            if key not in report.sections:
                yield section_labels.get(key, key)
    for warning in report.warnings:
        if warning.code in absent and warning.table and warning.table in report.sections:
            yield vocab.table_label(warning.table)  # the section is there, its table is not


def reading_findings(report: Report, reading: Reading) -> list[Finding]:
    """The reading as findings, so that the findings frame of a file is never silently empty:
    not a report (warning), a fragment (warning), the parse warnings (info)."""
    texts = _texts()
    found = []
    if reading.rejected:
        found.append(_finding(report, NOT_A_REPORT_RULE, "warning", reading.rejected))
    elif reading.fragment:
        message = texts["fragment"].format(missing="、".join(reading.missing))
        found.append(_finding(report, FRAGMENT_RULE, "warning", message))
    if reading.warnings:
        message = texts["warnings"].format(
            confidence=reading.confidence, codes=reading.warning_counts()
        )
        found.append(_finding(report, WARNINGS_RULE, "info", message))
    return found


def _finding(report: Report, rule: str, severity: str, message: str) -> Finding:
    return Finding(
        rule=rule,
        kind="table",
        severity=severity,
        message=message,
        source=report.source,
        agency=report.agency,
        year=report.year,
        confidence=report.confidence,
    )


def _texts() -> dict[str, Any]:
    return vocab.config()["reading"]
