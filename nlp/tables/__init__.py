"""Table grids or raw table text → tidy cells, for both formats and the mixed layouts seen in
real reports. A table section with grids is read from them (nlp/tables/grid.py); where a grid's
columns cannot be mapped, and where there is no grid, its text is read (nlp/tables/parse.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from nlp.ingest.model import Grid
from nlp.report import TABLE_SECTIONS, CellRecord, CellRecords, ParseWarning, layouts
from nlp.tables.grid import GridUnmapped, read_grids
from nlp.tables.parse import (
    TableResult,
    expected_rows,
    is_mixed,
    label_key,
    parse_review,
    parse_rows,
    row_label,
)

__all__ = ["TablesResult", "detect_format", "parse_tables"]


if TYPE_CHECKING:
    import pandas as pd


@dataclass
class TablesResult:
    format: str | None
    mixed_layout: bool
    records: CellRecords
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def cells(self) -> pd.DataFrame:
        """The cells as a frame (built on each call: `Report.cells` keeps the one it builds)."""
        return self.records.to_frame()


def detect_format(text: str, year: int | None) -> str | None:
    """ "2019" (trial) or "2021" (revised): the tables' own header words first, then the year."""
    compact = label_key(text)
    votes = {
        fmt: sum(label_key(word) in compact for word in spec["evidence"])
        for fmt, spec in layouts()["formats"].items()
    }
    best = max(votes.values())
    if list(votes.values()).count(best) == 1:
        return max(votes, key=votes.get)
    if year is None:
        return None
    return format_in_force(year)


def format_in_force(year: int) -> str:
    """The format of a year's report: the last one in force by then (layouts.yaml `years_from`);
    a report older than every format is read as the first."""
    starts = sorted((spec["years_from"], fmt) for fmt, spec in layouts()["formats"].items())
    in_force = [fmt for start, fmt in starts if start <= year]
    return in_force[-1] if in_force else starts[0][1]


def _latest_format() -> str:
    """How a table of unknown format is read: as the format in force now."""
    formats = layouts()["formats"]
    return max(formats, key=lambda fmt: formats[fmt]["years_from"])


def parse_tables(
    sections: dict[str, str], year: int | None, grids: dict[str, list[Grid]] | None = None
) -> TablesResult:
    """Cells of tables 二, 三 and 四: from the grids of a section where it has any, else (and
    where the grids cannot be mapped) from its text."""
    table_text = "\n".join(sections.get(k, "") for k in ("active", "requests"))
    fmt = detect_format(table_text, year)
    read_as = fmt or _latest_format()
    results: list[TableResult] = []
    warnings: list[ParseWarning] = []
    for table in TABLE_SECTIONS:
        text = sections.get(table)
        if not text:
            warnings.append(
                ParseWarning("table.not_found", f"未找到表格“{_title(table)}”所在部分", table=table)
            )
            continue
        result = _read_table(table, text, (grids or {}).get(table, []), read_as)
        results.append(result)
        warnings += result.warnings + _missing(result, read_as) + _bound_numbers(result)
    mixed = [r for r in results if is_mixed(r.table, fmt, r.rows_found)]
    for result in mixed:
        spec = layouts()["tables"][result.table]["mixed_layout"]
        warnings.append(
            ParseWarning("table.mixed_layout", spec["message"], table=result.table, row=spec["row"])
        )
    return TablesResult(fmt, bool(mixed), _records(results), warnings)


def _read_table(table: str, text: str, grids: list[Grid], fmt: str) -> TableResult:
    """The table from its grids; from its text when there are none or they cannot be mapped
    (a table.grid_unmapped warning says why)."""
    if grids:
        try:
            return read_grids(table, grids, fmt)
        except GridUnmapped as unmapped:
            fallback = _read_text(table, text, fmt)
            warning = ParseWarning(
                "table.grid_unmapped",
                f"表格“{_title(table)}”无法按行列对应读取（{unmapped.reason}），改按文本读取",
                table=table,
            )
            fallback.warnings.insert(0, warning)
            return fallback
    return _read_text(table, text, fmt)


def _read_text(table: str, text: str, fmt: str) -> TableResult:
    return parse_review(text) if table == "review" else parse_rows(table, text, fmt)


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


def _bound_numbers(result: TableResult) -> list[ParseWarning]:
    """Values a float cannot hold exactly (over `max_significant_digits`) become unreadable
    cells, so that no check ever compares an `inf` or a rounded figure and blames the agency."""
    limit = layouts()["max_significant_digits"]
    warnings = []
    for i, (row, col, value, raw) in enumerate(result.cells):
        if value is not None and _too_long(value, limit):
            result.cells[i] = (row, col, None, raw)
            warnings.append(
                ParseWarning(
                    "table.number_out_of_range",
                    f"“{row}/{col}”的数字“{raw[:40]}”超过{limit}位有效数字，无法读作数值",
                    table=result.table,
                    row=row,
                )
            )
    return warnings


def _too_long(value: Decimal, limit: int) -> bool:
    if value.adjusted() >= limit:
        return True
    # `normalize` (trailing zeros dropped) only shortens the digits: a value short as printed
    # needs no normalising, and nearly every cell is one.
    return len(value.as_tuple().digits) > limit and len(value.normalize().as_tuple().digits) > limit


def _records(results: list[TableResult]) -> CellRecords:
    """The cells as records (the frame is built when someone asks for it: `Report.cells`)."""
    return CellRecords(
        CellRecord(r.table, row, col, None if value is None else float(value), raw)
        for r in results
        for row, col, value, raw in r.cells
    )
