"""Scanned reports in a batch: each page to OCR is a task of its own, so a cluster spreads them.

A chunk's worker reads its files with OCR deferred (`nlp.ingest.ocr_pages`): a PDF with pages
without a text layer comes back as a `ScanToRead` naming them, found as any read of the PDF finds
them (no page is rendered). The driver then submits one task per page — its OCR, in a bounded
child as a file's read is, under the page's own time budget (`Limits.ocr_page_timeout`) — and
one task for the report, which Dask starts when its pages are done and hands their layouts:
the report is read with them instead of recognising its pages again, then analysed and written
as any other, under the file's budget. A page whose OCR fails or overruns its budget is left
out of its report with an `ingest.ocr_page_failed` warning (a report without any readable page
is an `errors` row); it never stops the batch.
"""

from __future__ import annotations

from nlp.batch.work import ScanToRead, process_chunk
from nlp.ingest.bounded import LimitExceeded, Limits, shared_worker
from nlp.ingest.ocr_pages import PageRead, failed_page, read_page

_PAGE_WORK = "nlp.ingest.ocr_pages:read_page"
# What the page's bounded child imports before its first page, so no page's budget pays for it.
_PRELOAD = ("nlp.ingest.ocr_pages", "nlp.ingest.ocr", "nlp.ingest.pdf", "rapidocr_onnxruntime")


def submit(client, scan: ScanToRead, out: str, limits: Limits | None) -> list:
    """The futures of the scan's page tasks, then of its report's task (a `ChunkResult`)."""
    pages = [
        client.submit(ocr_page, scan.path, number, limits, pure=False) for number in scan.pages
    ]
    report = client.submit(
        process_chunk,
        [(scan.path, scan.report_id)],
        out,
        limits,
        ocr_pages={scan.report_id: pages},
        pure=False,
    )
    return [*pages, report]


def ocr_page(path: str, number: int, limits: Limits | None) -> PageRead:
    """One page read by OCR on a worker under `limits.ocr_page_timeout`; a failure or an
    overrun is the page's `failure`, never an exception."""
    try:
        if limits is None:
            return read_page(path, number)
        return shared_worker(limits.for_ocr_page(), _PRELOAD).call(_PAGE_WORK, path, number)
    except LimitExceeded as stopped:
        return failed_page(number, _stopped_reason(stopped, limits))
    except Exception as error:  # noqa: BLE001 - one page's failure is recorded with its report
        return failed_page(number, f"{type(error).__name__}: {error}")


def _stopped_reason(stopped: LimitExceeded, limits: Limits) -> str:
    if stopped.stage == "timeout" and limits.cpu_time is None:  # the wall clock stopped it
        return f"stopped after {limits.ocr_page_timeout:g} s (ocr_page_timeout)"
    return str(stopped)
