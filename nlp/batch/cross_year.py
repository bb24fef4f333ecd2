"""Cross-year checks over a whole batch output: each agency's reports, in year order.

Only the cells the cross-year rules read are loaded (a filter on the `cells` dataset), and the
reports are rebuilt one agency group at a time on the Dask workers, a few groups in flight, so
memory follows the groups being checked, not the corpus.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from nlp.agency import agency_keys
from nlp.batch.chunks import PRELOAD
from nlp.batch.schema import SCHEMAS
from nlp.batch.store import arrow_table, read_table
from nlp.batch.work import finding_row
from nlp.checks import check_cross_year
from nlp.checks.findings import Finding
from nlp.checks.rules import load_rules
from nlp.claims.rules import claim_rules
from nlp.ingest.bounded import Limits, shared_worker
from nlp.report import ParseWarning, Report
from nlp.text.sentences import Sentence

_REPORT_COLUMNS = ["report_id", "source", "agency", "year", "format", "mixed_layout", "confidence"]
_CELL_COLUMNS = ["report_id", "table", "row", "col", "value", "raw"]


@cache
def rule_rows() -> dict[str, frozenset[str] | None]:
    """Table → the rows the cross-year rules read (None: every row of the table)."""
    wanted: dict[str, set[str] | None] = {}
    for rule in load_rules():
        if rule.kind != "cross_year":
            continue
        for selector in (*rule.lhs.selectors, *rule.rhs.selectors):
            rows = _rows(selector.rows, rule.rows)
            known = wanted.get(selector.table, set())
            wanted[selector.table] = None if rows is None or known is None else known | rows
    return {table: None if rows is None else frozenset(rows) for table, rows in wanted.items()}


def _rows(patterns: tuple[str, ...], rule_rows: tuple[str, ...]) -> set[str] | None:
    rows: set[str] = set()
    for pattern in patterns:
        if pattern == "{row}" and rule_rows:
            rows.update(rule_rows)
        elif any(char in pattern for char in "{*?["):
            return None
        else:
            rows.add(pattern)
    return rows


def _cell_filter() -> ds.Expression:
    tests = []
    for table, rows in rule_rows().items():
        test = ds.field("table") == table
        if rows is not None:
            test = test & ds.field("row").isin(sorted(rows))
        tests.append(test)
    expression = tests[0]
    for test in tests[1:]:
        expression = expression | test
    return expression


def candidate_reports(out: str | os.PathLike[str]) -> pd.DataFrame:
    """Reports (with their warnings) of agencies with more than one year, by agency and year."""
    reports = read_table(out, "reports", columns=[*_REPORT_COLUMNS, "parse_warnings"])
    reports = reports[reports["year"].notna()]
    reports["agency_key"] = (
        reports["agency"].map(agency_keys(reports["agency"].dropna())).fillna("")
    )
    reports = reports[reports["agency_key"] != ""]
    years = reports.groupby("agency_key")["year"].transform("nunique")
    return reports[years > 1].sort_values(["agency_key", "year"])


def agency_groups(reports: pd.DataFrame, per_group: int = 2000) -> Iterator[pd.DataFrame]:
    """`reports` cut into groups of whole agencies, about `per_group` reports each."""
    batch: list[pd.DataFrame] = []
    size = 0
    for _, group in reports.groupby("agency_key", sort=False):
        batch.append(group)
        size += len(group)
        if size >= per_group:
            yield pd.concat(batch)
            batch, size = [], 0
    if batch:
        yield pd.concat(batch)


def rule_cells(
    out: str | os.PathLike[str], report_ids: list[str], whole: list[str] = ()
) -> pa.Table:
    """The cells the cross-year rules read, of these reports, and every cell of the `whole`
    ones (whose change claims may link any cell): one pass over `cells`, kept in Arrow."""
    if not report_ids:
        return SCHEMAS["cells"].empty_table().select(_CELL_COLUMNS)
    wanted = ds.field("report_id").isin(report_ids) & _cell_filter()
    if whole:
        wanted = wanted | ds.field("report_id").isin(list(whole))
    return arrow_table(out, "cells", columns=_CELL_COLUMNS, filter=wanted)


def change_sentences(out: str | os.PathLike[str], reports: pd.DataFrame) -> pd.DataFrame:
    """The narrative sentences of these reports that state a change (比上年增加 …), for the
    change claims checked against the previous year's report."""
    columns = ["report_id", "section", "index", "text", "start", "end"]
    if reports.empty:
        return pd.DataFrame(columns=columns)
    wanted = ds.field("report_id").isin(reports["report_id"].tolist())
    sentences = read_table(out, "sentences", columns=columns, filter=wanted)
    words = claim_rules().change_words
    return sentences[[words.search(text) is not None for text in sentences["text"]]]


def agencies_of(reports: pd.DataFrame, report_ids) -> list[str]:
    """Every report of the agencies these reports are of."""
    keys = set(reports.loc[reports["report_id"].isin(set(report_ids)), "agency_key"])
    return reports.loc[reports["agency_key"].isin(keys), "report_id"].tolist()


def cells_of(cells: pa.Table, report_ids: list[str]) -> pd.DataFrame:
    return cells.filter(
        pc.is_in(cells["report_id"], pa.array(report_ids, type=pa.string()))
    ).to_pandas()


def check_group(
    reports: pd.DataFrame, cells: pd.DataFrame, changes: pd.DataFrame | None = None
) -> list[dict]:
    """Cross-year finding rows of a group of agencies' reports; `changes`: their sentences
    that state a change (`change_sentences`), whose reports come with all their cells."""
    by_report = _cells_by_report(cells)
    rebuilt = {row.report_id: _report(row, by_report) for row in reports.itertuples()}
    ids = {id(report): report_id for report_id, report in rebuilt.items()}
    stated = _sentences_by_report(changes)
    narratives = {rebuilt[report_id].source: found for report_id, found in stated.items()}
    rows = []
    for _, group in reports.groupby("agency_key", sort=False):
        members = [rebuilt[report_id] for report_id in group["report_id"]]
        findings = check_cross_year(members, narratives=narratives)
        rows += [_row(f, members, ids) for f in findings]
    return rows


def check_group_bounded(
    reports: pd.DataFrame,
    cells: pd.DataFrame,
    changes: pd.DataFrame | None,
    limits: Limits | None,
) -> list[dict]:
    """`check_group` in this thread's bounded child, the one that analyses the files (here
    when `limits` is None): local Dask workers are threads then, and the check's CPU is spread
    over the children as the files' is."""
    if limits is None:
        return check_group(reports, cells, changes)
    return shared_worker(limits, PRELOAD).call(f"{__name__}:check_group", reports, cells, changes)


def _cells_by_report(cells: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each report's cells without the `report_id` column, in their order, indexed from 0.

    Sorted once (stable) and cut into slices: a `drop` of the column per report cost more than
    the cross-year rules themselves."""
    ordered = cells.sort_values("report_id", kind="stable").reset_index(drop=True)
    ids = ordered["report_id"].to_numpy()
    body = ordered.drop(columns="report_id")
    starts = [0, *(np.flatnonzero(ids[1:] != ids[:-1]) + 1).tolist()]
    ends = [*starts[1:], len(ids)]
    return {
        ids[start]: body.iloc[start:end].reset_index(drop=True)
        for start, end in zip(starts, ends, strict=True)
    }


def _sentences_by_report(changes: pd.DataFrame | None) -> dict[str, list[Sentence]]:
    if changes is None or changes.empty:
        return {}
    out: dict[str, list[Sentence]] = {}
    for row in changes.itertuples(index=False):
        sentence = Sentence(int(row.index), row.text, int(row.start), int(row.end), row.section)
        out.setdefault(row.report_id, []).append(sentence)
    return out


def _report(row, cells_by_report: dict[str, pd.DataFrame]) -> Report:
    cells = cells_by_report.get(row.report_id)
    cells = cells if cells is not None else pd.DataFrame(columns=_CELL_COLUMNS[1:])
    warnings = [ParseWarning(**w) for w in json.loads(row.parse_warnings or "[]")]
    return Report(
        source=row.source,
        agency=row.agency,
        year=int(row.year),
        format=row.format,
        mixed_layout=bool(row.mixed_layout),
        cells=cells,
        warnings=warnings,
        confidence=float(row.confidence),
    )


def _row(finding: Finding, members: list[Report], ids: dict[int, str]) -> dict:
    report = next((r for r in members if r.source == finding.source), members[-1])
    finding.confidence = report.confidence  # as nlp.check gives a cross-year finding
    return finding_row(finding, ids[id(report)], report)
