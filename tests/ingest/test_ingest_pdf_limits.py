"""PDF work bounded per page (issue 18): a page of 60,000 characters or a ruled grid of 27,000
cells is read in seconds, cut with a warning; and the engines (PDFium, pdfplumber) agree."""

from __future__ import annotations

import io
import time

import pytest
from ingest_samples import CJK_FONT, TABLE_ROWS, pdf_bytes
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

import nlp.ingest.pdf
from nlp.fuzz.hostile import raw_pdf
from nlp.ingest.model import TABLE
from nlp.ingest.pdf import PAGE_CHARS_CUT, PdfLimits, read_pdf
from nlp.ingest.pdf_tables import GRID_CUT

LINE = "本机关全年主动公开政府信息"  # 13 characters


def _dense_page(lines: int, repeat: int, size: float = 6, leading: float = 12) -> bytes:
    """One page of `lines` lines, each a number and `LINE` `repeat` times."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont(CJK_FONT, size)
    for number in range(lines):
        pdf.drawString(10, 830 - leading * number, f"{number:03d}" + LINE * repeat)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _grid_page(rules: int) -> bytes:
    """One page ruled by `rules` horizontal and `rules` vertical lines, a label in a cell."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    step = 500 / rules
    for i in range(rules):
        pdf.line(40, 800 - i * step, 540, 800 - i * step)
        pdf.line(40 + i * step, 800, 40 + i * step, 300)
    pdf.setFont(CJK_FONT, 12)
    pdf.drawString(40, 250, "表后的文字。")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.fixture(params=["pdfium", "pdfplumber"])
def engine(request, monkeypatch):
    monkeypatch.setattr(nlp.ingest.pdf, "ENGINE", request.param)
    return request.param


def test_a_page_over_the_character_limit_keeps_its_first_characters_with_a_warning(engine):
    document = read_pdf(_dense_page(lines=20, repeat=2), "r.pdf", PdfLimits(page_chars=200))
    cut = [w for w in document.warnings if w.code == PAGE_CHARS_CUT]
    assert len(cut) == 1
    assert "page 1 has 580 characters; only the first 200 were read" in cut[0].message
    assert "000" + LINE in document.text  # the first lines
    assert "019" not in document.text  # not the last


def test_a_page_within_the_character_limit_is_whole(engine):
    document = read_pdf(_dense_page(lines=20, repeat=2), "r.pdf", PdfLimits(page_chars=580))
    assert not [w for w in document.warnings if w.code == PAGE_CHARS_CUT]
    assert "019" + LINE in document.text


def test_a_page_of_60k_characters_is_read_in_seconds():
    data = _dense_page(lines=330, repeat=14, size=1.3, leading=2.5)  # 330 × 185 = 61,050
    started = time.process_time()
    document = read_pdf(data, "r.pdf")
    assert time.process_time() - started < 10  # it did not finish in 30 s before the limit
    cut = [w for w in document.warnings if w.code == PAGE_CHARS_CUT]
    assert cut and "61050 characters; only the first 20000" in cut[0].message


def test_a_page_ruled_for_more_cells_than_the_limit_is_read_as_text(engine):
    data = pdf_bytes([["表格之前。"]], ruled=True)  # 2 rows × 4 columns
    whole = read_pdf(data, "r.pdf")
    assert [b.grid.n_cols for b in whole.blocks if b.kind == TABLE] == [4]
    cut = read_pdf(data, "r.pdf", PdfLimits(page_cells=5))
    assert not [b for b in cut.blocks if b.grid is not None]  # tab-separated lines instead
    assert TABLE_ROWS[0][0] in cut.text  # the cells' text is kept, as lines
    warnings = [w for w in cut.warnings if w.code == GRID_CUT]
    assert len(warnings) == 1
    assert "page 1 is ruled for about 8 table cells, more than 5" in warnings[0].message


def test_a_27k_cell_grid_is_read_in_seconds():
    data = _grid_page(rules=165)  # 164 × 164 = 26,896 cells
    started = time.process_time()
    document = read_pdf(data, "r.pdf")
    assert time.process_time() - started < 10
    assert "表后的文字。" in document.text
    assert [w.code for w in document.warnings] == [GRID_CUT]


def test_the_page_limit_is_a_setting(engine):
    data = pdf_bytes([["第一页"], ["第二页"], ["第三页"]])
    document = read_pdf(data, "r.pdf", PdfLimits(pages=2))
    assert "第二页" in document.text and "第三页" not in document.text
    assert "the PDF has 3 pages; only the first 2 were read" in document.warnings[0].message


def test_both_engines_read_a_ruled_page_the_same(monkeypatch):
    data = pdf_bytes([["第一页的文字。"], ["第二页的文字。"]], ruled=True)
    pdfium = read_pdf(data, "r.pdf")
    monkeypatch.setattr(nlp.ingest.pdf, "ENGINE", "pdfplumber")
    plumber = read_pdf(data, "r.pdf")
    assert pdfium.text == plumber.text
    assert [b.grid.texts() for b in pdfium.blocks if b.grid] == [
        b.grid.texts() for b in plumber.blocks if b.grid
    ]


@pytest.mark.parametrize("rotation", [90, 180])
def test_a_rotated_page_is_read_as_pdfplumber_reads_it(monkeypatch, rotation):
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for number, lines in enumerate([["第一页的文字。"], ["第二页的文字。"]]):
        if number == 1:
            pdf.setPageRotation(rotation)
        pdf.setFont(CJK_FONT, 12)
        pdf.drawString(72, 700, lines[0])
        pdf.showPage()
    pdf.save()
    pdfium = read_pdf(buffer.getvalue(), "r.pdf")
    monkeypatch.setattr(nlp.ingest.pdf, "ENGINE", "pdfplumber")
    assert pdfium.text == read_pdf(buffer.getvalue(), "r.pdf").text
    assert pdfium.text.startswith("第一页的文字。\n")  # (upside down, pdfminer reverses it)


@pytest.mark.parametrize("inflated_mb", [64, 1024])
def test_a_compression_bomb_is_refused_before_any_engine_inflates_it(inflated_mb):
    from nlp.fuzz.hostile import pdf_bomb
    from nlp.report import ReadError

    data = pdf_bomb(inflated_mb << 20)
    started = time.process_time()
    with pytest.raises(ReadError, match="compression bomb"):
        read_pdf(data, "bomb.pdf")
    assert time.process_time() - started < 2


def test_streams_within_the_limits_are_read():
    from nlp.ingest.pdf_streams import StreamLimits, check_stream_sizes
    from nlp.report import ReadError

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pageCompression=1)
    pdf.setFont(CJK_FONT, 8)
    for number in range(40):
        pdf.drawString(10, 800 - 12 * number, LINE * 4)
    pdf.showPage()
    pdf.save()
    data = buffer.getvalue()
    assert b"/FlateDecode" in data
    check_stream_sizes(data, "page.pdf")  # a dense page is far below the limits
    with pytest.raises(ReadError, match="more than 0 MB"):
        check_stream_sizes(data, "page.pdf", StreamLimits(content_stream=16, total=16))


HELVETICA = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def test_a_page_of_text_objects_without_characters_is_damaged_not_a_scan(monkeypatch):
    from nlp.ingest import ocr
    from nlp.report import ReadError

    def no_ocr(*args):
        raise AssertionError("OCR was run on a page that is no scan")

    monkeypatch.setattr(ocr, "pdf_page_layouts", no_ocr)
    monkeypatch.setattr(ocr, "available", lambda: True)
    data = raw_pdf(b"BT /F1 12 Tf 100 700 Td ( ) Tj ET", resources=HELVETICA)
    with pytest.raises(ReadError) as refused:
        read_pdf(data, "damaged.pdf")
    assert "none of the 1 pages of the PDF could be read" in str(refused.value)


def test_an_image_page_is_still_a_scan():
    from PIL import Image

    from nlp.ingest import pdf_pdfium

    def damaged(data: bytes) -> bool:
        document = pdf_pdfium.open_document(data)
        try:
            return pdf_pdfium.read_page(document, 0, 1000)[0].damaged_text
        finally:
            pdf_pdfium.close_document(document)

    picture = io.BytesIO()
    Image.new("L", (40, 40), 200).save(picture, "PNG")
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawImage(ImageReader(io.BytesIO(picture.getvalue())), 50, 50, 400, 600)
    pdf.showPage()
    pdf.save()
    assert damaged(buffer.getvalue()) is False
    assert damaged(raw_pdf(b"BT /F1 12 Tf 100 700 Td ( ) Tj ET", resources=HELVETICA)) is True
