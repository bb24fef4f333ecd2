"""The work of one chunk of files, done on a Dask worker: read, analyse, classify, write.

Each report either yields all its rows or none (and a row in `errors` saying at which stage it
failed and why); one failing report never stops its chunk. Reading and analysing one file runs
under `Limits` in a child process (`nlp.ingest.bounded`): a file that overruns its time budget or
memory cap is stopped and becomes an `errors` row of stage `timeout` or `memory`.

A chunk of the batch reads its files with OCR deferred: a PDF with pages to OCR comes back as a
`ScanToRead`, whose pages the driver reads as their own tasks before the report
(`nlp.batch.scans`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from nlp.agency import describe
from nlp.analysis import Analysis, analyse, claims_frame
from nlp.batch.store import write_chunk
from nlp.checks.findings import Finding, finding_record, json_text
from nlp.ingest import ocr_pages
from nlp.ingest.bounded import DEFAULT_LIMITS, Limits
from nlp.ingest.ocr_pages import DEFER
from nlp.report import NARRATIVE_SECTIONS, ReadError, Report

# The columns that lead every row of cells, sentences and claims: whose report it is.
_KEYS = ("report_id", "agency", "year", "source")
_KEYED_TABLES = ("cells", "sentences", "claims")
_SEVERITY_COUNTS = {"error": "n_errors", "warning": "n_warnings", "info": "n_info"}


@dataclass
class ChunkResult:
    """What a chunk reports back to the driver: small, whatever the chunk's size."""

    part: str
    reports: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    scans: list[ScanToRead] = field(default_factory=list)


@dataclass(frozen=True)
class ScanToRead:
    """A PDF left unread because it has pages without a text layer: `pages` to OCR first."""

    path: str
    report_id: str
    pages: tuple[int, ...]


class _StageError(Exception):
    def __init__(self, stage: str, error: BaseException) -> None:
        super().__init__(str(error))
        self.stage = stage
        self.error = error


def part_name(report_ids: list[str]) -> str:
    """A chunk's part name: the same ids give the same name, so a redone chunk overwrites."""
    digest = hashlib.sha256("\n".join(sorted(report_ids)).encode()).hexdigest()
    return f"part-{digest[:16]}"


def process_chunk(
    files: list[tuple[str, str]],
    out: str,
    limits: Limits | None = DEFAULT_LIMITS,
    *,
    defer_ocr: bool = False,
    ocr_pages: dict[str, list[ocr_pages.PageRead]] | None = None,
) -> ChunkResult:
    """Analyse (path, report_id) pairs and write their rows as one part per table under `out`.

    Each file is read and analysed under `limits` (None: in this process, unbounded). With
    `defer_ocr`, a PDF with pages to OCR is not read but handed back in `scans`; `ocr_pages`
    are such pages read before, by report id.
    """
    from nlp.batch.chunks import open_chunk

    part = part_name([report_id for _, report_id in files])
    chunk = open_chunk(part, limits)
    errors, scans = [], []
    for path, report_id in files:
        pages = DEFER if defer_ocr else (ocr_pages or {}).get(report_id)
        outcome = chunk.add(path, report_id, pages)
        if isinstance(outcome, ScanToRead):
            scans.append(outcome)
        elif outcome is not None:
            errors.append(outcome)
    reports, errors = chunk.write(out, errors)
    return ChunkResult(part, reports, errors, scans)


def write_analysed(out: str, part: str, analysed: list[_Analysed], errors: list[dict]) -> int:
    """Classify the themes of the analysed reports and write the chunk's parts; the number of
    reports written (a report whose themes fail moves to `errors`)."""
    sentences = _themes_of(analysed, errors)
    tables = [_report_tables(item, sentences[item.report.source]) for item in analysed]
    frames = {name: _keyed(tables, name) for name in _KEYED_TABLES}
    frames["reports"] = pd.DataFrame([t["report"] for t in tables])
    frames["findings"] = pd.DataFrame([row for t in tables for row in t["findings"]])
    frames["errors"] = pd.DataFrame(errors)
    write_chunk(out, part, frames)
    return len(tables)


@dataclass
class _Analysed:
    path: str
    report_id: str
    report: Report
    analysis: Analysis
    claims: pd.DataFrame


def analysed_or_error(
    path: str, report_id: str, pages: str | list[ocr_pages.PageRead] | None = None
) -> _Analysed | ScanToRead | dict:
    """One file read and analysed, or its `errors` row (what the bounded child runs).

    `pages`: `ocr_pages.DEFER` to hand a PDF with pages to OCR back as a `ScanToRead`, or the OCR of
    such pages read before (`nlp.ingest.ocr_pages`)."""
    try:
        with ocr_pages.reading(pages):
            return _analysed(path, report_id)
    except _StageError as failure:
        if isinstance(failure.error, ocr_pages.OcrDeferred):
            return ScanToRead(path, report_id, failure.error.numbers)
        return error_row(path, report_id, failure.stage, failure.error)


def _analysed(path: str, report_id: str) -> _Analysed:
    report = _stage("read", _read, path)
    analysis = _stage("analyse", analyse, report)
    claims = _stage("analyse", claims_frame, report, analysis.sentences)
    return _Analysed(path, report_id, report, analysis, claims)


def _themes_of(analysed: list[_Analysed], errors: list[dict]) -> dict[str, pd.DataFrame]:
    """Sentences with themes of every report, classified in one call; one by one if that fails.

    A report whose classification fails is taken out of `analysed` and put in `errors`.
    """
    try:
        table = _themes([item.report for item in analysed])
        parts = dict(tuple(table.groupby("source", sort=False)))
        none = table.iloc[0:0]  # a report without narrative sentences
        return {item.report.source: parts.get(item.report.source, none) for item in analysed}
    except Exception:  # noqa: BLE001 - find the report that fails, keep the others
        out = {}
        for item in list(analysed):
            try:
                out[item.report.source] = _stage("themes", _themes, [item.report])
            except _StageError as failure:
                analysed.remove(item)
                errors.append(error_row(item.path, item.report_id, failure.stage, failure.error))
        return out


def _report_tables(item: _Analysed, sentences: pd.DataFrame) -> dict[str, Any]:
    """All rows of one analysed report."""
    report, report_id = item.report, item.report_id
    findings = item.analysis.findings
    return {
        "keys": (report_id, report.agency, report.year, report.source),
        "report": _report_row(report, report_id, sentences, item.claims, findings),
        "cells": report.cells,
        "sentences": sentences,
        "claims": item.claims,
        "findings": [finding_row(f, report_id, report) for f in findings],
    }


def _stage(stage: str, function, *args):
    try:
        return function(*args)
    except Exception as error:  # noqa: BLE001 - any failure of one report is recorded, not raised
        raise _StageError(stage, error) from error


def _read(path: str) -> Report:
    from nlp.reader import read

    return read(path)


def _themes(reports: list[Report]) -> pd.DataFrame:
    from nlp.themes.api import themes

    return themes(reports)


def _keyed(tables: list[dict[str, Any]], name: str) -> pd.DataFrame:
    """One table's rows of every report of the chunk, each led by its report's keys.

    The reports' frames are joined once and the keys added as whole columns: inserting them
    report by report (four inserts and a copy per report and table) cost more than the rest of
    the chunk's own work. The store types every column by the table's schema."""
    parts = [(t[name], t["keys"]) for t in tables if not t[name].empty]
    if not parts:
        return pd.DataFrame()
    body = pd.concat([frame for frame, _ in parts], ignore_index=True)
    body = body.drop(columns="source") if "source" in body else body  # the keys bring it
    keys = pd.DataFrame(
        [k for frame, k in parts for _ in range(len(frame))], columns=list(_KEYS), dtype=object
    )
    return pd.concat([keys, body], axis=1)


def _report_row(
    report: Report,
    report_id: str,
    sentences: pd.DataFrame,
    claims: pd.DataFrame,
    findings: list[Finding],
) -> dict[str, Any]:
    profile = describe(report.agency)
    severities = Counter(f.severity for f in findings)
    return {
        "report_id": report_id,
        "source": report.source,
        "agency": report.agency,
        "year": report.year,
        "level": profile.level,
        "kind": profile.kind,
        "format": report.format,
        "input_format": report.input_format,
        "mixed_layout": report.mixed_layout,
        "confidence": report.confidence,
        "n_parse_warnings": len(report.warnings),
        "parse_warnings": json_text([w.to_dict() for w in report.warnings]),
        "n_sentences": len(sentences),
        "n_claims": len(claims),
        **{column: severities.get(severity, 0) for severity, column in _SEVERITY_COUNTS.items()},
        "narrative_chars": sum(len(report.sections.get(s, "")) for s in NARRATIVE_SECTIONS),
    }


def finding_row(finding: Finding, report_id: str, report: Report) -> dict[str, Any]:
    """The finding's row of the `findings` table: as in `nlp.check`'s frame, plus its report."""
    row = finding_record(finding)
    return {
        **row,
        "report_id": report_id,
        "source": finding.source or report.source,
        "agency": finding.agency or report.agency,
        "year": finding.year if finding.year is not None else report.year,
    }


def error_row(file: str, report_id: str | None, stage: str, error: BaseException) -> dict:
    reason = str(error)
    if isinstance(error, ReadError):  # the file's name is in its own column
        reason = error.reason + (f" [{error.detail}]" if error.detail else "")
    return {
        "file": file,
        "report_id": report_id,
        "stage": stage,
        "error": type(error).__name__,
        "reason": reason or repr(error),
    }
