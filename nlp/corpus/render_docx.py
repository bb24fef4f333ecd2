"""Word rendering: python-docx paragraphs and real tables with merged cells."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from nlp.corpus.document import Block, Grid

FONT = "宋体"


def to_docx(blocks: list[Block], nested: bool = False, bold_leads: bool = False) -> bytes:
    """The report as Word: `nested` puts each table inside a one-cell layout table;
    `bold_leads` prints the sub-headings of 总体情况 as bold runs."""
    document = docx.Document()
    _east_asian_font(document)
    for block in blocks:
        if block.kind == "table":
            _table(_nest(document) if nested else document, block.grid)
        elif block.kind == "title":
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(block.text).bold = True
        elif block.kind == "heading":
            document.add_paragraph().add_run(block.text).bold = True
        elif block.lead and bold_leads:
            paragraph = document.add_paragraph()
            paragraph.add_run(block.lead).bold = True
            if block.text != block.lead:
                paragraph.add_run(block.text[len(block.lead) :])
        else:
            document.add_paragraph(block.text)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_timestamps(buffer.getvalue())


def _fixed_timestamps(package: bytes) -> bytes:
    """The same package with every zip entry dated 1980-01-01, so a seed gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


def _east_asian_font(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _nest(document):
    """A one-cell layout table (as templates hold their tables in); returns its cell."""
    outer = document.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = ""
    return cell


def _table(container, grid: Grid) -> None:
    """A Word table in `container` (the document or a cell) with merged cells: gridSpan for
    column spans, vMerge for row spans (python-docx's merge writes both)."""
    table = container.add_table(rows=len(grid), cols=len(grid[0]))
    table.style = "Table Grid"
    cells = [list(row.cells) for row in table.rows]
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell is None:
                continue
            target = cells[r][c]
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(cells[r + cell.rowspan - 1][c + cell.colspan - 1])
            target.text = cell.text
