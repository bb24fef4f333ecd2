"""file → `Report`: composes ingest, sections, metadata and tables."""

from __future__ import annotations

import os

from nlp.ingest import BYTES_SOURCE, Document, Grid, load
from nlp.report import SECTION_KEYS, TABLE_SECTIONS, ParseWarning, Report
from nlp.sections import SectionSplit, metadata, split_sections
from nlp.tables import ocr_digits, parse_tables

# How much each kind of doubt costs the parse confidence (1.0 = nothing to doubt).
CONFIDENCE_COST = {
    "table.not_found": 0.25,
    "table.row_unreadable": 0.1,
    "table.ambiguous_split": 0.05,
    "table.row_missing": 0.03,
    "table.orphan_numbers": 0.03,
    "sections.missing": 0.1,
    "sections.recovered_heading": 0.02,
    "table.split_digit": 0.02,
    "table.grid_unmapped": 0.02,
    "table.blank_cell": 0.0,
    "table.recovered": 0.0,
}
DEFAULT_COST = 0.01


def read(
    source: str | os.PathLike | bytes,
    name: str | None = None,
    *,
    timeout: float | None = None,
    max_memory: int | None = None,
) -> Report:
    """Read one report (txt, md, html, docx or pdf; path or bytes) into sections and tidy cells.

    Raises `nlp.report.ReadError` when the file cannot be read as a report at all; everything
    the reader is unsure of is in `Report.warnings`.

    `timeout` (seconds) and `max_memory` (bytes) bound the read of an untrusted file: when
    either is given, the file is read in a child process (the batch's, `nlp.ingest.bounded`)
    that is stopped when it overruns, and the overrun raises `nlp.ingest.bounded.ReadStopped`,
    a `ReadError` whose `stage` is `timeout`, `memory` or `crash`. Both are off by default: the
    read runs in this process, with no limit but the reader's own size caps.
    """
    if timeout is not None or max_memory is not None:
        return _read_bounded(source, name, timeout, max_memory)
    document = load(source, name=name)
    split = split_sections(document.text)
    meta = metadata(document.text, split)
    grids = _section_grids(document, split)
    tables = parse_tables(split.sections, meta.year, grids=grids)
    tables = ocr_digits.judged(tables, split.sections, meta.year, grids)  # OCR cells judged
    warnings = [*document.warnings, *split.warnings, *tables.warnings]
    return Report(
        source=document.source,
        agency=meta.agency,
        year=meta.year,
        format=tables.format,
        mixed_layout=tables.mixed_layout,
        input_format=document.kind,
        period=meta.period,
        sections={k: split.sections[k] for k in SECTION_KEYS if split.sections.get(k)},
        cells=tables.records,
        warnings=warnings,
        confidence=confidence(warnings),
        text=split.text,
        spans={k: split.spans[k] for k in SECTION_KEYS if split.sections.get(k)},
        blocks=document.blocks if split.text == document.text else [],
    )


def _read_bounded(
    source: str | os.PathLike | bytes,
    name: str | None,
    timeout: float | None,
    max_memory: int | None,
) -> Report:
    from nlp.ingest.bounded import LimitExceeded, Limits, ReadStopped, shared_worker

    if isinstance(source, bytearray | memoryview):
        source = bytes(source)  # what travels to the child by pickle
    elif not isinstance(source, bytes):
        source = os.fspath(source)
    display = source if isinstance(source, str) else (name or BYTES_SOURCE)
    worker = shared_worker(Limits(timeout, max_memory), (__name__,))
    try:
        return worker.call(f"{__name__}:_read_in", source, name, os.getcwd())
    except LimitExceeded as stopped:
        raise ReadStopped(display, stopped.stage, stopped.reason) from None


def _read_in(source: str | bytes, name: str | None, cwd: str) -> Report:
    """`read` in the bounded child, in the caller's working directory (a relative path)."""
    if os.getcwd() != cwd:
        os.chdir(cwd)
    return read(source, name)


def _section_grids(document: Document, split: SectionSplit) -> dict[str, list[Grid]]:
    """The grids of the table blocks inside each table section (offsets hold only while the
    section finder kept the document's text as it is)."""
    if split.text != document.text:
        return {}
    return {
        key: [block.grid for block in document.tables(*split.spans[key]) if block.grid]
        for key in TABLE_SECTIONS
        if key in split.spans
    }


def confidence(warnings: list[ParseWarning]) -> float:
    cost = sum(CONFIDENCE_COST.get(w.code, DEFAULT_COST) for w in warnings)
    return max(0.0, 1.0 - cost)
