"""PDF → lines with pdfplumber: ruled tables cell by cell, other text line by line.

`extract_text()` alone is not enough: the label of a merged cell is centred vertically, so a
row's numbers land on another line than its label. Ruled tables (WPS and Word exports draw the
grid) are therefore read with `find_tables()`, one line per row, and emitted at their vertical
position among the text lines around them. Text outside tables is grouped into lines by
position; a wide horizontal gap becomes a tab, so columns of unruled tables survive too.
"""

from __future__ import annotations

import io
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

import pdfplumber

from nlp.ingest import text as plain
from nlp.report import ParseWarning, ReadError

LINE_TOLERANCE = 3.0  # points: words whose tops differ less share a line
COLUMN_GAP_FACTOR = 1.5  # a gap wider than this many median character widths is a column break
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")


@dataclass(frozen=True)
class _Block:
    """Lines at one vertical position of a page: a text line or a whole table."""

    top: float
    lines: tuple[str, ...]


def read_pdf(data: bytes, source: str) -> tuple[str, list[ParseWarning]]:
    """The text of every readable page; ReadError when no page has text."""
    warnings: list[ParseWarning] = []
    pages_text: list[str] = []
    with _open(data, source) as pdf:
        pages = _pages(pdf, source)
        for number, page in enumerate(pages, start=1):
            page_text = _read_page_safely(page, number, warnings)
            if page_text:
                pages_text.append(page_text)
    if not pages_text:
        raise ReadError(source, _no_text_reason(len(pages), warnings))
    text = "\n".join(pages_text)
    warnings.extend(_unmapped_glyph_warnings(text))
    return text, warnings


def _open(data: bytes, source: str) -> pdfplumber.PDF:
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfminer raises many unrelated types on damaged files
        raise ReadError(source, _open_failure(error)) from error


def _pages(pdf: pdfplumber.PDF, source: str) -> list:
    try:
        pages = list(pdf.pages)
    except Exception as error:
        raise ReadError(source, _open_failure(error)) from error
    if not pages:
        raise ReadError(source, "the PDF has no pages")
    return pages


def _open_failure(error: Exception) -> str:
    if "password" in f"{type(error).__name__} {error}".lower():
        return "the PDF is encrypted (password protected); it cannot be read"
    return f"the PDF cannot be opened (truncated or corrupt file): {type(error).__name__}: {error}"


def _read_page_safely(page, number: int, warnings: list[ParseWarning]) -> str:
    try:
        if not page.chars:
            warnings.append(
                ParseWarning(
                    "ingest.pdf_no_text_page",
                    f"page {number} has no text layer (a scanned page?); it was skipped",
                )
            )
            return ""
        return page_text(page)
    except Exception as error:  # a damaged page must not cost the other pages
        warnings.append(
            ParseWarning(
                "ingest.pdf_page_error",
                f"page {number} could not be read ({type(error).__name__}: {error}); "
                "the other pages were kept",
            )
        )
        return ""


def _no_text_reason(page_count: int, warnings: list[ParseWarning]) -> str:
    if any(w.code == "ingest.pdf_page_error" for w in warnings):
        return (
            f"none of the {page_count} pages of the PDF could be read (truncated or corrupt file)"
        )
    return (
        f"the PDF has no text layer on any of its {page_count} pages: it is a scan; "
        "run OCR on it first (e.g. ocrmypdf -l chi_sim)"
    )


def page_text(page) -> str:
    """One page as lines: table rows tab-joined, placed among the text lines by position."""
    page = page.dedupe_chars()
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    outside = page.filter(lambda obj: not _inside_any(obj, boxes)) if boxes else page
    blocks = [_table_block(table) for table in tables]
    blocks.extend(_text_blocks(outside))
    blocks.sort(key=lambda block: block.top)
    return "\n".join(line for block in blocks for line in block.lines if line)


def _inside_any(obj: dict, boxes: list[tuple[float, float, float, float]]) -> bool:
    if "x0" not in obj or "top" not in obj:
        return False
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _table_block(table) -> _Block:
    rows = []
    for row in table.extract():
        cells = (plain.join_wrapped(cell) for cell in row if cell)
        rows.append("\t".join(cell for cell in cells if cell))
    return _Block(table.bbox[1], tuple(rows))


def _text_blocks(page) -> list[_Block]:
    words = page.extract_words()
    if not words:
        return []
    column_gap = COLUMN_GAP_FACTOR * _median_char_width(page)
    return [_Block(line[0]["top"], (_join_words(line, column_gap),)) for line in _lines(words)]


def _median_char_width(page) -> float:
    widths = [char["width"] for char in page.chars if char["text"].strip()]
    return statistics.median(widths) if widths else 10.0


def _lines(words: Iterable[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _join_words(line: list[dict], column_gap: float) -> str:
    parts = [line[0]["text"]]
    for previous, word in zip(line, line[1:], strict=False):
        parts.append("\t" if word["x0"] - previous["x1"] > column_gap else " ")
        parts.append(word["text"])
    return "".join(parts)


def _unmapped_glyph_warnings(text: str) -> list[ParseWarning]:
    count = len(UNMAPPED_GLYPH.findall(text))
    if not count:
        return []
    return [
        ParseWarning(
            "ingest.pdf_unmapped_glyphs",
            f"{count} glyphs have no Unicode mapping in the PDF's fonts and appear as (cid:N)",
        )
    ]
