"""Raw table text → tidy cells, for both formats and the mixed layouts seen in real reports."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from nlp.report import ParseWarning, empty_cells, layouts
from nlp.tables.parse import (
    TableResult,
    expected_rows,
    label_key,
    parse_review,
    parse_rows,
    row_label,
)

__all__ = ["TablesResult", "detect_format", "parse_tables"]


@dataclass
class TablesResult:
    format: str | None
    mixed_layout: bool
    cells: pd.DataFrame
    warnings: list[ParseWarning] = field(default_factory=list)


def detect_format(text: str, year: int | None) -> str | None:
    """ "2019" (trial) or "2021" (revised): the tables' own header words first, then the year."""
    compact = label_key(text)
    votes = {
        fmt: sum(label_key(word) in compact for word in spec["evidence"])
        for fmt, spec in layouts()["formats"].items()
    }
    if votes["2019"] != votes["2021"]:
        return max(votes, key=votes.get)
    if year is None:
        return None
    return "2019" if year <= 2020 else "2021"


def parse_tables(sections: dict[str, str], year: int | None) -> TablesResult:
    """Cells of tables 二, 三 and 四 from the text of their sections."""
    table_text = "\n".join(sections.get(k, "") for k in ("active", "requests"))
    fmt = detect_format(table_text, year)
    read_as = fmt or "2021"
    results: list[TableResult] = []
    warnings: list[ParseWarning] = []
    for table in ("active", "requests", "review"):
        text = sections.get(table)
        if not text:
            warnings.append(
                ParseWarning("table.not_found", f"未找到表格“{_title(table)}”所在部分", table=table)
            )
            continue
        result = parse_review(text) if table == "review" else parse_rows(table, text, read_as)
        results.append(result)
        warnings += result.warnings + _missing(result, read_as)
    mixed = fmt == "2021" and any(
        r.table == "requests" and "other" in r.rows_found for r in results
    )
    if mixed:
        warnings.append(
            ParseWarning(
                "table.mixed_layout",
                "修订版格式的报告使用了试行版表三的单行“（六）其他处理”",
                table="requests",
                row="other",
            )
        )
    return TablesResult(fmt, mixed, _frame(results), warnings)


def _missing(result: TableResult, fmt: str) -> list[ParseWarning]:
    if not result.rows_found:
        return [
            ParseWarning(
                "table.not_found",
                f"“{_title(result.table)}”部分存在，但未能读出表格",
                table=result.table,
            )
        ]
    if result.table == "review":
        return []
    return [
        ParseWarning(
            "table.row_missing",
            f"表格“{_title(result.table)}”中未找到“{row_label(result.table, row)}”行",
            table=result.table,
            row=row,
        )
        for row in expected_rows(result.table, fmt, result.rows_found)
        if row not in result.rows_found
    ]


def _title(table: str) -> str:
    return layouts()["tables"][table]["title"]


def _frame(results: list[TableResult]) -> pd.DataFrame:
    records = [
        {
            "table": r.table,
            "row": row,
            "col": col,
            "value": float(value) if value is not None else None,
            "raw": raw,
        }
        for r in results
        for row, col, value, raw in r.cells
    ]
    if not records:
        return empty_cells()
    return pd.DataFrame.from_records(records).astype(
        {"table": "string", "row": "string", "col": "string", "value": "float64", "raw": "string"}
    )
