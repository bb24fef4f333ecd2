"""Scanned PDF pages read one at a time, apart from their report (a batch's OCR page tasks).

OCR is the slow part of a scanned report (seconds of CPU a page). A batch spreads it over its
workers by reading each page as its own task, each under its own time budget, and then reading
the report with those pages' layouts instead of recognising them again. The PDF reader asks
`scanned_layouts` for the pages it found without a text layer (it decides which, as for any
read); what that gives depends on the context the read runs in:

- by default the pages are recognised here and now (`nlp.read`, `xxgk parse`);
- under `deferred()` the read stops with `OcrDeferred`, naming the pages, for the caller to
  schedule (`read_page` for each) — no page is rendered;
- under `supplied(pages)` the pages read before are taken as they are; a page whose OCR failed
  or overran its budget is left out with an `ingest.ocr_page_failed` warning, and a page not
  supplied is recognised here.

A page's layout and its warnings are the same whichever way it is read, and they join the
report's warnings in page order, so the report equals `nlp.read` of the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.report import ParseWarning, ReadError

OCR_PAGE_FAILED = "ingest.ocr_page_failed"
DEFER = "defer"  # `reading(DEFER)`: a caller's word for `deferred()`
# None: recognise here; DEFER: stop and name the pages; a dict: the pages read before.
_MODE: ContextVar[Any] = ContextVar("ocr_pages_mode", default=None)


@dataclass(frozen=True)
class PageRead:
    """One scanned page read by OCR: its layout (None when the OCR failed) and the warnings
    its reading gave, or `failure`, why it was not read."""

    number: int
    layout: Any = None  # nlp.ingest.pdf.PageLayout
    warnings: tuple[ParseWarning, ...] = ()
    failure: str | None = None


class OcrDeferred(ReadError):
    """The PDF has pages without a text layer, left to the caller to read by OCR (`deferred`)."""

    def __init__(self, numbers: Sequence[int], source: str = "") -> None:
        self.numbers = tuple(numbers)
        super().__init__(source, f"pages {list(self.numbers)} need OCR; left to the caller")

    def __reduce__(self):
        return type(self), (self.numbers, self.source)


def read_page(source: str | Path | bytes, number: int) -> PageRead:
    """Page `number` (1-based) of a PDF (its path or bytes) read by OCR."""
    from nlp.ingest import ocr

    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    warnings: list[ParseWarning] = []
    (layout,) = ocr.pdf_page_layouts(data, [number], warnings)
    return PageRead(number, layout, tuple(warnings))


def failed_page(number: int, reason: str) -> PageRead:
    return PageRead(number, failure=reason)


@contextmanager
def deferred() -> Iterator[None]:
    """Reads in this block stop with `OcrDeferred` at the first PDF with pages to OCR."""
    with _mode(DEFER):
        yield


@contextmanager
def supplied(pages: Iterable[PageRead]) -> Iterator[None]:
    """Reads in this block take these pages' OCR instead of recognising them."""
    with _mode({page.number: page for page in pages}):
        yield


def reading(pages: str | Iterable[PageRead] | None):
    """The context of a read given `pages`: `DEFER` (`deferred()`), pages read before
    (`supplied`), or none (recognised here)."""
    if pages == DEFER:
        return deferred()
    return supplied(pages) if pages else nullcontext()


@contextmanager
def _mode(mode: Any) -> Iterator[None]:
    token = _MODE.set(mode)
    try:
        yield
    finally:
        _MODE.reset(token)


def scanned_layouts(data: bytes, numbers: Sequence[int], warnings: list[ParseWarning]) -> list:
    """The layouts of the PDF's pages `numbers`, which have no text layer, in page order (the
    PDF reader's way to OCR; see the module's doc for where they come from)."""
    from nlp.ingest import ocr

    mode = _MODE.get()
    if mode == DEFER:
        raise OcrDeferred(numbers)
    if not mode:
        return ocr.pdf_page_layouts(data, numbers, warnings)
    layouts = []
    for number in numbers:
        page = mode.get(number) or read_page(data, number)
        warnings.extend(page.warnings)
        if page.layout is None:
            warnings.append(_failed_warning(page))
        else:
            layouts.append(page.layout)
    return layouts


def _failed_warning(page: PageRead) -> ParseWarning:
    return ParseWarning(
        OCR_PAGE_FAILED,
        f"page {page.number} has no text layer and its OCR did not finish ({page.failure}); "
        "it was skipped",
    )
