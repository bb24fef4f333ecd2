"""Ruled PDF tables → rows of source cells, and tables that go on across a page break.

pdfplumber's `find_tables()` gives each cell's box. A box that covers several column or row
lines of the table is a merged cell: its colspan is the number of columns whose left edge lies
inside it, its rowspan the number of rows whose top does. `extract()` gives None at a position a
merged cell covers and "" for an empty cell, so a blank cell stays a blank at its position.

A table at the top of a page goes on from the table at the bottom of the page before when both
have the same number of columns: its rows that repeat the first table's header are dropped
(they are known header rows then), and a merged cell that was cut by the page break (a group
label, blank in the continued part) is carried over.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import itemgetter

from pdfplumber.utils import extract_text
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE as X_TOLERANCE
from pdfplumber.utils.text import LIGATURES

from nlp.ingest.model import SourceCell, expand_spans
from nlp.report import ParseWarning

GRID_CUT = "ingest.pdf_page_grid_cut"
X0 = itemgetter("x0")
EDGE_TOLERANCE = 1.0  # points: a column or row line this close to a box edge is that edge


@dataclass(frozen=True)
class PageTable:
    """A ruled table of a page as source rows, `width` columns wide."""

    top: float
    bbox: tuple[float, float, float, float]
    rows: tuple[tuple[SourceCell, ...], ...]
    width: int
    header_rows: int = 0


def page_tables(
    page, number: int = 0, max_cells: int | None = None, warnings: list | None = None
) -> list[PageTable]:
    """The ruled tables of a page; a table of one column is a frame around text, not a table.
    A page ruled for more than `max_cells` cells has its tables read as text (with a warning
    in `warnings`): finding the cells of a huge grid takes minutes."""
    ruled = _ruled_cells(page.edges)
    if max_cells is not None and ruled > max_cells:
        if warnings is not None:
            warnings.append(
                ParseWarning(
                    GRID_CUT,
                    f"page {number} is ruled for about {ruled} table cells, more than "
                    f"{max_cells} (PdfLimits.page_cells): its tables were read as text lines",
                )
            )
        return []
    tables = []
    settings = {"explicit_horizontal_lines": _closing_rules(page.edges)}
    for table in page.find_tables(table_settings=settings):
        columns = sorted({cell[0] for cell in table.cells})
        if len(columns) > 1:
            tables.append(PageTable(table.bbox[1], table.bbox, _source_rows(table), len(columns)))
    return tables


def _ruled_cells(edges: Sequence[dict]) -> int:
    """The cells a page's ruling can make at most: rows between its horizontal rules times
    columns between its vertical ones (rules at the same position counted once)."""
    rows = {round(e["top"]) for e in edges if e["orientation"] == "h"}
    columns = {round(e["x0"]) for e in edges if e["orientation"] == "v"}
    return max(0, len(rows) - 1) * max(0, len(columns) - 1)


def _closing_rules(edges: Sequence[dict]) -> list[dict]:
    """Horizontal rules where vertical rules end with none drawn: a table cut at the bottom
    (or top) of a page leaves its last row open, and pdfplumber only finds closed cells."""
    horizontals = [e for e in edges if e["orientation"] == "h"]
    open_ends: list[tuple[float, float]] = []
    for edge in edges:
        if edge["orientation"] != "v":
            continue
        for y in (edge["top"], edge["bottom"]):
            if not any(_meets(h, edge["x0"], y) for h in horizontals):
                open_ends.append((y, edge["x0"]))
    rules = []
    for y, xs in _by_height(open_ends).items():
        if len(xs) > 1:
            x0, x1 = min(xs), max(xs)
            rules.append(
                {
                    "x0": x0,
                    "x1": x1,
                    "top": y,
                    "bottom": y,
                    "width": x1 - x0,
                    "height": 0,
                    "object_type": "line",
                }
            )
    return rules


def _meets(horizontal: dict, x: float, y: float) -> bool:
    return (
        abs(horizontal["top"] - y) <= EDGE_TOLERANCE
        and horizontal["x0"] - EDGE_TOLERANCE <= x <= horizontal["x1"] + EDGE_TOLERANCE
    )


def _by_height(points: Sequence[tuple[float, float]]) -> dict[float, list[float]]:
    groups: dict[float, list[float]] = {}
    for y, x in sorted(points):
        key = next((k for k in groups if abs(k - y) <= EDGE_TOLERANCE), y)
        groups.setdefault(key, []).append(x)
    return groups


def _source_rows(table) -> tuple[tuple[SourceCell, ...], ...]:
    columns = sorted({cell[0] for cell in table.cells})
    tops = sorted({cell[1] for cell in table.cells})
    covered: set[tuple[int, int]] = set()
    rows = []
    for r, (row, texts) in enumerate(zip(table.rows, _cell_texts(table), strict=True)):
        cells = []
        for c, (box, text) in enumerate(zip(row.cells, texts, strict=True)):
            if box is None:
                if (r, c) not in covered:  # a gap in the ruling: a blank position
                    cells.append(SourceCell(""))
                continue
            rowspan = _lines_inside(tops, box[1], box[3])
            colspan = _lines_inside(columns, box[0], box[2])
            covered.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            cells.append(SourceCell(text or "", rowspan, colspan))
        rows.append(tuple(cells))
    return tuple(rows)


def _cell_texts(table) -> list[list[str | None]]:
    """`table.extract()`: each cell's text from the characters whose centre lies in it (None
    where a merged cell covers the position). pdfplumber tests every character of the page
    against every row; here a row's characters are found by bisection on their heights, then
    put back in page order, so the texts are the same."""
    chars = table.page.chars
    middles = sorted(
        ((char["top"] + char["bottom"]) / 2, i, (char["x0"] + char["x1"]) / 2)
        for i, char in enumerate(chars)
    )
    heights = [middle[0] for middle in middles]
    texts = []
    for row in table.rows:
        x0, top, x1, bottom = row.bbox
        start, end = bisect_left(heights, top), bisect_left(heights, bottom)
        inside = sorted(i for _, i, h_mid in middles[start:end] if x0 <= h_mid < x1)
        row_chars = [chars[i] for i in inside]
        texts.append([_cell_text(cell, row_chars) for cell in row.cells])
    return texts


def _cell_text(cell: tuple | None, row_chars: list[dict]) -> str | None:
    if cell is None:
        return None
    x0, top, x1, bottom = cell
    inside = [
        char
        for char in row_chars
        if x0 <= (char["x0"] + char["x1"]) / 2 < x1
        and top <= (char["top"] + char["bottom"]) / 2 < bottom
    ]
    if not inside:
        return ""
    return _one_line_text(inside) or extract_text(inside)


def _one_line_text(chars: list[dict]) -> str | None:
    """pdfplumber's `extract_text(chars)` for the common cell, upright characters on one
    baseline: its words (split at blanks and at gaps wider than its x tolerance) joined by
    spaces, left to right; None for any other cell, which pdfplumber reads (at ten times the
    cost of this)."""
    top = chars[0]["top"]
    if not all(char["upright"] and char["top"] == top and char["text"] for char in chars):
        return None
    words: list[str] = []
    word: list[str] = []
    end = None
    for char in sorted(chars, key=X0):
        text = char["text"]
        if text.isspace() or (end is not None and char["x0"] > end + X_TOLERANCE):
            if word:
                words.append("".join(word))
            word = [] if text.isspace() else [LIGATURES.get(text, text)]
        else:
            word.append(LIGATURES.get(text, text))
        end = char["x1"]
    if word:
        words.append("".join(word))
    return " ".join(words)


def _lines_inside(lines: Sequence[float], start: float, end: float) -> int:
    return max(1, sum(start - EDGE_TOLERANCE <= line < end - EDGE_TOLERANCE for line in lines))


# --- a table split over pages ----------------------------------------------------------------


def continue_table(table: PageTable, following: object) -> PageTable | None:
    """`table` with `following`'s rows appended when `following` (the first item of the next
    page) is the same table going on; None when it is not."""
    if not isinstance(following, PageTable) or following.width != table.width:
        return None
    repeated = _repeated_header_rows(table.rows, following.rows)
    rows = [list(row) for row in table.rows]
    more = [list(row) for row in following.rows[repeated:]]
    if more:
        _carry_cut_cells(rows, more)
    return replace(
        table,
        rows=tuple(tuple(row) for row in rows + more),
        header_rows=max(table.header_rows, repeated),
    )


def _repeated_header_rows(
    rows: Sequence[Sequence[SourceCell]], following: Sequence[Sequence[SourceCell]]
) -> int:
    """How many leading rows of `following` repeat the leading rows of `rows` (0 when a
    merged cell would be cut where they end)."""
    first, second = _texts(rows), _texts(following)
    count = 0
    while count < min(len(first), len(second) - 1) and first[count] == second[count]:
        count += 1
    crosses = any(
        r + cell.rowspan > count for r, row in enumerate(following[:count]) for cell in row
    )
    return 0 if crosses else count


def _texts(rows: Sequence[Sequence[SourceCell]]) -> list[list[str]]:
    return [[cell.text for cell in row] for row in expand_spans(rows)]


def _carry_cut_cells(rows: list[list[SourceCell]], more: list[list[SourceCell]]) -> None:
    """A merged cell cut by the page break goes on as a blank cell at the top of the next
    part: the blank cell becomes more rows of the merged cell. Only a cell that spans rows on
    either side is carried (a blank data cell under a number stays a blank)."""
    owners, starts = _positions(rows)
    last = len(rows) - 1
    kept = []
    column = 0
    for cell in more[0]:
        owner = owners.get((last, column))
        if (
            owner is not None
            and starts[owner] == column
            and _carries(rows[owner[0]][owner[1]], cell)
        ):
            r, i = owner
            rows[r][i] = replace(rows[r][i], rowspan=rows[r][i].rowspan + cell.rowspan)
        else:
            kept.append(cell)
        column += cell.colspan
    more[0] = kept


def _carries(above: SourceCell, cell: SourceCell) -> bool:
    return (
        not cell.text.strip()
        and bool(above.text.strip())
        and above.colspan == cell.colspan
        and (above.rowspan > 1 or cell.rowspan > 1)
    )


def _positions(
    rows: Sequence[Sequence[SourceCell]],
) -> tuple[dict[tuple[int, int], tuple[int, int]], dict[tuple[int, int], int]]:
    """Grid position → (row, index) of the source cell covering it, and (row, index) → the
    cell's first column (placed as `expand_spans` places them)."""
    owners: dict[tuple[int, int], tuple[int, int]] = {}
    starts: dict[tuple[int, int], int] = {}
    for r, row in enumerate(rows):
        column = 0
        for i, cell in enumerate(row):
            while (r, column) in owners:
                column += 1
            starts[(r, i)] = column
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    owners[(r + dr, column + dc)] = (r, i)
            column += cell.colspan
    return owners, starts
