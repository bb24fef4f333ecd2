"""Bytes → `Document`: one small module per input format, encoding detection, size and safety
limits.

`load(source)` returns a `Document` (`nlp.ingest.model`): the report's one clean text and its
blocks in reading order — headings with their numbering style and level, paragraphs, tables as
grids — each with offsets into that text.
"""

from __future__ import annotations

import os
import unicodedata
from importlib import import_module
from pathlib import Path

from nlp.ingest import sniff
from nlp.ingest import text as textfile
from nlp.ingest.lines import document_from_lines
from nlp.ingest.model import Block, Document, Grid
from nlp.report import (
    ReadError,
    ReportFileError,
    ReportIsADirectoryError,
    ReportNotFoundError,
)

__all__ = ["Block", "Document", "Grid", "load"]

MAX_BYTES = 20 * 1024 * 1024
BYTES_SOURCE = "<bytes>"
# The formats as a user knows them, for the refusals.
KIND_NAMES = {
    "pdf": "a PDF file",
    "docx": "a Word file (.docx)",
    "html": "a web page (HTML)",
    "image": "an image",
    "txt": "a text file",
    "md": "a text file",
}


# The readers that are imported when a file of their format comes (`_read`), or on first access
# as attributes (`nlp.ingest.pdf`), as an eager import had them.
READER_MODULES = frozenset({"docx", "html", "ocr", "pdf"})


def __getattr__(name: str):
    if name in READER_MODULES:
        return import_module(f"nlp.ingest.{name}")
    raise AttributeError(f"module 'nlp.ingest' has no attribute {name!r}")


def load(
    source: str | os.PathLike[str] | bytes,
    name: str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
) -> Document:
    """Read one report file (a path, or its bytes with an optional file `name`) as text.

    Raises `ReadError` with the reason for anything that is not a readable report: a missing,
    empty or oversized file, an unsupported or corrupt format, a scanned PDF, undecodable text.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        display = name or BYTES_SOURCE
        data = bytes(source)
        _check_size(len(data), max_bytes, display)
    else:
        display = str(source)
        data = _read_file(Path(source), display, max_bytes)
        name = name or Path(source).name
    return _document(data, name or "", display, max_bytes)


def _read_file(path: Path, display: str, max_bytes: int) -> bytes:
    try:
        if not path.exists():
            raise ReportNotFoundError(display, "file not found")
        if path.is_dir():
            raise ReportIsADirectoryError(display, "is a directory, not a file")
        _check_size(path.stat().st_size, max_bytes, display)
        return path.read_bytes()
    except ReadError:
        raise
    except OSError as error:
        reason = f"cannot read the file: {error.strerror or error}"
        raise ReportFileError(display, reason) from error


def _check_size(size: int, max_bytes: int, display: str) -> None:
    if size > max_bytes:
        raise ReadError(
            display,
            f"file too large: {_megabytes(size)} is over the limit of {_megabytes(max_bytes)} "
            "(max_bytes)",
        )


def _megabytes(size: int) -> str:
    return f"{size / 2**20:.1f} MB"


def _document(data: bytes, name: str, display: str, max_bytes: int) -> Document:
    if not data:
        raise ReadError(display, "empty file (0 bytes)")
    if not data.strip(b" \t\r\n\x00\x0b\x0c"):
        raise ReadError(display, "empty file (only whitespace)")
    kind = sniff.detect_kind(data, name, display)
    try:
        document = _read(kind, data, display, max_bytes)
    except ReadError:
        raise
    except Exception as error:  # a library failure on bad input is a read error, not a crash
        raise ReadError(
            display,
            f"cannot read as {KIND_NAMES.get(kind, kind)}: the file is damaged or not what its "
            "name says",
            detail=f"{type(error).__name__}: {error}",
        ) from error
    if not document.text.strip():
        raise ReadError(display, f"no text found in the {kind} file (only whitespace)")
    if not _has_visible(document.text):
        raise ReadError(display, f"no text found in the {kind} file (only invisible characters)")
    return document


def _has_visible(text: str) -> bool:
    """Any character that shows: not a blank, not a format character (zero-width space,
    joiners, byte order marks)."""
    return any(not char.isspace() and unicodedata.category(char) != "Cf" for char in text)


def _read(kind: str, data: bytes, display: str, max_bytes: int) -> Document:
    # Each format's reader is imported when a file of it comes (pdfplumber, lxml and the OCR
    # models cost a text report's read more than the read itself).
    if kind == "pdf":
        from nlp.ingest import pdf

        result = pdf.read_pdf(data, display)
    elif kind == "docx":
        from nlp.ingest import docx

        result = docx.read_docx(data, display, max_bytes)
    elif kind == "html":
        from nlp.ingest import html

        result = html.read_html(data, display)
    elif kind == "image":
        from nlp.ingest import ocr

        result = ocr.read_image(data, display)
    else:
        result = textfile.decode(data, display)
    if isinstance(result, Document):
        return result
    text, warnings = result
    return document_from_lines(textfile.clean(text), display, kind, warnings)
