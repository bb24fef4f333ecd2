"""PDF rendering with reportlab: the built-in CID font STSong-Light, tables with ruling lines.

STSong-Light needs no font file (readers substitute a Song face) and pdfplumber extracts its
text as Unicode, so the project installs nothing for it.
"""

from __future__ import annotations

import io
import random
from dataclasses import replace
from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from nlp.corpus.document import Block, Grid, GridCell

FONT = "STSong-Light"
WIDTH = A4[0] - 40 * mm
# Column widths (share of the page) of the grids by their number of columns.
COLUMN_SHARES = {
    4: [0.34, 0.22, 0.22, 0.22],
    10: [0.1, 0.14, 0.24] + [0.52 / 7] * 7,
    15: [1 / 15] * 15,
}
SPLIT_MIN_ROWS = 12  # tables longer than this break across pages in the split form


@cache
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = {"fontName": FONT, "wordWrap": "CJK"}
    return {
        "title": ParagraphStyle("title", fontSize=16, leading=24, alignment=1, **base),
        "heading": ParagraphStyle("heading", fontSize=12, leading=20, spaceBefore=6, **base),
        "paragraph": ParagraphStyle(
            "paragraph", fontSize=10.5, leading=17, firstLineIndent=21, **base
        ),
        "cell": ParagraphStyle("cell", fontSize=7, leading=9, **base),
    }


def to_pdf(
    blocks: list[Block],
    footers: bool,
    split: random.Random | None = None,
    repeat_header: bool = False,
    footer_format: str = "- {} -",
    bold_leads: bool = False,
) -> bytes:
    """The report as a PDF. Paragraphs wrap at the line width with a first-line indent. With
    `split` (the random stream choosing where), every table of more than SPLIT_MIN_ROWS rows
    breaks onto a new page, the continued part repeating the header rows if `repeat_header`."""
    styles = _styles()
    story = []
    for block in blocks:
        if block.kind == "table":
            story += _table_flowables(block.grid, styles["cell"], split, repeat_header)
        elif block.lead and bold_leads:
            lead = f"<b>{_escape(block.lead)}</b>"
            story.append(
                Paragraph(lead + _escape(block.text[len(block.lead) :]), styles[block.kind])
            )
        else:
            story.append(Paragraph(_escape(block.text), styles[block.kind]))
    buffer = io.BytesIO()
    page = _footer(footer_format) if footers else _no_footer
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, invariant=1
    )
    doc.build(story, onFirstPage=page, onLaterPages=page)
    return buffer.getvalue()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(grid: Grid, style: ParagraphStyle) -> Table:
    data = [[Paragraph(_escape(c.text), style) if c else "" for c in row] for row in grid]
    widths = [WIDTH * s for s in COLUMN_SHARES[len(grid[0])]]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell and (cell.rowspan > 1 or cell.colspan > 1):
                commands.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
    return Table(data, colWidths=widths, style=TableStyle(commands), repeatRows=0)


def _table_flowables(
    grid: Grid, style: ParagraphStyle, split: random.Random | None, repeat_header: bool
) -> list:
    if split is None or len(grid) <= SPLIT_MIN_ROWS:
        table = _table(grid, style)
        # Tables 二 and 三 may break across pages as real ones do; 四 is one header and a row.
        return [KeepTogether(table) if len(grid[0]) == 15 else table, Spacer(1, 6)]
    header = header_rows(grid)
    cut = split.randint(header + 3, len(grid) - 3)
    top, bottom = split_grid(grid, cut)
    if repeat_header and any(c is not None and c.header for row in grid[:header] for c in row):
        bottom = [list(row) for row in grid[:header]] + bottom
    return [KeepTogether(_table(top, style)), PageBreak(), _table(bottom, style), Spacer(1, 6)]


def header_rows(grid: Grid) -> int:
    """The rows above the first row with a figure in it."""
    return next(
        (r for r, row in enumerate(grid) if any(c is not None and c.number for c in row)), 0
    )


def split_grid(grid: Grid, cut: int) -> tuple[Grid, Grid]:
    """The grid's rows before and from `cut`; a merged cell reaching over the cut ends there
    and goes on below it as an empty merged cell, as a table broken across pages prints."""
    top = [list(row) for row in grid[:cut]]
    bottom = [list(row) for row in grid[cut:]]
    for r, row in enumerate(top):
        for c, cell in enumerate(row):
            if cell is not None and r + cell.rowspan > cut:
                row[c] = replace(cell, rowspan=cut - r)
                bottom[0][c] = GridCell("", rowspan=r + cell.rowspan - cut, colspan=cell.colspan)
    return top, bottom


def _footer(text: str):
    def draw(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 12 * mm, text.format(doc.page))
        canvas.restoreState()

    return draw


def _no_footer(canvas, doc) -> None:
    return None
