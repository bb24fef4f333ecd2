"""The table rules of report-format.md, written independently of the generator for its tests."""

from __future__ import annotations

import pandas as pd

APPLICANTS = [
    "natural_person",
    "commercial",
    "research",
    "social_welfare",
    "legal_service",
    "other_org",
]
OUTCOME_PREFIXES = ("granted", "partial", "denied.", "unavailable.", "not_processed.", "other")


def wide(cells: pd.DataFrame, table: str) -> pd.DataFrame:
    part = cells[cells["table"] == table]
    return part.pivot(index="row", columns="col", values="value")


def broken_rules(cells: pd.DataFrame) -> set[str]:
    """Names of the table rules that fail in one report's cells."""
    requests, review = wide(cells, "requests"), wide(cells, "review")
    broken = set()
    if ((requests[APPLICANTS].sum(axis=1) - requests["total"]).abs() > 0).any():
        broken.add("table.requests_row_sum")
    cols = [*APPLICANTS, "total"]
    left = requests.loc["new", cols] + requests.loc["carried_over", cols]
    right = requests.loc["handled_total", cols] + requests.loc["carried_forward", cols]
    if (left != right).any():
        broken.add("table.requests_balance")
    outcomes = [r for r in requests.index if r.startswith(OUTCOME_PREFIXES)]
    if (requests.loc[outcomes, cols].sum() != requests.loc["handled_total", cols]).any():
        broken.add("table.requests_outcomes")
    parts = ["upheld", "corrected", "other", "pending"]
    if (review[parts].sum(axis=1) != review["total"]).any():
        broken.add("table.review_row_sum")
    return broken


def carried(cells: pd.DataFrame, row: str) -> pd.Series:
    return wide(cells, "requests").loc[row, APPLICANTS]
