"""Scanned pages read apart from their report (nlp/ingest/ocr_pages.py): the read deferred names
the pages without rendering them, pages read before are taken instead of recognised again, and
a page whose OCR did not finish is a warning (or, with no other page, the read's error)."""

from __future__ import annotations

import pickle

import pytest
from scan_samples import generated_scan, page_count, with_scanned_page

from nlp.ingest import load, ocr, ocr_pages
from nlp.ingest.pdf import PageLayout, TextLine
from nlp.report import ReadError

needs_ocr = pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    if not ocr.available():
        pytest.skip("the ocr extra is not installed")
    pdf, scan = generated_scan()
    return {"text": pdf, "scan": scan, "mixed": with_scanned_page(pdf, scan)}


@pytest.fixture
def no_recognition(monkeypatch):
    """Any page recognised here fails the test: the pages must come from elsewhere."""

    def recognise(*args):
        raise AssertionError("a page was recognised")

    monkeypatch.setattr(ocr, "pdf_page_layouts", recognise)


@needs_ocr
def test_a_deferred_read_names_the_pages_to_ocr_without_rendering(pdfs, no_recognition):
    last = page_count(pdfs["mixed"])
    with ocr_pages.deferred(), pytest.raises(ocr_pages.OcrDeferred) as deferred:
        load(pdfs["mixed"], name="mixed.pdf")
    assert deferred.value.numbers == (last,)
    with ocr_pages.deferred(), pytest.raises(ocr_pages.OcrDeferred) as deferred:
        load(pdfs["scan"], name="scan.pdf")
    assert deferred.value.numbers == tuple(range(1, page_count(pdfs["scan"]) + 1))


@needs_ocr
def test_a_pdf_with_a_text_layer_reads_the_same_when_deferred(pdfs, no_recognition):
    with ocr_pages.deferred():
        deferred = load(pdfs["text"], name="text.pdf")
    assert deferred.text == load(pdfs["text"], name="text.pdf").text


@needs_ocr
def test_pages_read_before_are_taken_instead_of_recognised(pdfs, no_recognition):
    last = page_count(pdfs["mixed"])
    line = TextLine("附件：扫描页", top=100.0, x0=72.0, x1=200.0)
    page = ocr_pages.PageRead(last, PageLayout(last, (line,), 10.0))
    with ocr_pages.supplied([pickle.loads(pickle.dumps(page))]):  # as it travels from a task
        document = load(pdfs["mixed"], name="mixed.pdf")
    assert document.kind == "pdf-ocr"
    assert document.text.rstrip().endswith("附件：扫描页")


@needs_ocr
def test_a_page_whose_ocr_did_not_finish_is_a_warning(pdfs, no_recognition):
    last = page_count(pdfs["mixed"])
    failed = ocr_pages.failed_page(last, "stopped after 120 s (ocr_page_timeout)")
    with ocr_pages.supplied([failed]):
        document = load(pdfs["mixed"], name="mixed.pdf")
    (warning,) = [w for w in document.warnings if w.code == ocr_pages.OCR_PAGE_FAILED]
    assert f"page {last}" in warning.message and "ocr_page_timeout" in warning.message
    assert document.text == load(pdfs["text"], name="text.pdf").text  # the text pages kept


@needs_ocr
def test_a_scan_none_of_whose_pages_finished_is_a_read_error_saying_so(pdfs, no_recognition):
    pages = range(1, page_count(pdfs["scan"]) + 1)
    with (
        ocr_pages.supplied([ocr_pages.failed_page(n, "stopped") for n in pages]),
        pytest.raises(ReadError, match="OCR of its pages did not finish"),
    ):
        load(pdfs["scan"], name="scan.pdf")


def test_the_deferral_travels_between_processes():
    deferred = pickle.loads(pickle.dumps(ocr_pages.OcrDeferred((2, 3), "scan.pdf")))
    assert deferred.numbers == (2, 3) and deferred.source == "scan.pdf"
    assert isinstance(deferred, ReadError)  # passes the ingest layer's wrapping untouched
