"""Builders for small generated inputs (PDF, DOCX) used by the ingest tests."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

CJK_FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))

TABLE_ROWS = (
    ("本机关不掌握相关政府信息", "746", "12", "0"),
    ("重复申请", "25", "0", "0"),
)
LABEL_X, FIRST_VALUE_X, VALUE_STEP = 72, 300, 60


def pdf_bytes(pages: Sequence[Sequence[str] | None], ruled: bool = False) -> bytes:
    """One PDF page per entry: lines of text followed by TABLE_ROWS, or None for a blank page
    with only a drawn rectangle (what a scan without text layer looks like to pdfplumber)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for lines in pages:
        if lines is None:
            pdf.rect(100, 100, 300, 400, fill=1)
        else:
            _draw_page(pdf, lines, ruled)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_page(pdf: canvas.Canvas, lines: Sequence[str], ruled: bool) -> None:
    pdf.setFont(CJK_FONT, 12)
    y = 760
    for line in lines:
        pdf.drawString(LABEL_X, y, line)
        y -= 24
    y -= 24
    if ruled:
        _draw_grid(pdf, top=y + 18, rows=len(TABLE_ROWS))
    for row in TABLE_ROWS:
        pdf.drawString(LABEL_X + 4, y, row[0])
        for column, value in enumerate(row[1:]):
            pdf.drawString(FIRST_VALUE_X + 4 + column * VALUE_STEP, y, value)
        y -= 24


def _draw_grid(pdf: canvas.Canvas, top: float, rows: int) -> None:
    columns = [LABEL_X, FIRST_VALUE_X] + [
        FIRST_VALUE_X + VALUE_STEP * (i + 1) for i in range(len(TABLE_ROWS[0]) - 1)
    ]
    bottom = top - 24 * rows
    for i in range(rows + 1):
        pdf.line(columns[0], top - 24 * i, columns[-1], top - 24 * i)
    for x in columns:
        pdf.line(x, top, x, bottom)
