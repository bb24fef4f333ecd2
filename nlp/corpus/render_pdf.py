"""PDF rendering with reportlab: the built-in CID font STSong-Light, tables with ruling lines.

STSong-Light needs no font file (readers substitute a Song face) and pdfplumber extracts its
text as Unicode, so the project installs nothing for it.
"""

from __future__ import annotations

import io
from functools import cache

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from nlp.corpus.document import Block, Grid

FONT = "STSong-Light"
WIDTH = A4[0] - 40 * mm
# Column widths (share of the page) of the grids by their number of columns.
COLUMN_SHARES = {
    4: [0.34, 0.22, 0.22, 0.22],
    10: [0.1, 0.14, 0.24] + [0.52 / 7] * 7,
    15: [1 / 15] * 15,
}


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


def to_pdf(blocks: list[Block], footers: bool) -> bytes:
    styles = _styles()
    story = []
    for block in blocks:
        if block.kind == "table":
            table = _table(block.grid, styles["cell"])
            # Tables 二 and 三 may break across pages as real ones do; 四 is one header and a row.
            story += [KeepTogether(table) if len(block.grid[0]) == 15 else table, Spacer(1, 6)]
        else:
            story.append(Paragraph(_escape(block.text), styles[block.kind]))
    buffer = io.BytesIO()
    page = _footer if footers else _no_footer
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


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 9)
    canvas.drawCentredString(A4[0] / 2, 12 * mm, f"- {doc.page} -")
    canvas.restoreState()


def _no_footer(canvas, doc) -> None:
    return None
