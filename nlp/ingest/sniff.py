"""Which reader a file needs: magic bytes first, then the file name's extension."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from nlp.report import ReadError

PDF_MAGIC = b"%PDF-"
PDF_HEADER_WINDOW = 1024  # the PDF spec allows junk before the header within the first KB
TEXT_KINDS = frozenset({"txt", "md", "html"})
ZIP_MAGIC = b"PK\x03\x04"
DOCX_PART = "word/document.xml"
HTML_SNIFF_BYTES = 2048
# Markers at the start of a file (after BOM and whitespace) that make it HTML.
HTML_STARTS: tuple[bytes, ...] = (
    b"<!doctype html",
    b"<html",
    b"<table",
    b"<head",
    b"<body",
    b"<meta",
)
HTML_ANYWHERE: tuple[bytes, ...] = (b"<html", b"<body")

EXTENSION_KINDS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".shtml": "html",
    ".xhtml": "html",
    ".docx": "docx",
    ".pdf": "pdf",
}
# Images of report pages (a scan), read by OCR (the `ocr` extra).
IMAGE_SIGNATURES: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"II*\x00",
    b"MM\x00*",
)
# Known binary formats, refused by name so the message says what the file is.
BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office file (.doc/.xls/.wps): save it as .docx"),
    (b"{\\rtf", "RTF document: save it as .docx"),
    (b"Rar!", "RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"\x7fELF", "executable"),
)
ZIP_CONTENT_NAMES: dict[str, str] = {
    "xl/workbook.xml": "Excel workbook (.xlsx)",
    "ppt/presentation.xml": "PowerPoint presentation (.pptx)",
    "content.xml": "OpenDocument file (.odt/.ods): save it as .docx",
}
# Something that looks like an extension; "年报.2021" or "报告.（定稿）" has none.
_EXTENSION = re.compile(r"\.[a-z][a-z0-9]{0,5}$")


def detect_kind(data: bytes, name: str, source: str) -> str:
    """The reader for these bytes: txt, md, html, docx, pdf or image (a PNG, JPEG or TIFF of
    report pages); ReadError for anything else."""
    head = data[:HTML_SNIFF_BYTES]
    if _is_pdf(head, name):
        return "pdf"
    if head.startswith(ZIP_MAGIC):
        return _zip_kind(data, source)
    if head.startswith(IMAGE_SIGNATURES):
        return "image"
    for signature, what in BINARY_SIGNATURES:
        if head.startswith(signature):
            raise ReadError(source, f"unsupported format: {what}")
    if _looks_like_html(head):
        return "html"
    return _kind_from_extension(name, source)


def _is_pdf(head: bytes, name: str) -> bool:
    """A PDF header at the start (after blanks); further into the first KB only in a file that
    is not named as text: a .txt report that quotes "%PDF-" is still text."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n\x00").startswith(PDF_MAGIC):
        return True
    named_as_text = EXTENSION_KINDS.get(Path(name.lower()).suffix) in TEXT_KINDS
    return not named_as_text and PDF_MAGIC in head[:PDF_HEADER_WINDOW]


def _zip_kind(data: bytes, source: str) -> str:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        # NotImplementedError: a damaged header naming a ZIP version or method zipfile lacks
        raise ReadError(
            source,
            "corrupt ZIP/DOCX file: the archive is damaged",
            detail=f"{type(error).__name__}: {error}",
        ) from error
    if DOCX_PART in names:
        return "docx"
    for part, what in ZIP_CONTENT_NAMES.items():
        if part in names:
            raise ReadError(source, f"unsupported format: {what}")
    raise ReadError(source, "unsupported format: a ZIP archive that is not a .docx document")


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(HTML_STARTS) or any(marker in start for marker in HTML_ANYWHERE)


def _kind_from_extension(name: str, source: str) -> str:
    match = _EXTENSION.search(name.lower())
    if not match:
        return "txt"
    extension = match.group()
    kind = EXTENSION_KINDS.get(extension)
    if kind is None:
        raise ReadError(
            source,
            f"unsupported format: {extension} files are not reports "
            f"(supported: {', '.join(sorted(EXTENSION_KINDS))})",
        )
    if kind in ("pdf", "docx"):
        raise ReadError(source, f"corrupt {kind.upper()} file: the {kind} signature is missing")
    return kind
