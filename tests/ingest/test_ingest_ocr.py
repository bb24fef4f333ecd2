"""Scanned reports read by OCR (nlp/ingest/ocr.py): a generated scan read into sections and
table cells, a page image file, and the clear error naming the `ocr` extra when it is missing."""

from __future__ import annotations

import io
import random
import sys

import pytest

import nlp
from nlp.corpus import generate, render, truth_frames, with_form
from nlp.ingest import load, ocr
from nlp.report import ReadError

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")
KEY = ["table", "row", "col"]


def image_only_pdf(width: int = 620, height: int = 877) -> bytes:
    from PIL import Image, ImageDraw

    page = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(page).rectangle((100, 100, 300, 140), fill="black")
    buffer = io.BytesIO()
    page.save(buffer, "PDF", resolution=75)
    return buffer.getvalue()


@pytest.fixture
def without_engine(monkeypatch):
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails
    assert not ocr.available()


def test_scanned_pdf_without_the_extra_names_it(without_engine):
    with pytest.raises(ReadError, match=r"no text layer.*pip install xxgk-nlp\[ocr\]"):
        load(image_only_pdf(), name="scan.pdf")


def test_page_image_without_the_extra_names_it(without_engine):
    buffer = io.BytesIO()
    from PIL import Image

    Image.new("RGB", (200, 280), "white").save(buffer, "PNG")
    with pytest.raises(ReadError, match=r"image of a page.*pip install xxgk-nlp\[ocr\]"):
        load(buffer.getvalue(), name="page.png")


# --- a generated scan ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scanned():
    from nlp.corpus.render_scan import ScanSettings, to_scan

    report = with_form(generate(3, seed=8)[1], "scan")
    pdf = render(report, "pdf", random.Random(1))
    scan = to_scan(pdf, random.Random(2), ScanSettings(200, "heavy"))
    return report, pdf, scan, nlp.read(scan, name="scan.pdf")


@needs_ocr
def test_scan_is_read_as_pdf_ocr_with_its_sections(scanned):
    report, _, _, read = scanned
    assert read.input_format == "pdf-ocr"
    six = {"overall", "active", "requests", "review", "problems", "other"}
    assert six <= set(read.sections)
    assert report.agency in read.text


@needs_ocr
def test_scan_table_cells_are_read_from_the_grid(scanned):
    report, _, _, read = scanned
    truth = truth_frames([report])["cells"].set_index(KEY)["value"]
    got = read.cells.drop_duplicates(KEY).set_index(KEY)["value"].reindex(truth.index)
    right = (got == truth) | (got.isna() & truth.isna())
    assert right.mean() >= 0.97, truth[~right]


@needs_ocr
def test_scan_narrative_reads_like_the_text_layer(scanned):
    from rapidfuzz.distance import Levenshtein

    report, _, _, read = scanned
    for key in ("overall", "problems"):
        expected = "".join(report.sections[key].split())
        got = "".join(read.sections[key].split())[-len(expected) :]  # without the heading
        assert Levenshtein.normalized_distance(expected, got) < 0.05


@needs_ocr
def test_page_image_file_is_read(scanned):
    import pypdfium2 as pdfium

    _, pdf, _, _ = scanned
    document = pdfium.PdfDocument(pdf)
    image = document[0].render(scale=200 / 72).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(200, 200))
    read = load(buffer.getvalue(), name="page1.png")
    assert read.kind == "image-ocr"
    assert "政府信息公开工作年度报告" in read.text
