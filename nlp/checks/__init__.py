"""Consistency checks: table-internal and cross-year rules (rules.yaml), the engine, findings.

findings = check_tables(report) + check_cross_year(reports)
frame = findings_frame(findings)
"""

from nlp.checks.engine import check_cross_year, check_tables, consecutive_pairs
from nlp.checks.findings import Finding, findings_frame, make_fingerprint, normalise_agency

__all__ = [
    "Finding",
    "check_cross_year",
    "check_tables",
    "consecutive_pairs",
    "findings_frame",
    "make_fingerprint",
    "normalise_agency",
]
