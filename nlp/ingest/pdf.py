"""PDF → a `Document` with pdfplumber: ruled tables as grids, the other text as paragraphs.

The pages' characters and drawings come from PDFium (`nlp.ingest.pdf_pdfium`; reading is
3–8× faster than with pdfminer, benchmarks/bench_pdf.py) as the objects pdfminer would give,
and pdfplumber's geometry runs on them; pdfminer reads what PDFium cannot stand in for (a file cut short, a rotated page).
Work is bounded per page (`PdfLimits`): pages read, characters per page, ruled cells per page.

`extract_text()` alone is not enough: the label of a merged cell is centred vertically, so a
row's numbers land on another line than its label. Ruled tables (WPS and Word exports draw the
grid) are read with `find_tables()` as grids (`nlp.ingest.pdf_tables`); a table that goes on at
the top of the next page is one table. Ruling drawn in white is invisible on paper and is no
table: WPS paints a white box behind every line of text, which `find_tables()` would otherwise
take for a one-column table around the narrative.

Text outside tables is grouped into lines by position; a wide horizontal gap becomes a tab, so
columns of unruled tables survive as tab-separated lines. Lines are joined back into paragraphs
by the page geometry: a line goes on in the next when it reaches the right edge of the text
column without ending a sentence, and the next line is neither indented (a Chinese paragraph
starts two characters in) nor a heading. Page headers and footers (`- 3 -`, `第 3 页`, a line
repeated at the top or bottom of every page) are dropped, so a paragraph or a table goes on
across the page break.
"""

from __future__ import annotations

import io
import re
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from operator import itemgetter

import pdfplumber
from pdfminer.pdftypes import resolve1
from pdfplumber.utils import extract_words

from nlp.ingest import ocr, ocr_pages, pdf_pdfium
from nlp.ingest.lines import ends_sentence, is_furniture, join_lines
from nlp.ingest.model import Document, DocumentBuilder, is_heading_line
from nlp.ingest.pdf_chars import deduped, upright_words
from nlp.ingest.pdf_streams import check_stream_sizes
from nlp.ingest.pdf_tables import PageTable, continue_table, page_tables
from nlp.report import ParseWarning, ReadError

LINE_TOLERANCE = 3.0  # points: words whose tops differ less share a line
COLUMN_GAP_FACTOR = 1.5  # a gap wider than this many median character widths is a column break
# A line is full when it ends within this many character widths of the text column's right
# edge; it starts indented when it begins at least this many widths right of the left edge.
FULL_LINE_SLACK = 1.5
INDENT_MIN = 1.0
EDGE_PERCENTILE = 0.9  # the column's edges: where this share of the lines stay inside
MAX_FURNITURE_LINES = 2  # header or footer lines dropped at each edge of a page, at most
# A line at the same edge of all pages but one is a running header or footer; with fewer
# pages, the same line twice is as likely the report's own text.
MIN_PAGES_FOR_RUNNING_LINES = 3
NO_TEXT_PAGE = "ingest.pdf_no_text_page"
PAGE_ERROR = "ingest.pdf_page_error"
# Pages read at most: an annual report has 5–40; a 500-page PDF is an annex or a compilation,
# and reading every page would take minutes. The rest is cut with a warning.
MAX_PAGES = 150
PAGES_CUT = "ingest.pages_cut"
PAGE_CHARS_CUT = "ingest.pdf_page_chars_cut"
# The engine that reads the pages: "pdfium" (PDFium through pypdfium2, fast) or "pdfplumber"
# (pdfminer, what PDFium cannot stand in for: files cut short, rotated pages).
ENGINE = "pdfium"
TRUNCATED = "ingest.truncated"
ENCRYPTED_REASON = (
    "the PDF is encrypted (password protected): it cannot be read without its password"
)
DAMAGED_REASON = "the PDF cannot be opened (truncated or corrupt file)"
# The start of the document catalog object; bounded repeats keep the search linear.
CATALOG_OBJECT = re.compile(
    rb"(?<!\d)(\d{1,10})\s{1,10}(\d{1,5})\s{1,10}obj\s{0,10}<<[^>]{0,1000}/Type\s{0,10}/Catalog"
)
# A CID font's character collection (Adobe-GB1 …), from the start of its predefined encoding's
# name without "Uni": UniGB-UCS2-H and GBK-EUC-H are Adobe-GB1.
CID_ORDERINGS = {
    "GB": b"GB1",
    "CNS": b"CNS1",
    "B5": b"CNS1",
    "ETen": b"CNS1",
    "JIS": b"Japan1",
    "90": b"Japan1",
    "KS": b"Korea1",
}
UNMAPPED_GLYPHS = "ingest.pdf_unmapped_glyphs"
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
DIGITS = re.compile(r"[0-9０-９]+")
TOP_LEFT, LEFT = itemgetter("top", "x0"), itemgetter("x0")


@dataclass(frozen=True)
class PdfLimits:
    """Work bounded per PDF and per page, so that one hostile file cannot stall a batch.

    A report page holds 1,000–3,000 characters and tables of a few hundred cells; a page of
    60,000 characters or a ruled grid of 27,000 cells is no report page, and reading it whole
    takes minutes. Past a limit the rest of the page (its characters after the first
    `page_chars`, or the tables of a page ruled for more than `page_cells` cells, read as text
    lines instead) is left with a warning."""

    pages: int = MAX_PAGES
    page_chars: int = 20_000
    page_cells: int = 3_000


DEFAULT_LIMITS = PdfLimits()


@dataclass(frozen=True)
class TextLine:
    """A line of text outside the tables of a page, with its horizontal extent."""

    text: str
    top: float
    x0: float
    x1: float


@dataclass(frozen=True)
class PageLayout:
    """A page's text lines and tables in reading order, and its median character width."""

    number: int
    items: tuple[TextLine | PageTable, ...]
    char_width: float


def read_pdf(data: bytes, source: str, limits: PdfLimits = DEFAULT_LIMITS) -> Document:
    """The readable pages as one document; ReadError when no page has text."""
    check_stream_sizes(data, source)
    warnings: list[ParseWarning] = []
    layouts: list[PageLayout] = []
    scanned: list[int] = []
    with _page_loaders(data, source, warnings, limits) as loaders:
        for number, load in enumerate(loaders, start=1):
            layout = _read_page_safely(load, number, warnings, limits)
            if layout is not None and layout.items:
                layouts.append(layout)
            elif warnings and warnings[-1].code == NO_TEXT_PAGE:
                scanned.append(number)
    kind = "pdf"
    # The pages of a PDF cut short lost their content, not their text layer: no OCR for them.
    truncated = any(w.code == TRUNCATED for w in warnings)
    if scanned and ocr.available() and not truncated:
        layouts = _with_scanned_pages(data, layouts, scanned, warnings)
        kind = ocr.OCR_KIND
    if not layouts:
        raise ReadError(source, _no_text_reason(len(loaders), warnings))
    document = build_document(layouts, source, warnings)
    document.kind = kind
    document.warnings.extend(_unmapped_glyph_warnings(document.text))
    return document


PageLoader = Callable[[], object]


@contextmanager
def _page_loaders(
    data: bytes, source: str, warnings: list[ParseWarning], limits: PdfLimits
) -> Iterator[list[PageLoader]]:
    """One loader per page to read, each giving a pdfplumber page: from PDFium
    (`nlp.ingest.pdf_pdfium`) where it reads the page as pdfminer would, else from pdfplumber
    itself (a file cut short, which pdfminer is mended to read; a rotated page)."""
    document = _open_pdfium(data, source) if ENGINE == "pdfium" else None
    if document is None:
        with _open(data, source, warnings) as pdf:
            pages = _pages(pdf, source)
            count = _first_pages(len(pages), warnings, limits)
            yield [partial(_plumber_page, page) for page in pages[:count]]
        return
    plumber = _LazyPlumber(data, source, warnings)
    try:
        if not len(document):
            raise ReadError(source, "the PDF has no pages")
        count = _first_pages(len(document), warnings, limits)
        yield [partial(_pdfium_page, document, i, limits, warnings, plumber) for i in range(count)]
    finally:
        pdf_pdfium.close_document(document)
        plumber.close()


class _LazyPlumber:
    """pdfplumber's reading of the same file, opened only when a page needs it."""

    def __init__(self, data: bytes, source: str, warnings: list[ParseWarning]):
        self._data, self._source, self._warnings = data, source, warnings
        self._pdf: pdfplumber.PDF | None = None

    def page(self, index: int):
        if self._pdf is None:
            self._pdf = _open(self._data, self._source, self._warnings)
        return self._pdf.pages[index]

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _open_pdfium(data: bytes, source: str):
    """The PDF opened by PDFium with the empty user password (a copy-protected PDF needs no
    more); None when the file is cut short or PDFium cannot open it, for pdfplumber to try."""
    if not _ends_whole(data):
        return None
    try:
        return pdf_pdfium.open_document(data)
    except pdf_pdfium.PasswordRequired as error:
        raise ReadError(source, ENCRYPTED_REASON, detail=str(error)) from error
    except Exception:  # PDFium refuses a damaged file: pdfplumber's error or mending decides
        return None


def _ends_whole(data: bytes) -> bool:
    """The file ends with its end-of-file marker (an interrupted download lost it)."""
    return b"%%EOF" in data[-1024:]


def _pdfium_page(
    document, index: int, limits: PdfLimits, warnings: list[ParseWarning], plumber: _LazyPlumber
):
    read = pdf_pdfium.read_page(document, index, limits.page_chars, keep_paint=_painted)
    if read is None:
        return plumber.page(index)
    page, total = read
    if total > limits.page_chars:
        warnings.append(_chars_cut_warning(index + 1, total, limits))
    if page.unmapped_glyphs:  # pdfminer writes these as (cid:N), counted in the text instead
        warnings.append(
            ParseWarning(
                UNMAPPED_GLYPHS,
                f"page {index + 1}: {page.unmapped_glyphs} glyphs have no Unicode mapping in "
                "the PDF's fonts; their text is a guess",
            )
        )
    return page


def _plumber_page(page):
    return page


def _chars_cut_warning(number: int, total: int, limits: PdfLimits) -> ParseWarning:
    return ParseWarning(
        PAGE_CHARS_CUT,
        f"page {number} has {total} characters; only the first {limits.page_chars} were read "
        "(PdfLimits.page_chars)",
    )


def _within_char_limit(page, number: int, limits: PdfLimits, warnings: list[ParseWarning]):
    """The page with its first `page_chars` characters (pdfplumber's pages; PDFium's are cut
    while they are read)."""
    chars = page.chars
    if len(chars) <= limits.page_chars or isinstance(page, pdf_pdfium.PdfiumPage):
        return page
    warnings.append(_chars_cut_warning(number, len(chars), limits))
    kept = {id(char) for char in chars[: limits.page_chars]}
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) in kept)


def _with_scanned_pages(
    data: bytes, layouts: list[PageLayout], scanned: list[int], warnings: list[ParseWarning]
) -> list[PageLayout]:
    """The pages with text, and the scanned pages read by OCR (`nlp.ingest.ocr`), in order."""
    warnings[:] = [w for w in warnings if w.code != NO_TEXT_PAGE]
    read = ocr_pages.scanned_layouts(data, scanned, warnings)  # or a batch's page tasks
    warnings.extend(
        ParseWarning(
            NO_TEXT_PAGE,
            f"page {page.number} has no text layer and OCR recognised no text on it; "
            "it was skipped",
        )
        for page in read
        if not page.items
    )
    return sorted([*layouts, *(page for page in read if page.items)], key=lambda p: p.number)


def _first_pages(count: int, warnings: list[ParseWarning], limits: PdfLimits) -> int:
    """How many pages to read: all, or the first `limits.pages` with a warning."""
    if count <= limits.pages:
        return count
    warnings.append(
        ParseWarning(
            PAGES_CUT,
            f"the PDF has {count} pages; only the first {limits.pages} were read (PdfLimits.pages)",
        )
    )
    return limits.pages


def _open(data: bytes, source: str, warnings: list[ParseWarning]) -> pdfplumber.PDF:
    """The PDF opened with the empty user password, which is all a copy-protected (owner
    password) PDF needs; a PDF cut short is opened from the objects that arrived whole."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as error:  # pdfminer raises many unrelated types on damaged files
        if _is_password_error(error):
            raise ReadError(source, ENCRYPTED_REASON, detail=_cause(error)) from error
        pdf = _open_truncated(data, warnings)
        if pdf is None:
            raise ReadError(source, DAMAGED_REASON, detail=_cause(error)) from error
    if pdf.doc.encryption:
        _mend_cid_system_info(pdf)
    return pdf


def _open_truncated(data: bytes, warnings: list[ParseWarning]) -> pdfplumber.PDF | None:
    """An interrupted download loses the end of the file, where the cross-reference table and
    the trailer live: keep the objects up to the last whole one and name the catalog in a new
    trailer, so that pdfminer finds the pages by scanning the objects."""
    end = data.rfind(b"endobj")
    catalog = CATALOG_OBJECT.search(data, 0, end)
    if end < 0 or catalog is None:
        return None
    mended = data[: end + len(b"endobj")] + b"\ntrailer\n<< /Root %s %s R >>\n" % catalog.groups()
    try:
        pdf = pdfplumber.open(io.BytesIO(mended))
    except Exception:  # not a truncation that keeping the whole objects can mend
        return None
    warnings.append(
        ParseWarning(
            TRUNCATED,
            f"the PDF is cut short or damaged at its end ({len(data) - end - 6} bytes after the "
            "last whole object; an interrupted download?); the pages were read as far as they "
            "are intact",
        )
    )
    return pdf


def _mend_cid_system_info(pdf: pdfplumber.PDF) -> None:
    """Some writers leave the CID fonts' Registry and Ordering strings unencrypted in an
    encrypted PDF; decrypted, they become noise, pdfminer finds no Unicode map for the font and
    every glyph reads as (cid:N). The font's predefined encoding names the character
    collection, so the strings are put back from it (in pdfminer's cache of the objects, before
    any page is read)."""
    for page in pdf.pages[:MAX_PAGES]:
        fonts = resolve1(page.page_obj.resources.get("Font"))
        for spec in (fonts or {}).values() if isinstance(fonts, dict) else ():
            spec = resolve1(spec)
            if isinstance(spec, dict):
                _mend_font(spec)


def _mend_font(spec: dict) -> None:
    ordering = _ordering_of(spec.get("Encoding"))
    descendants = resolve1(spec.get("DescendantFonts"))
    if ordering is None or not isinstance(descendants, list):
        return
    for descendant in descendants:
        info = resolve1(resolve1(descendant).get("CIDSystemInfo")) if descendant else None
        if isinstance(info, dict) and not _is_plain_name(info.get("Ordering")):
            info["Registry"], info["Ordering"] = b"Adobe", ordering


def _ordering_of(encoding) -> bytes | None:
    name = getattr(resolve1(encoding), "name", None)
    if not isinstance(name, str):
        return None
    name = name.removeprefix("Uni")
    return next(
        (ordering for prefix, ordering in CID_ORDERINGS.items() if name.startswith(prefix)), None
    )


def _is_plain_name(value) -> bool:
    value = resolve1(value)
    return isinstance(value, bytes) and value.isascii() and value.isalnum()


def _pages(pdf: pdfplumber.PDF, source: str) -> list:
    try:
        pages = list(pdf.pages)
    except Exception as error:
        if _is_password_error(error):
            raise ReadError(source, ENCRYPTED_REASON, detail=_cause(error)) from error
        raise ReadError(source, DAMAGED_REASON, detail=_cause(error)) from error
    if not pages:
        raise ReadError(source, "the PDF has no pages")
    return pages


def _causes(error: BaseException) -> list[BaseException]:
    """The error and what it wraps: pdfplumber's PdfminerException carries pdfminer's own
    error (PDFPasswordIncorrect, with an empty message) as its argument."""
    chain = [error]
    while len(chain) < 10:
        inner = chain[-1].args[0] if chain[-1].args else None
        inner = inner if isinstance(inner, BaseException) else chain[-1].__cause__
        if inner is None or inner in chain:
            break
        chain.append(inner)
    return chain


def _is_password_error(error: BaseException) -> bool:
    return any("password" in f"{type(cause).__name__} {cause}".lower() for cause in _causes(error))


def _cause(error: BaseException) -> str:
    return " ← ".join(
        f"{type(cause).__name__}: {cause}".removesuffix(": ") for cause in _causes(error)
    )


def _read_page_safely(
    load: PageLoader, number: int, warnings: list[ParseWarning], limits: PdfLimits
) -> PageLayout | None:
    try:
        page = _within_char_limit(load(), number, limits, warnings)
        if not page.chars and getattr(page, "damaged_text", False):  # PDFium's pages say so
            warnings.append(
                ParseWarning(
                    PAGE_ERROR,
                    f"page {number} holds text whose characters could not be read (a damaged "
                    "page, not a scan); it was skipped",
                )
            )
            return None
        if not page.chars:
            warnings.append(
                ParseWarning(
                    NO_TEXT_PAGE,
                    f"page {number} has no text layer (a scanned page?); it was skipped: "
                    f"reading it needs OCR ({ocr.EXTRA})",
                )
            )
            return None
        return page_layout(page, number, limits, warnings)
    except Exception as error:  # a damaged page must not cost the other pages
        warnings.append(
            ParseWarning(
                PAGE_ERROR,
                f"page {number} could not be read ({type(error).__name__}: {error}); "
                "the other pages were kept",
            )
        )
        return None


def _no_text_reason(page_count: int, warnings: list[ParseWarning]) -> str:
    unfinished = [w.message for w in warnings if w.code == ocr_pages.OCR_PAGE_FAILED]
    if unfinished:
        return f"the PDF has no text layer and the OCR of its pages did not finish: {unfinished[0]}"
    if any(w.code == PAGE_ERROR for w in warnings):
        return (
            f"none of the {page_count} pages of the PDF could be read (truncated or corrupt file)"
        )
    return (
        f"the PDF has no text layer on any of its {page_count} pages: it is a scan; "
        f"reading it needs OCR: install the ocr extra ({ocr.EXTRA})"
    )


# --- one page --------------------------------------------------------------------------------


def page_layout(
    page, number: int, limits: PdfLimits = DEFAULT_LIMITS, warnings: list | None = None
) -> PageLayout:
    """One page as text lines and tables, ordered by their vertical position."""
    page = deduped(page, keep_shape=_visible)
    tables = page_tables(page, number, limits.page_cells, warnings)
    outside = _outside(page.chars, [table.bbox for table in tables])
    char_width = _median_char_width(page)
    items: list[TextLine | PageTable] = [*tables, *_text_lines(outside, char_width)]
    items.sort(key=lambda item: item.top)
    return PageLayout(number, tuple(items), char_width)


def _visible(obj: dict) -> bool:
    """False for a rectangle, line or curve painted only in white (invisible on paper)."""
    return obj.get("object_type") not in ("rect", "line", "curve") or _painted(obj)


def _painted(obj: dict) -> bool:
    """The shape's paint (stroke, fill and their colours) shows on paper: not only white."""
    stroked = obj.get("stroke") and not _is_white(obj.get("stroking_color"))
    filled = obj.get("fill") and not _is_white(obj.get("non_stroking_color"))
    return bool(stroked or filled)


def _is_white(color) -> bool:
    if not isinstance(color, tuple | list) or not color:
        return False
    values = [float(v) for v in color if isinstance(v, int | float)]
    if len(values) != len(color):
        return False
    if len(values) == 4:  # CMYK: no ink
        return all(v == 0 for v in values)
    return all(v == 1 for v in values)  # gray or RGB


def _outside(chars: list[dict], boxes: list[tuple[float, float, float, float]]) -> list[dict]:
    """The characters whose centre lies in none of the boxes (the tables)."""
    if not boxes:
        return chars
    outside = []
    for char in chars:
        x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
        for x0, top, x1, bottom in boxes:
            if x0 <= x <= x1 and top <= y <= bottom:
                break
        else:
            outside.append(char)
    return outside


def _median_char_width(page) -> float:
    widths = [char["width"] for char in page.chars if char["text"].strip()]
    return statistics.median(widths) if widths else 10.0


def _text_lines(chars: list[dict], char_width: float) -> list[TextLine]:
    # `page.extract_words()`: pdfplumber's words of the page's characters
    words = upright_words(chars)
    if words is None:
        words = extract_words(chars)
    column_gap = COLUMN_GAP_FACTOR * char_width
    return [
        TextLine(_join_words(line, column_gap), line[0]["top"], line[0]["x0"], line[-1]["x1"])
        for line in _lines(words)
    ]


def _lines(words: Iterable[dict]) -> list[list[dict]]:
    lines: list[list[dict]] = []
    for word in sorted(words, key=TOP_LEFT):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=LEFT) for line in lines]


def _join_words(line: list[dict], column_gap: float) -> str:
    parts = [line[0]["text"]]
    for previous, word in zip(line, line[1:], strict=False):
        parts.append("\t" if word["x0"] - previous["x1"] > column_gap else " ")
        parts.append(word["text"])
    return "".join(parts)


# --- the document ----------------------------------------------------------------------------


def build_document(
    layouts: Sequence[PageLayout], source: str, warnings: list[ParseWarning]
) -> Document:
    """The pages as one document: furniture dropped, split tables joined, lines joined into
    paragraphs."""
    items = _reading_order(_without_furniture(layouts))
    column = _TextColumn.of(items, statistics.median(p.char_width for p in layouts))
    builder = DocumentBuilder()
    paragraph: list[TextLine] = []
    tab_rows: list[str] = []
    for item in items:
        if isinstance(item, TextLine) and "\t" in item.text:
            _flush_paragraph(builder, paragraph)
            tab_rows.append(item.text)
            continue
        _flush_tab_rows(builder, tab_rows)
        if isinstance(item, PageTable):
            _flush_paragraph(builder, paragraph)
            builder.table(item.rows, item.header_rows)
        elif paragraph and column.goes_on(paragraph[-1], item):
            paragraph.append(item)
        else:
            _flush_paragraph(builder, paragraph)
            paragraph.append(item)
    _flush_paragraph(builder, paragraph)
    _flush_tab_rows(builder, tab_rows)
    return builder.build(source, "pdf", warnings)


def _flush_paragraph(builder: DocumentBuilder, lines: list[TextLine]) -> None:
    if lines:
        builder.paragraph(join_lines([line.text for line in lines]))
        lines.clear()


def _flush_tab_rows(builder: DocumentBuilder, rows: list[str]) -> None:
    """Lines of an unruled table (columns apart by wide gaps): kept as lines, with no grid,
    for the flattened-text table reader."""
    if rows:
        builder.text_table(rows)
        rows.clear()


@dataclass(frozen=True)
class _TextColumn:
    """The left and right edges of the body text, and the character width."""

    left: float
    right: float
    char_width: float

    @classmethod
    def of(cls, items: Sequence[TextLine | PageTable], char_width: float) -> _TextColumn:
        lines = [i for i in items if isinstance(i, TextLine) and "\t" not in i.text]
        if not lines:
            return cls(0.0, 0.0, char_width)
        return cls(
            _percentile([line.x0 for line in lines], 1 - EDGE_PERCENTILE),
            _percentile([line.x1 for line in lines], EDGE_PERCENTILE),
            char_width,
        )

    def goes_on(self, line: TextLine, following: TextLine) -> bool:
        """`following` continues `line`'s paragraph."""
        full = line.x1 >= self.right - FULL_LINE_SLACK * self.char_width
        indented = following.x0 >= self.left + INDENT_MIN * self.char_width
        return (
            full
            and not indented
            and not ends_sentence(line.text)
            and not is_heading_line(following.text)
        )


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _without_furniture(layouts: Sequence[PageLayout]) -> list[PageLayout]:
    """The pages without their header and footer lines: a page-number line, or a line
    repeated (digits aside) at the same edge of every page."""
    repeated = _repeated_edge_lines(layouts)
    return [
        PageLayout(page.number, _strip_edges(page.items, repeated), page.char_width)
        for page in layouts
    ]


def _repeated_edge_lines(layouts: Sequence[PageLayout]) -> set[str]:
    if len(layouts) < MIN_PAGES_FOR_RUNNING_LINES:
        return set()
    repeated: set[str] = set()
    for edge in (0, -1):
        keys = Counter(
            _furniture_key(page.items[edge])
            for page in layouts
            if page.items
            and isinstance(page.items[edge], TextLine)
            and "\t" not in page.items[edge].text  # a table row is no running header
        )
        repeated |= {key for key, n in keys.items() if n >= len(layouts) - 1}
    return repeated


def _furniture_key(line: TextLine) -> str:
    return DIGITS.sub("#", line.text.strip())


def _strip_edges(
    items: tuple[TextLine | PageTable, ...], repeated: set[str]
) -> tuple[TextLine | PageTable, ...]:
    def furniture(item: TextLine | PageTable) -> bool:
        return isinstance(item, TextLine) and (
            is_furniture(item.text) or _furniture_key(item) in repeated
        )

    start, end = 0, len(items)
    while start < min(end, MAX_FURNITURE_LINES) and furniture(items[start]):
        start += 1
    while end > max(start, len(items) - MAX_FURNITURE_LINES) and furniture(items[end - 1]):
        end -= 1
    return items[start:end]


def _reading_order(layouts: Sequence[PageLayout]) -> list[TextLine | PageTable]:
    """All pages' items in order; a table at the top of a page that goes on from a table at
    the bottom of the page before becomes part of it."""
    items: list[TextLine | PageTable] = []
    previous_number = None
    for page in layouts:
        page_items = list(page.items)
        follows = previous_number == page.number - 1
        if follows and items and page_items and isinstance(items[-1], PageTable):
            joined = continue_table(items[-1], page_items[0])
            if joined is not None:
                items[-1] = joined
                page_items.pop(0)
        items.extend(page_items)
        previous_number = page.number
    return items


def _unmapped_glyph_warnings(text: str) -> list[ParseWarning]:
    count = len(UNMAPPED_GLYPH.findall(text))
    if not count:
        return []
    return [
        ParseWarning(
            UNMAPPED_GLYPHS,
            f"{count} glyphs have no Unicode mapping in the PDF's fonts and appear as (cid:N)",
        )
    ]
