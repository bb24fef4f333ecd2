"""file → `Report`: composes ingest, sections, metadata and tables."""

from __future__ import annotations

import os

from nlp.ingest import Document, Grid, load
from nlp.report import SECTION_KEYS, TABLE_SECTIONS, ParseWarning, Report
from nlp.sections import SectionSplit, metadata, split_sections
from nlp.tables import parse_tables

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


def read(source: str | os.PathLike | bytes, name: str | None = None) -> Report:
    """Read one report (txt, md, html, docx or pdf; path or bytes) into sections and tidy cells.

    Raises `nlp.report.ReadError` when the file cannot be read as a report at all; everything
    the reader is unsure of is in `Report.warnings`.
    """
    document = load(source, name=name)
    split = split_sections(document.text)
    meta = metadata(document.text, split)
    tables = parse_tables(split.sections, meta.year, grids=_section_grids(document, split))
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
        cells=tables.cells,
        warnings=warnings,
        confidence=confidence(warnings),
        text=split.text,
        spans={k: split.spans[k] for k in SECTION_KEYS if split.sections.get(k)},
        blocks=document.blocks if split.text == document.text else [],
    )


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
