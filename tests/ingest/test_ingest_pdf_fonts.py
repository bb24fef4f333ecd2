"""PDFs drawn in fonts they do not embed: the same text whatever fonts this machine has.

PDFium draws an unembedded font (reportlab's STSong-Light, a report set in a system 宋体) with a
font of this machine; where no font here has the glyphs, its text page drops characters it takes
for repeats (the 业 of a cell's wrapped 商业企业), so such a page is read by pdfminer, which
needs no glyphs. Whether this machine has a CJK font is not up to the tests: the missing glyph
is simulated.
"""

from __future__ import annotations

import random

import pypdfium2 as pdfium
import pytest
from conftest import real_file

import nlp
from nlp.corpus import render
from nlp.corpus.generate import generate
from nlp.ingest import pdf_pdfium
from nlp.ingest.pdf import read_pdf


@pytest.fixture(scope="module")
def generated_pdf() -> bytes:
    report = generate(1, seed=3)[0]
    return render(report, "pdf", random.Random(3))


def _no_glyphs(monkeypatch) -> list[int]:
    """Every glyph missing from the fonts of this machine; the calls made, for the asserts."""
    asked: list[int] = []

    def glyph_path(font, code, size):
        asked.append(code)
        return None

    monkeypatch.setattr(pdf_pdfium, "_glyph_path_of", glyph_path)
    return asked


def test_a_page_in_an_unembedded_font_without_glyphs_is_read_by_pdfminer(
    generated_pdf, monkeypatch
):
    asked = _no_glyphs(monkeypatch)
    document = pdfium.PdfDocument(generated_pdf)
    try:
        assert pdf_pdfium.read_page(document, 0, 10**6) is None
    finally:
        document.close()
    assert asked, "the glyph of a character drawn in the unembedded font was looked up"


def test_its_text_is_pdfminers(generated_pdf, monkeypatch):
    asked = _no_glyphs(monkeypatch)
    with_fallback = read_pdf(generated_pdf, "generated.pdf")
    document = pdfium.PdfDocument(generated_pdf)
    pages = len(document)
    document.close()
    assert len(asked) == pages, "every page was turned down by PDFium's reading, none read by it"
    monkeypatch.setattr(pdf_pdfium, "read_page", lambda *args, **kwargs: None)
    all_pdfminer = read_pdf(generated_pdf, "generated.pdf")
    assert with_fallback.text == all_pdfminer.text
    assert "商业企业" in with_fallback.text


def test_embedded_fonts_are_read_by_pdfium_though_a_subset_lacks_glyphs():
    """An embedded subset has only the glyphs the report uses: that is no reason to leave
    PDFium (its drawing is the file's own)."""
    path = real_file("govnianbao/szfgs2024.pdf")
    document = pdfium.PdfDocument(path)
    try:
        assert all(
            pdf_pdfium.read_page(document, index, 10**6) is not None
            for index in range(len(document))
        )
    finally:
        document.close()
    assert "一、本年新收政府信息公开申请数量" in nlp.read(path).text
