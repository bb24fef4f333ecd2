"""Word (.docx) → lines: paragraphs and table rows in document order.

The body is walked as XML so paragraphs and tables keep their interleaving. A merged cell is one
`w:tc` element spanning columns (`gridSpan`) or continued below (`vMerge="continue"`), so each
row emits every cell element once, and a vertically merged label only on its first row, like
the PDF reader does. Equal neighbouring values ("0", "0") stay: they are different cells.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.oxml.ns import qn

from nlp.ingest import text as plain
from nlp.report import ParseWarning, ReadError

PARAGRAPH = qn("w:p")
TABLE = qn("w:tbl")
CONTENT_CONTROL = qn("w:sdt")
CONTENT_CONTROL_BODY = qn("w:sdtContent")
ROW = qn("w:tr")
CELL = qn("w:tc")
TEXT = qn("w:t")
TAB = qn("w:tab")
BREAKS = (qn("w:br"), qn("w:cr"))
DOCUMENT_PART = "word/document.xml"
# A .docx is compressed XML; refuse one whose document expands far beyond the input limit.
MAX_EXPANSION = 20


def read_docx(data: bytes, source: str, max_bytes: int) -> tuple[str, list[ParseWarning]]:
    """The document's text; table rows as non-empty cell texts joined by tabs."""
    _refuse_zip_bomb(data, source, max_bytes)
    body = docx.Document(io.BytesIO(data)).element.body
    return "\n".join(line for line in _body_lines(body) if line), []


def _refuse_zip_bomb(data: bytes, source: str, max_bytes: int) -> None:
    expanded = zipfile.ZipFile(io.BytesIO(data)).getinfo(DOCUMENT_PART).file_size
    if expanded > MAX_EXPANSION * max_bytes:
        raise ReadError(
            source,
            f"the .docx expands to {expanded / 2**20:.1f} MB of XML, "
            f"over the {MAX_EXPANSION * max_bytes / 2**20:.1f} MB limit",
        )


def _body_lines(container) -> Iterator[str]:
    for child in container.iterchildren():
        if child.tag == PARAGRAPH:
            yield _paragraph_text(child)
        elif child.tag == TABLE:
            yield from _table_lines(child)
        elif child.tag == CONTENT_CONTROL:
            for body in child.iterchildren(CONTENT_CONTROL_BODY):
                yield from _body_lines(body)


def _paragraph_text(paragraph) -> str:
    parts = []
    for element in paragraph.iter(TEXT, TAB, *BREAKS):
        if element.tag == TEXT:
            parts.append(element.text or "")
        else:
            parts.append("\t" if element.tag == TAB else "\n")
    return "".join(parts).strip()


def _table_lines(table) -> Iterator[str]:
    for row in table.iterchildren(ROW):
        cells = [_cell_text(cell) for cell in _row_cells(row) if not _continues_above(cell)]
        yield "\t".join(cell for cell in cells if cell)


def _row_cells(row) -> Iterator:
    # Cells may sit inside content controls within the row.
    for child in row.iterchildren():
        if child.tag == CELL:
            yield child
        elif child.tag == CONTENT_CONTROL:
            yield from child.iter(CELL)


def _continues_above(cell) -> bool:
    return getattr(cell, "vMerge", None) == "continue"


def _cell_text(cell) -> str:
    lines = [_paragraph_text(p) for p in cell.iter(PARAGRAPH)]
    return plain.join_wrapped("\n".join(line for line in lines if line))
