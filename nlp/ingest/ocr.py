"""Scanned pages → the page layouts the PDF reader builds a `Document` from (the `ocr` extra).

A page without a text layer (a printed, stamped report scanned back to PDF, or a PNG/JPEG/TIFF
of a page) is rendered with pypdfium2, cleaned (paper to white, red seal dropped, deskewed:
`ocr_image`), and read with rapidocr-onnxruntime, whose wheel ships the PP-OCR detection and
recognition models, so nothing is downloaded. Ruled tables become grids from their rules, each
cell's lines of ink recognised on their own, so a cell's text is never mixed with its
neighbour's; the text outside tables is detected and recognised line by line. The result is
the PDF reader's `PageLayout` (lines and tables in points), so reading order, page furniture,
paragraphs and tables going on across pages are handled as for a PDF with text.

A page turned a quarter or upside down is turned upright (its lines of ink run up and down;
once deskewed, the engine's angle classifier reads most of its lines as upside down). Recognition runs
on our own batches (`ocr_recognise`: faster, and a probability per character). Each table cell
keeps its least sure character's probability and the engine's second choices of its digits
(`Cell.confidence`, `Cell.alternatives`), which the table arithmetic judges after the tables
are read (nlp/tables/ocr_digits.py). A cell's blank mark ("—", "/") is told by its shape, a
speck beside its digits read as "." is dropped, and letters read for digits ("D" for a faint
5) are read again as digits: one value cell holding text costs its row, or its whole table
when the columns are found by position. Lines outside tables with a mean score below
`low_confidence` are reported as `ingest.ocr_low_confidence`.
"""

from __future__ import annotations

import importlib
import io
import os
import re
import statistics
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

import yaml

from nlp.ingest.model import Document, SourceCell
from nlp.ingest.pdf_tables import PageTable
from nlp.report import ParseWarning, ReadError

EXTRA = "pip install xxgk-nlp[ocr]"
ENGINE_MODULES = ("numpy", "cv2", "pypdfium2", "rapidocr_onnxruntime")
OCR_KIND = "pdf-ocr"
IMAGE_KIND = "image-ocr"
THREADS_VARIABLE = "XXGK_OCR_THREADS"
PLAIN_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@cache
def spec() -> dict[str, Any]:
    raw = resources.files("nlp.ingest").joinpath("ocr.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


def available() -> bool:
    """True when the `ocr` extra (the engine and its image libraries) is installed."""
    try:
        for module in ENGINE_MODULES:
            importlib.import_module(module)
    except ImportError:
        return False
    return True


def missing_extra_reason(what: str) -> str:
    return f"{what}; reading it needs OCR: install the ocr extra ({EXTRA})"


def engine_threads() -> int:
    """The threads the engine runs on: ocr.yaml `engine.threads`, or `THREADS_VARIABLE` where
    a pool of processes reads pages side by side (one thread each keeps the cores apart)."""
    return int(os.environ.get(THREADS_VARIABLE) or spec()["engine"]["threads"])


@cache
def _engine():
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=engine_threads(), print_verbose=False)


# --- entry points ----------------------------------------------------------------------------


def pdf_page_layouts(data: bytes, numbers: Sequence[int], warnings: list[ParseWarning]) -> list:
    """The layouts of the PDF pages `numbers` (1-based) read by OCR."""
    import pypdfium2 as pdfium

    dpi = spec()["render_dpi"]
    document = pdfium.PdfDocument(data)
    try:
        layouts = []
        for number in numbers:
            image = document[number - 1].render(scale=dpi / 72).to_pil().convert("RGB")
            layouts.append(image_layout(image, number, dpi, warnings))
        return layouts
    finally:
        document.close()


def read_image(data: bytes, source: str) -> Document:
    """A PNG, JPEG or TIFF file of report pages (every frame of a TIFF a page) as a document."""
    if not available():
        raise ReadError(source, missing_extra_reason("the file is an image of a page"))
    from PIL import Image, ImageSequence

    from nlp.ingest.pdf import build_document

    warnings: list[ParseWarning] = []
    with Image.open(io.BytesIO(data)) as picture:
        layouts = [
            image_layout(frame.convert("RGB"), number, _dpi(frame), warnings)
            for number, frame in enumerate(ImageSequence.Iterator(picture), start=1)
        ]
    layouts = [layout for layout in layouts if layout.items]
    if not layouts:
        raise ReadError(source, "no text was recognised in the image")
    document = build_document(layouts, source, warnings)
    document.kind = IMAGE_KIND
    return document


def _dpi(frame) -> float:
    """The resolution the image says it has; a page-sized guess when it says none."""
    stated = frame.info.get("dpi")
    if stated and stated[0] and float(stated[0]) > 30:
        return float(stated[0])
    return frame.width / 8.27  # the width of A4 in inches


# --- one page --------------------------------------------------------------------------------


def image_layout(image, number: int, dpi: float, warnings: list[ParseWarning]):
    """One page image → `PageLayout`: its tables and lines of text in points, top to bottom."""
    import numpy as np

    from nlp.ingest import ocr_image
    from nlp.ingest.pdf import PageLayout

    config = spec()
    flat = ocr_image.flattened(np.asarray(image), dpi, config["page"])
    if ocr_image.lies_sideways(flat, config["page"]):
        flat = np.ascontiguousarray(np.rot90(flat, k=-1))
    gray = ocr_image.straightened(flat, dpi, config["page"])
    grids, text = _tables_and_text(gray, dpi)
    if _upside_down(text, grids, dpi):
        gray = np.ascontiguousarray(np.rot90(gray, k=2))
        grids, text = _tables_and_text(gray, dpi)
    scale = 72.0 / dpi
    tables = [_page_table(text, grid, dpi, scale) for grid in grids]
    lines, char_width = _text_lines(text, grids, dpi, number, warnings)
    items = sorted([*tables, *lines], key=lambda item: item.top)
    return PageLayout(number, tuple(items), char_width)


def _tables_and_text(gray, dpi: float) -> tuple[list, Any]:
    """The page's table grids, and the page with their rules painted white (its text alone)."""
    from nlp.ingest import ocr_image

    config = spec()
    threshold = config["page"]["ink_threshold"]
    horizontal, vertical = ocr_image.ruling(gray, dpi, config["ruling"], threshold)
    grids = ocr_image.table_grids(horizontal, vertical, dpi, config["ruling"])
    return grids, ocr_image.without_rules(gray, horizontal, vertical, grids)


def _upside_down(text, grids: Sequence, dpi: float) -> bool:
    """Whether the deskewed page lies upside down: the engine's angle classifier reads most of
    its lines so (a quarter turn is undone before: `ocr_image.lies_sideways`). The lines are
    sampled outside the tables, or from the tables' text (their rules painted out) on a page
    of tables alone: a block of ruled rows is no line of print, and the classifier's reading
    of a piece of grid, or of a short label in small print, is a coin toss."""
    import cv2

    from nlp.ingest import ocr_image

    page = spec()["page"]
    samples = ocr_image.line_samples(ocr_image.without_tables(text, grids), dpi, page)
    samples = samples or ocr_image.line_samples(text, dpi, page)
    if not samples:
        return False
    _, labels, _ = _engine().text_cls([cv2.cvtColor(s, cv2.COLOR_GRAY2BGR) for s in samples])
    upside_down = sum(score for label, score in labels if label == "180")
    total = sum(score for _, score in labels)
    return bool(total) and upside_down / total >= page["upside_down_share"]


def _page_table(text, grid, dpi: float, scale: float) -> PageTable:
    """A ruled table: each cell's lines of ink recognised on their own, the cell keeping the
    least sure character's probability (its reading is judged in nlp/tables/ocr_digits.py)."""
    from nlp.ingest import ocr_image

    cell_spec = spec()["cell"]
    thresholds = _ink_thresholds()
    pad = ocr_image.pixels(cell_spec["pad_pt"], dpi)
    strips = [
        ocr_image.text_strips(text, cell.box, thresholds, cell_spec["min_ink_pixels"], pad)
        for cell in grid.cells
    ]
    readings = _cell_readings([s for cell in strips for s in cell], dpi)
    rows: list[list[SourceCell]] = [[] for _ in range(grid.n_rows)]
    cursor = 0
    for cell, pieces in zip(grid.cells, strips, strict=True):
        read = readings[cursor : cursor + len(pieces)]
        cursor += len(pieces)
        cell_text = _without_stray_marks("\n".join(r.text for r in read))
        confidence = min((r.confidence for r in read), default=1.0)
        alternatives = _alternatives(read[0]) if len(read) == 1 else ()
        rows[cell.row].append(
            SourceCell(
                cell_text,
                cell.rowspan,
                cell.colspan,
                confidence=confidence,
                alternatives=alternatives,
            )
        )
    x0, y0, x1, y1 = (v * scale for v in grid.box)
    return PageTable(y0, (x0, y0, x1, y1), tuple(tuple(r) for r in rows), grid.n_cols)


def _ink_thresholds() -> tuple[int, int]:
    page = spec()["page"]
    return page["ink_threshold"], page["faint_ink_threshold"]


def _cell_readings(strips: Sequence, dpi: float) -> list:
    """The readings of table cells' strips: the blank marks "—" and "/" by their shape, the
    rest by the engine."""
    from nlp.ingest.ocr_recognise import Reading

    marks = [_blank_mark(strip, dpi) for strip in strips]
    read = iter(_recognise([s for s, mark in zip(strips, marks, strict=True) if not mark]))
    return [Reading(mark, (1.0,)) if mark else _digits_for_lookalikes(next(read)) for mark in marks]


def _digits_for_lookalikes(reading):
    """A cell read as letters that look like digits ("D" for a faint 5, "O" for 0, "l" for 1)
    is read again with digits alone allowed: table cells hold labels in Chinese or numbers,
    and a value cell holding letters would cost its row. The digits keep their own (low)
    probabilities, so the table arithmetic judges them."""
    from nlp.ingest.ocr_recognise import DIGITS

    cell = spec()["cell"]
    allowed = set(cell["number_lookalikes"]) | set(cell["stray_marks"]) | set(DIGITS)
    text, digits = reading.text, reading.as_digits
    if not text or PLAIN_NUMBER.fullmatch(text) or not set(text) <= allowed:
        return reading
    if digits is None or not PLAIN_NUMBER.fullmatch(digits.text):
        return reading
    return digits


def _blank_mark(strip, dpi: float) -> str:
    """ "—" or "/" when the strip is the one stroke of such a blank mark, else ""."""
    from nlp.ingest import ocr_image

    cell = spec()["cell"]
    threshold = spec()["page"]["ink_threshold"]
    height = ocr_image.pixels(cell["dash_max_pt"], dpi)
    if ocr_image.is_dash(strip, threshold, height, cell["dash_min_ratio"]):
        return "—"
    if ocr_image.is_slash(strip, threshold, cell["slash"]):
        return "/"
    return ""


def _alternatives(reading) -> tuple[str, ...]:
    """The cell's text with one digit replaced by the engine's second choice there."""
    floor = spec()["engine"]["alternative_floor"]
    return tuple(
        _without_stray_marks(reading.text[:at] + digit + reading.text[at + 1 :])
        for at, (digit, probability) in sorted(reading.alternatives.items())
        if probability >= floor and reading.text[at : at + 1].isdigit()
    )


def _without_stray_marks(text: str) -> str:
    """A number read with a mark at an end ("0.", "'3": a speck of the scan beside the digits)
    is that number. A label never reads so, and a value cell that holds anything but a number
    costs its whole row, or the table when its columns are found by position. The mark's low
    probability stays the cell's confidence, so the arithmetic still judges its digits."""
    stripped = text.strip(spec()["cell"]["stray_marks"])
    return stripped if stripped != text and PLAIN_NUMBER.fullmatch(stripped) else text


def _recognise(strips: Sequence) -> list:
    """The `Reading` of each strip of one text line (grey images), recognised in batches."""
    from nlp.ingest.ocr_recognise import recognise

    readings = recognise(_engine(), strips, spec()["engine"]["recognition"])
    return [replace(r, text=r.text.strip()) for r in readings]


def _text_lines(text, grids, dpi: float, page: int, warnings):
    """The lines of text outside the tables, and the median character width, in points."""
    from nlp.ingest import ocr_image
    from nlp.ingest.pdf import TextLine

    config = spec()
    segments = ocr_image.text_segments(
        text,
        grids,
        _ink_thresholds(),
        config["cell"]["min_ink_pixels"],
        ocr_image.pixels(config["cell"]["pad_pt"], dpi),
        config["text"]["column_gap_lines"],
    )
    readings = _recognise([segment.image for segment in segments])
    scale = 72.0 / dpi
    by_line: dict[int, list[tuple[ocr_image.Segment, str, float]]] = {}
    for segment, reading in zip(segments, readings, strict=True):
        if reading.text:
            by_line.setdefault(segment.line, []).append((segment, reading.text, reading.score))
    lines, uncertain, widths = [], [], []
    for parts in by_line.values():
        joined = _mended_words("\t".join(read for _, read, _ in parts))
        x0, top = parts[0][0].box[0] * scale, parts[0][0].box[1] * scale
        lines.append(TextLine(joined, top, x0, parts[-1][0].box[2] * scale))
        widths.extend((s.box[2] - s.box[0]) * scale / len(r) for s, r, _ in parts if len(r) >= 4)
        if min(score for _, _, score in parts) < config["low_confidence"]:
            uncertain.append(repr(joined[:20]))
    if uncertain:
        warnings.append(_low_confidence(page, "lines", uncertain))
    return lines, statistics.median(widths) if widths else 10.0


@cache
def _misread_words() -> tuple[re.Pattern[str], dict[str, str]]:
    fixes = spec()["text"]["misread_words"]
    return re.compile("|".join(map(re.escape, sorted(fixes, key=len, reverse=True)))), fixes


def _mended_words(line: str) -> str:
    """The line with the words the model misreads in print set right (ocr.yaml
    `text.misread_words`: 深人 for 深入)."""
    pattern, fixes = _misread_words()
    return pattern.sub(lambda match: fixes[match.group()], line)


def _low_confidence(page: int, what: str, items: Sequence[str]) -> ParseWarning:
    shown = "; ".join(items[:12]) + (" …" if len(items) > 12 else "")
    return ParseWarning(
        "ingest.ocr_low_confidence",
        f"page {page}: {len(items)} {what} recognised with low confidence: {shown}",
    )
