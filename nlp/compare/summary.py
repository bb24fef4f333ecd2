"""The batch at a glance: what was read, how well, and what the checks found."""

from __future__ import annotations

import json

import pandas as pd

from nlp.compare.source import Batch, as_tables, reports_with_keys, settings


def overview(batch: Batch) -> pd.DataFrame:
    """One row per measure (`measure`, `value`): reports, agencies, years, formats, warnings …"""
    tables = as_tables(batch)
    reports = tables["reports"]
    years = reports["year"].dropna()
    rows = [
        ("reports", len(reports)),
        ("unreadable", len(tables["errors"])),
        ("agencies", _agencies(tables)),
        ("year_first", int(years.min()) if len(years) else None),
        ("year_last", int(years.max()) if len(years) else None),
        ("sentences", len(tables["sentences"])),
        ("claims", len(tables["claims"])),
        ("parse_warnings", int(reports["n_parse_warnings"].fillna(0).sum())),
        ("reports_with_parse_warnings", int((reports["n_parse_warnings"].fillna(0) > 0).sum())),
        ("findings", len(tables["findings"])),
    ]
    for fmt, count in reports["input_format"].value_counts().sort_index().items():
        rows.append((f"input_format.{fmt}", int(count)))
    for fmt, count in reports["format"].fillna("unknown").value_counts().sort_index().items():
        rows.append((f"table_format.{fmt}", int(count)))
    # Counts and years: integers, also when a batch read nothing has no first year (nlp/frames.py)
    return pd.DataFrame(rows, columns=["measure", "value"]).astype({"value": "Int64"})


def _agencies(tables) -> int:
    """Agencies by their one key: a name with and without its parent place counts once."""
    keys = reports_with_keys(tables)["agency_key"]
    return int(keys[keys.ne("")].nunique())


def findings_by_kind(batch: Batch) -> pd.DataFrame:
    """Findings counted by kind × severity (every pair of known keys, zeros included)."""
    findings = as_tables(batch)["findings"]
    labels = settings()["labels"]
    kinds = sorted(set(labels["finding_kind"]) | set(findings["kind"].dropna()))
    severities = list(labels["severity"])
    grid = pd.MultiIndex.from_product([kinds, severities], names=["kind", "severity"])
    counts = findings.groupby(["kind", "severity"]).size().reindex(grid, fill_value=0)
    return counts.rename("n").reset_index()


def reports_by_year(batch: Batch) -> pd.DataFrame:
    """Reports counted by year × input format (`year`, `input_format`, `n`)."""
    reports = as_tables(batch)["reports"]
    counts = reports.groupby(["year", "input_format"]).size().rename("n").reset_index()
    return counts.sort_values(["year", "input_format"], ignore_index=True)


def parse_warning_counts(batch: Batch) -> pd.DataFrame:
    """Parse warnings by code: how many warnings and in how many reports (`code`, `n`, `reports`)."""
    reports = as_tables(batch)["reports"]
    rows = []
    for report_id, text in zip(reports["report_id"], reports["parse_warnings"], strict=True):
        for warning in json.loads(text) if isinstance(text, str) and text else []:
            rows.append((report_id, warning.get("code", "")))
    frame = pd.DataFrame(rows, columns=["report_id", "code"]).astype("str")  # 0 rows too
    summary = frame.groupby("code").agg(n=("report_id", "size"), reports=("report_id", "nunique"))
    return summary.reset_index().sort_values(
        ["n", "code"], ascending=[False, True], ignore_index=True
    )
