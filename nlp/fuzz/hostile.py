"""Builders of hostile files, each from a good report's text: the shapes that once stalled a
batch or took gigabytes (issue 18). Sizes are parameters so tests can use small ones."""

from __future__ import annotations

import io
import zipfile

DOCX_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CHUNK = 1 << 20
# Lines repeated at a page's edges are running headers to the PDF reader; with 8 lines a page
# the middle ones are always read.
LINES_PER_PAGE = 8


def spaces_line(text: str, n: int = 10**6) -> bytes:
    """The report with a line of `n` spaces after its text (a broken export)."""
    return (text + "\n" + " " * n + "\n").encode("utf-8")


def nested_html(text: str, depth: int = 20_000) -> bytes:
    """The report as paragraphs inside `depth` nested <div> elements."""
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())
    return f"<html><body>{'<div>' * depth}{paragraphs}{'</div>' * depth}</body></html>".encode()


def docx_bomb(inflated_bytes: int = 100 * 2**20, part: str = "word/document.xml") -> bytes:
    """A .docx whose `part` inflates to `inflated_bytes` of XML (blanks inside one paragraph)
    from a few hundred KB; written in chunks, so building it takes little memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        head = f'<w:document xmlns:w="{W_NAMESPACE}"><w:body><w:p><w:r><w:t>'.encode()
        tail = b"</w:t></w:r></w:p></w:body></w:document>"
        with archive.open(part, "w", force_zip64=True) as stream:
            stream.write(head)
            left = inflated_bytes
            while left > 0:
                stream.write(b" " * min(_CHUNK, left))
                left -= _CHUNK
            stream.write(tail)
        if part != "word/document.xml":
            archive.writestr("word/document.xml", head + "报告".encode() + tail)
    return buffer.getvalue()


def many_page_pdf(text: str, pages: int = 500) -> bytes:
    """A PDF of `pages` pages, the report's lines over and over (an annex or
    a compilation)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer)
    lines = [line.strip()[:40] for line in text.split("\n") if line.strip()]
    for number in range(pages):
        sheet.setFont("STSong-Light", 12)
        for row in range(LINES_PER_PAGE):
            line = lines[(LINES_PER_PAGE * number + row) % len(lines)]
            sheet.drawString(72, 720 - 20 * row, line)
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()
