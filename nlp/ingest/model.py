"""The document model every reader makes: one clean text, and blocks in reading order.

A `Document` keeps what the source knows instead of flattening it: which lines are headings
(and of what numbering style and level), where a paragraph really ends (a hard-wrapped line is
joined back into its paragraph), and each table as a `Grid` with row and column spans expanded
and blank cells kept as blank positions. Every block, and every printed grid cell, carries
offsets into `Document.text`, the report's one text, so everything found later (a section, a
sentence, a claim, a finding's evidence) can point back into it as spaCy's `start_char` and
`end_char` point into `doc.text`.

A table block's text is its rows, one line each, the printed cells joined by tabs (a merged
cell printed once, a blank cell not at all): the flattened-text reader and the heading finder
read that, the grid reader reads the grid.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import yaml

from nlp.ingest import text as plain
from nlp.report import ParseWarning

HEADING = "heading"
PARAGRAPH = "paragraph"
TABLE = "table"
BLOCK_KINDS = (HEADING, PARAGRAPH, TABLE)
# The most positions a table's expanded grid may have: spans can make millions of positions
# from a few kilobytes (colspan="10000", or rowspans that push every later row's cells further
# right). A table past it is kept as lines of its cells, with a warning.
MAX_GRID_CELLS = 100_000
# The most characters of a document's text, and of one paragraph or cell: a report has 10^4-10^5
# characters; a 10 MB line or a Word file of 10^5 paragraphs would only make every later step
# slow. Text past them is cut, with a warning (`ingest.text_cut`).
MAX_TEXT_CHARS = 1_000_000
MAX_PARAGRAPH_CHARS = 100_000


class GridTooLarge(ValueError):
    """A table whose row and column spans would expand past the grid size limit."""

    def __init__(self, n_rows: int, max_cells: int) -> None:
        super().__init__(f"a table of {n_rows} rows would expand past {max_cells} grid positions")
        self.n_rows = n_rows


@dataclass(frozen=True, slots=True)
class Cell:
    """One position of an expanded grid.

    `origin` is the (row, col) of the merged cell this position belongs to: equal to the
    position itself unless a rowspan or colspan reaches here, in which case `text` repeats the
    merged cell's text. `text` is "" for a blank cell. `start`/`end` are offsets of the printed
    text in `Document.text` (-1 where nothing of this position is printed: a blank, or a
    spanned copy)."""

    text: str
    row: int
    col: int
    origin: tuple[int, int]
    header: bool = False
    start: int = -1
    end: int = -1
    # OCR: the least sure character's recognition probability (None for a text layer), and
    # the other readings the engine offered (its second choices of uncertain digits).
    confidence: float | None = None
    alternatives: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        """How the text was read: "ocr" (recognised from a page image) or "text"."""
        return "text" if self.confidence is None else "ocr"

    @property
    def spanned(self) -> bool:
        """True for a copy made by a rowspan or colspan (the text is printed at `origin`)."""
        return self.origin != (self.row, self.col)

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass(frozen=True)
class Grid:
    """A table as rows × columns, rectangular; `header_rows` leading rows are known headers
    (<thead>/<th> rows, Word's repeated header rows), 0 when the source does not say."""

    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int = 0

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return len(self.rows[0]) if self.rows else 0

    def texts(self) -> list[list[str]]:
        """The grid as strings ("" for blanks; spanned positions repeat their cell's text)."""
        return [[cell.text for cell in row] for row in self.rows]


@dataclass(frozen=True)
class SourceCell:
    """A cell as a source prints it, before spans are expanded (an HTML <td>, a Word w:tc)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    confidence: float | None = None  # OCR: as `Cell.confidence` and `Cell.alternatives`
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """A heading, a paragraph or a table: `Document.text[start:end]` is its text."""

    kind: str
    start: int
    end: int
    level: int | None = None  # headings: 1 for 一、/第一部分, 2 for （一）, 3 for 1., 4 for （1）
    numbering: str | None = None  # headings: the numbering style key (heading_styles.yaml)
    grid: Grid | None = None  # tables


@dataclass
class Document:
    """What ingest makes of one file: `text`, and `blocks` with offsets into it."""

    source: str
    kind: str  # txt, md, html, docx, pdf
    text: str
    blocks: list[Block] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def tables(self, start: int = 0, end: int | None = None) -> list[Block]:
        """The table blocks that begin inside [start, end)."""
        stop = len(self.text) if end is None else end
        return [b for b in self.blocks if b.kind == TABLE and start <= b.start < stop]


# --- heading styles -------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadingStyle:
    key: str
    level: int
    pattern: re.Pattern[str]


@cache
def _heading_spec() -> dict[str, Any]:
    raw = resources.files("nlp.ingest").joinpath("heading_styles.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


@cache
def heading_styles() -> tuple[HeadingStyle, ...]:
    """The numbering styles of headings (`heading_styles.yaml`), most specific first."""
    return tuple(
        HeadingStyle(s["key"], int(s["level"]), re.compile(s["pattern"]))
        for s in _heading_spec()["styles"]
    )


def _heading_limits() -> dict[str, Any]:
    return _heading_spec()["heading_line"]


def numbering(text: str) -> tuple[str, int] | None:
    """(style key, level) of the numbering that opens `text` (一、 （一） 1. …), or None."""
    stripped = text.lstrip(" \t\u3000#*>")
    for style in heading_styles():
        if style.pattern.match(stripped):
            return style.key, style.level
    return None


def is_heading_line(text: str) -> bool:
    """A line that stands as a heading: numbered, short, and not a sentence run on."""
    limits = _heading_limits()
    line = text.strip(" \t\u3000#*>")
    if not line or len(line) > limits["max_chars"] or "\t" in line:
        return False
    if numbering(line) is None:
        return False
    body = line.rstrip(limits["closing_punctuation"])
    return not any(mark in body for mark in limits["sentence_marks"])


# --- building a document ---------------------------------------------------------------------


class DocumentBuilder:
    """Appends blocks in reading order and keeps their offsets; readers of every format use it.

    Blocks are separated by one line break. Paragraph and heading text must not contain a line
    break of its own meaning (a reader joins wrapped lines first); cell text is flattened to
    one line."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []
        self.warnings: list[ParseWarning] = []
        self._cut: set[str] = set()  # what was cut (one warning each)

    @property
    def full(self) -> bool:
        """True once the text holds MAX_TEXT_CHARS: later blocks are dropped (a reader may stop)."""
        if self._length < MAX_TEXT_CHARS:
            return False
        self._warn_cut("text", f"the text passed {MAX_TEXT_CHARS:,} characters (MAX_TEXT_CHARS)")
        return True

    def _bounded(self, text: str) -> str:
        if len(text) <= MAX_PARAGRAPH_CHARS:
            return text
        self._warn_cut(
            "paragraph",
            f"a paragraph or cell of {len(text):,} characters was cut to its first "
            f"{MAX_PARAGRAPH_CHARS:,} (MAX_PARAGRAPH_CHARS)",
        )
        return text[:MAX_PARAGRAPH_CHARS]

    def _warn_cut(self, what: str, message: str) -> None:
        if what not in self._cut:
            self._cut.add(what)
            self.warnings.append(
                ParseWarning("ingest.text_cut", f"{message}: the rest is not read")
            )

    def _append(self, text: str) -> tuple[int, int]:
        if self._parts:
            self._parts.append("\n")
            self._length += 1
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        return start, self._length

    def paragraph(self, text: str) -> None:
        """A paragraph; a numbered short line becomes a heading (with its style and level)."""
        if self.full:
            return
        text = plain.clean(self._bounded(text)).strip()
        if not text:
            return
        if is_heading_line(text):
            self.heading(text)
            return
        start, end = self._append(text)
        self.blocks.append(Block(PARAGRAPH, start, end))

    def heading(self, text: str, level: int | None = None) -> None:
        """A heading; `level` from the source (<h2>, Word's Heading 2) when it has one."""
        if self.full:
            return
        text = plain.clean(self._bounded(text)).strip()
        if not text:
            return
        style = numbering(text)
        start, end = self._append(text)
        key, numbered_level = style if style else (None, None)
        self.blocks.append(Block(HEADING, start, end, numbered_level or level, key))

    def table(self, rows: Sequence[Sequence[SourceCell]], header_rows: int = 0) -> None:
        """A table from its source rows: spans expanded, blanks kept, text laid out by rows.

        A table whose spans would make too large a grid is read with its spans ignored, or,
        still too large, as lines of tab-joined cells without a grid (`ingest.table_too_large`).
        """
        if self.full:
            return
        if any(len(cell.text) > MAX_PARAGRAPH_CHARS for row in rows for cell in row):
            rows = [[replace(c, text=self._bounded(c.text)) for c in row] for row in rows]
        try:
            expanded = _span_grid(rows)
        except GridTooLarge as error:
            expanded = self._unspanned(rows, error)
        if expanded is None:
            return
        if not expanded:
            return
        table_start = self._length + (1 if self._parts else 0)
        placed = [tuple(self._table_row(r, row)) for r, row in enumerate(expanded)]
        end = self._length
        grid = Grid(tuple(placed), header_rows)
        self.blocks.append(Block(TABLE, table_start, end, grid=grid))

    def _unspanned(
        self, rows: Sequence[Sequence[SourceCell]], error: GridTooLarge
    ) -> list[list[_Position | None]] | None:
        flat = [[replace(c, rowspan=1, colspan=1) for c in row] for row in rows]
        try:
            expanded = _span_grid(flat)
            how = "its row and column spans were ignored"
        except GridTooLarge:
            self.text_table(["\t".join(c.text for c in row if c.text) for row in rows])
            expanded, how = None, "its rows were kept as lines of tab-joined cells"
        self.warnings.append(ParseWarning("ingest.table_too_large", f"{error}: {how}"))
        return expanded

    def text_table(self, lines: Sequence[str]) -> None:
        """A table known only as its text lines (tab-separated rows, a broken pipe table): the
        lines are kept as they are, with no grid, for the flattened-text table reader."""
        if self.full:
            return
        rows = [self._bounded(line) for line in lines if line.strip()]
        if not rows:
            return
        start, end = self._append("\n".join(rows))
        self.blocks.append(Block(TABLE, start, end))

    def _table_row(self, r: int, row: list[_Position | None]) -> list[Cell]:
        """The row's cells, each made once with its offsets (a cell printed in the row's line:
        not blank, not a span's copy), and the row's line appended to the text."""
        offset = self._length + (1 if self._parts else 0)
        pieces: list[str] = []
        out: list[Cell] = []
        for c, position in enumerate(row):
            if position is None:
                out.append(Cell("", r, c, (r, c)))
                continue
            text, origin, source = position
            start = end = -1
            if origin == (r, c) and text.strip():
                if pieces:
                    offset += 1  # the tab before this cell
                pieces.append(text)
                start, end = offset, offset + len(text)
                offset = end
            out.append(_cell(position, r, c, start, end))
        self._append("\t".join(pieces))
        return out

    def build(self, source: str, kind: str, warnings: list[ParseWarning] | None = None) -> Document:
        warnings = [*(warnings or []), *self.warnings]
        return Document(source, kind, "".join(self._parts), list(self.blocks), warnings)


# A grid position before it is a `Cell`: its text, the origin of its merged cell, the source cell.
_Position = tuple[str, tuple[int, int], SourceCell]


def expand_spans(
    rows: Sequence[Sequence[SourceCell]], max_cells: int = MAX_GRID_CELLS
) -> list[list[Cell]]:
    """Rows of source cells → a rectangular grid: every rowspan/colspan position filled with a
    copy pointing at its origin; short rows padded with blank cells. Spans are clipped to the
    table (a rowspan past the last row, as Word-pasted markup has, ends with the table).

    Raises `GridTooLarge` when the grid would have more than `max_cells` positions, having done
    no more than `max_cells` steps of work."""
    return [
        [Cell("", r, c, (r, c)) if p is None else _cell(p, r, c) for c, p in enumerate(row)]
        for r, row in enumerate(_span_grid(rows, max_cells))
    ]


def _span_grid(
    rows: Sequence[Sequence[SourceCell]], max_cells: int = MAX_GRID_CELLS
) -> list[list[_Position | None]]:
    """`expand_spans` before the cells are made (None: a blank padding position), so that a
    table's cells are made once, with their offsets (`DocumentBuilder._table_row`)."""
    grid: list[list[_Position | None]] = [[] for _ in rows]  # each as long as its last position
    positions: dict[tuple[int, int], _Position] = {}  # a merged cell's, the same at each place
    for count, (r, c, origin, source) in enumerate(_layout(rows), 1):
        if count > max_cells:
            raise GridTooLarge(len(rows), max_cells)
        position = positions.get(origin)
        if position is None:
            position = positions[origin] = (_cell_text(source.text), origin, source)
        line = grid[r]
        if c == len(line):  # most positions: the next of their row
            line.append(position)
        elif c < len(line):
            line[c] = position
        else:  # past positions covered by nothing (yet): no further than the positions laid out
            line.extend([None] * (c - len(line)))
            line.append(position)
    width = max(map(len, grid), default=0)
    if not rows or width == 0:
        return []
    if len(rows) * width > max_cells:
        raise GridTooLarge(len(rows), max_cells)
    for line in grid:
        line.extend([None] * (width - len(line)))
    return grid


@lru_cache(maxsize=8192)  # cells repeat: "0", blanks, the row labels of every report
def _cell_text(text: str) -> str:
    """A cell's text as the grid keeps it: clean, its lines and spaces joined (`join_wrapped`)."""
    return plain.join_wrapped(plain.clean(text))


def _cell(position: _Position, r: int, c: int, start: int = -1, end: int = -1) -> Cell:
    text, origin, source = position
    return Cell(
        text, r, c, origin, source.header, start, end, source.confidence, source.alternatives
    )


def grid_size(rows: Sequence[Sequence[SourceCell]], limit: int = MAX_GRID_CELLS) -> int:
    """How many positions `expand_spans` would make of `rows` (rows × columns), or `limit + 1`
    as soon as that is known to pass `limit`: the work is linear in the source cells plus
    min(size, limit), however far the spans push."""
    width = 0
    for count, (_, c, _, _) in enumerate(_layout(rows), 1):
        if count > limit:
            return limit + 1
        width = max(width, c + 1)
    return min(len(rows) * width, limit + 1)


def _layout(
    rows: Sequence[Sequence[SourceCell]],
) -> Iterator[tuple[int, int, tuple[int, int], SourceCell]]:
    """Each grid position a source cell covers, in order: (row, col, the cell's origin, cell).

    A cell starts at the first position of its row not covered by a rowspan from above; each
    covered position is stepped over once, so the walk costs what it yields."""
    covered: set[tuple[int, int]] = set()  # positions of later rows under a rowspan
    for r, row in enumerate(rows):
        c = 0
        for source in row:
            while (r, c) in covered:
                c += 1
            if source.rowspan <= 1 and source.colspan <= 1:  # most cells: one position
                yield r, c, (r, c), source
                c += 1
                continue
            rowspan = max(1, min(source.rowspan, len(rows) - r))
            colspan = max(1, source.colspan)
            for dc in range(colspan):
                yield r, c + dc, (r, c), source
            for dr in range(1, rowspan):
                for dc in range(colspan):
                    covered.add((r + dr, c + dc))
                    yield r + dr, c + dc, (r, c), source
            c += colspan
