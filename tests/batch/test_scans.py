"""Scanned PDFs in a batch (issue 19): each page to OCR is a task of its own on the batch's local
Dask cluster (2 workers), the report is read with those pages and equals `nlp.read` of the file,
the progress counts the pages, and a page whose OCR overruns its budget is recorded with its
report, never lost and never stopping the batch."""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest
from ingest.scan_samples import generated_scan, page_count, with_scanned_page

import nlp
from nlp.batch import load, run_batch
from nlp.batch.inputs import content_id
from nlp.batch.runner import dask_client
from nlp.corpus import write_corpus
from nlp.ingest import ocr
from nlp.ingest.bounded import DEFAULT_LIMITS
from nlp.ingest.ocr_pages import OCR_PAGE_FAILED
from nlp.report import NARRATIVE_SECTIONS

pytestmark = pytest.mark.skipif(not ocr.available(), reason="the ocr extra is not installed")
REPORT_COLUMNS = ["agency", "year", "format", "input_format", "confidence", "narrative_chars"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A scanned report among text reports, and a PDF of text pages with one scanned page."""
    if not ocr.available():
        pytest.skip("the ocr extra is not installed")
    root = tmp_path_factory.mktemp("scans")
    write_corpus(root / "reports", 2, seed=31, formats=("txt", "html"))
    pdf, scan = generated_scan()
    (root / "reports" / "scan.pdf").write_bytes(scan)
    (root / "mixed.pdf").write_bytes(with_scanned_page(pdf, scan))
    return root


@pytest.fixture(scope="module")
def batch(folder, tmp_path_factory):
    """The batch over the reports on the local cluster the batch starts (2 workers), the OCR
    tasks it ran, and the progress it reported."""
    from distributed import get_task_stream

    out = tmp_path_factory.mktemp("out")
    events = []
    limits = replace(DEFAULT_LIMITS, ocr_page_timeout=None)  # a loaded test machine
    with dask_client(2, None) as client, get_task_stream(client) as tasks:
        summary = run_batch(
            [folder / "reports"],
            out,
            scheduler=client.scheduler.address,
            on_progress=lambda progress: events.append(replace(progress)),
            limits=limits,
        )
    return summary, load(out), tasks.data, events


def test_each_scanned_page_is_a_task_and_the_pages_spread_over_the_workers(batch, folder):
    summary, _, tasks, _ = batch
    pages = page_count((folder / "reports" / "scan.pdf").read_bytes())
    ocr_tasks = [task for task in tasks if task["key"].startswith("ocr_page-")]
    assert summary.ocr_pages == len(ocr_tasks) == pages
    assert len({task["worker"] for task in ocr_tasks}) == 2


def test_the_progress_counts_the_pages(batch, folder):
    summary, _, _, events = batch
    pages = page_count((folder / "reports" / "scan.pdf").read_bytes())
    assert sorted({e.pages_done for e in events}) == list(range(pages + 1))  # page by page
    assert all(e.pages == pages for e in events if e.pages_done)
    assert events[-1].pages == pages and events[-1].done == events[-1].total == summary.reports


def test_a_scanned_report_equals_reading_it_alone(batch, folder):
    summary, tables, _, _ = batch
    path = folder / "reports" / "scan.pdf"
    report = nlp.read(path)
    report_id = content_id(path)
    assert summary.errors == [] and summary.reports == 3
    row = tables["reports"].set_index("report_id").loc[report_id]
    assert json.loads(row["parse_warnings"]) == [w.to_dict() for w in report.warnings]
    assert row["input_format"] == "pdf-ocr"
    assert row[REPORT_COLUMNS].tolist() == [
        report.agency,
        report.year,
        report.format,
        report.input_format,
        report.confidence,
        sum(len(report.sections.get(key, "")) for key in NARRATIVE_SECTIONS),
    ]
    cells = tables["cells"].query("report_id == @report_id")
    columns = [c for c in report.cells.columns if c in cells]
    assert len(report.cells) > 100
    pd.testing.assert_frame_equal(
        cells[columns].reset_index(drop=True), report.cells[columns].reset_index(drop=True)
    )
    sentences = tables["sentences"].query("report_id == @report_id")
    assert sentences["text"].tolist() == [s.text for s in report.sentences]


# --- a page over its budget ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def overrun(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("overrun")
    limits = replace(DEFAULT_LIMITS, ocr_page_timeout=0.001)  # no page can finish
    summary = run_batch(
        [folder / "reports" / "scan.pdf", folder / "mixed.pdf"], out, workers=2, limits=limits
    )
    return summary, load(out)


def test_a_scan_whose_pages_all_overran_is_an_error_row(overrun, folder):
    summary, tables = overrun
    (error,) = summary.errors
    assert error["file"].endswith("scan.pdf") and error["stage"] == "read"
    assert "did not finish" in error["reason"] and "ocr_page_timeout" in error["reason"]
    assert len(tables["errors"]) == 1


def test_a_page_that_overran_is_a_warning_of_a_report_read_without_it(overrun, folder):
    summary, tables = overrun
    mixed = tables["reports"].set_index("source").loc[str(folder / "mixed.pdf")]
    failed = [w for w in json.loads(mixed["parse_warnings"]) if w["code"] == OCR_PAGE_FAILED]
    assert len(failed) == 1 and "ocr_page_timeout" in failed[0]["message"]
    assert mixed["n_sentences"] > 0
    assert summary.ocr_pages == 1 + page_count((folder / "reports" / "scan.pdf").read_bytes())


@pytest.mark.parametrize("limits", [DEFAULT_LIMITS, None], ids=["bounded", "unbounded"])
def test_a_page_that_cannot_be_read_is_a_failed_page_not_an_exception(tmp_path, limits):
    from nlp.batch.scans import ocr_page

    page = ocr_page(str(tmp_path / "gone.pdf"), 2, limits)
    assert (page.number, page.layout) == (2, None)
    assert "FileNotFoundError" in page.failure
