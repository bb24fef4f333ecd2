"""Scanned PDFs for the tests of OCR pages read apart from their report (the `ocr` extra:
pypdfium2, numpy, Pillow): a generated report's PDF, its scan, and a PDF of text pages with one
scanned page."""

from __future__ import annotations

import random

from nlp.corpus import generate, render, with_form


def generated_scan(seed: int = 8, dpi: int = 200) -> tuple[bytes, bytes]:
    """A generated report's PDF (with its text layer) and its scan (image-only, light noise)."""
    from nlp.corpus.render_scan import ScanSettings, to_scan

    report = with_form(generate(3, seed=seed)[1], "scan")
    pdf = render(report, "pdf", random.Random(1))
    return pdf, to_scan(pdf, random.Random(2), ScanSettings(dpi, "light"))


def with_scanned_page(pdf: bytes, scan: bytes) -> bytes:
    """`pdf`'s pages (text) followed by the last page of `scan` (an image without text)."""
    import io

    import pypdfium2 as pdfium

    mixed = pdfium.PdfDocument(pdf)
    scanned = pdfium.PdfDocument(scan)
    mixed.import_pages(scanned, [len(scanned) - 1])
    buffer = io.BytesIO()
    mixed.save(buffer)
    return buffer.getvalue()


def page_count(pdf: bytes) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(pdf))
