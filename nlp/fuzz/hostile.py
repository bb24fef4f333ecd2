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
        if part != "word/document.xml":  # a styled paragraph: the reader needs styles.xml
            styled = head.replace(b"<w:p>", b'<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>')
            archive.writestr("word/document.xml", styled + "报告".encode() + tail)
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


def text_pdf(lines: list[str], pages: int = 2, user_password: str = "", owner: str = "") -> bytes:
    """A small PDF of the lines, `pages` pages; with an owner password it is copy-protected,
    with a user password it cannot be opened without it."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    encrypt = StandardEncryption(user_password, owner) if user_password or owner else None
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, encrypt=encrypt)
    for number in range(pages):
        sheet.setFont("STSong-Light", 12)
        for row, line in enumerate(lines[number * 30 : (number + 1) * 30] or lines[:1]):
            sheet.drawString(72, 760 - 24 * row, line[:40])
        sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def raw_pdf(
    content: bytes,
    stream_filter: str | None = None,
    declared_length: int | None = None,
    resources: bytes = b"",
) -> bytes:
    """A one-page PDF written by hand around one content stream (as given: already filtered),
    with a correct cross-reference table: the shape for streams no PDF library would write.
    `resources`: the page's resource dictionary (fonts), when the content needs one."""
    length = len(content) if declared_length is None else declared_length
    filter_entry = f" /Filter /{stream_filter}" if stream_filter else ""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        + (b" /Resources " + resources if resources else b"")
        + b" >>",
        f"<< /Length {length}{filter_entry} >>\nstream\n".encode() + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def pdf_bomb(inflated_bytes: int = 2**30) -> bytes:
    """A PDF whose page content inflates from about 1/1000 of its size to `inflated_bytes` of
    drawing operators (compressed in chunks: building it takes little memory)."""
    import zlib

    squeeze = zlib.compressobj(9)
    chunk = b"0 0 m 1 1 l S\n" * (_CHUNK // 14)
    parts = []
    left = inflated_bytes
    while left > 0:
        parts.append(squeeze.compress(chunk[: min(len(chunk), left)]))
        left -= len(chunk)
    parts.append(squeeze.flush())
    return raw_pdf(b"".join(parts), "FlateDecode")


def docx_of(document_xml: str, extra_parts: dict[str, bytes] | None = None) -> bytes:
    """A .docx holding `document_xml` as its document part (and any other parts given)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_CONTENT_TYPES)
        archive.writestr("word/document.xml", document_xml)
        for part, data in (extra_parts or {}).items():
            archive.writestr(part, data)
    return buffer.getvalue()


def docx_paragraphs(lines: list[str], prologue: str = "", text_suffix: str = "") -> str:
    """A document part of one paragraph per line (`prologue` before the root element: a
    DOCTYPE with entities; `text_suffix` after each line's text: an entity reference)."""
    body = "".join(
        f"<w:p><w:r><w:t>{_xml_escape(line)}{text_suffix}</w:t></w:r></w:p>" for line in lines
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prologue}'
        f'<w:document xmlns:w="{W_NAMESPACE}"><w:body>{body}</w:body></w:document>'
    )


def billion_laughs(levels: int = 10, fan_out: int = 10) -> tuple[str, str]:
    """A DOCTYPE whose entity `&lol{levels};` expands to fan_out**levels copies of "lol",
    and the reference to use."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{f"&lol{n - 1};" * fan_out}">' for n in range(1, levels + 1)
    ]
    return f"<!DOCTYPE w:document [{''.join(entities)}]>", f"&lol{levels};"


def external_entity(path: str) -> tuple[str, str]:
    """A DOCTYPE declaring an entity read from the file `path` (XXE), and its reference."""
    return f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{path}">]>', "&xxe;"


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
