"""Hand-made batch tables for the compare tests: only the columns a test cares about are given,
every other column of docs/batch.md is filled with nulls."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from nlp.batch.schema import SCHEMAS
from nlp.batch.store import load, write_part


def frame(table: str, rows: list[dict]) -> pd.DataFrame:
    data = pd.DataFrame(rows)
    for column in SCHEMAS[table].names:
        if column not in data:
            data[column] = None
    return data[SCHEMAS[table].names]


def tables(**given: list[dict]) -> dict[str, pd.DataFrame]:
    """Every batch table, typed exactly as `nlp.batch.load` returns it (a Parquet round trip)."""
    return {name: frame(name, given.get(name, [])) for name in SCHEMAS}


def written(tmp_path: Path, **given: list[dict]) -> dict[str, pd.DataFrame]:
    out = tmp_path / "batch"
    for name, data in tables(**given).items():
        write_part(out, name, "part-0", data)
    return load(out)


def report(report_id: str, agency: str, year: int, **extra) -> dict:
    row = {
        "report_id": report_id,
        "source": f"{report_id}.txt",
        "agency": agency,
        "year": year,
        "level": "county",
        "kind": "department",
        "format": "2021",
        "input_format": "txt",
        "n_parse_warnings": 0,
        "parse_warnings": "[]",
    }
    return row | extra


def sentence(
    report_id: str,
    index: int,
    text: str,
    theme="proactive",
    function="achievement",
    section="overall",
) -> dict:
    return {
        "report_id": report_id,
        "section": section,
        "index": index,
        "text": text,
        "theme": theme,
        "function": function,
    }


def cell(report_id: str, key: str, value: float) -> dict:
    table, row, col = key.split("/")
    return {
        "report_id": report_id,
        "table": table,
        "row": row,
        "col": col,
        "value": value,
        "raw": str(value),
    }


def finding(
    report_id: str,
    rule: str,
    evidence: str,
    *,
    kind="claim",
    severity="error",
    claim: dict | None = None,
    cells: list[dict] | None = None,
    agency="甲县教育局",
    year=2022,
    message="叙述称收到申请5件，但表三为9",
) -> dict:
    return {
        "report_id": report_id,
        "agency": agency,
        "year": year,
        "rule": rule,
        "kind": kind,
        "severity": severity,
        "message": message,
        "section": "overall",
        "evidence": evidence,
        "claim": None if claim is None else json.dumps(claim, ensure_ascii=False),
        "cells": json.dumps(cells or [], ensure_ascii=False),
        "fingerprint": rule + report_id,
    }
