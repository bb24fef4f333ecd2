"""Ruled PDF tables → rows of source cells, and tables that go on across a page break.

pdfplumber's table finder gives each cell's box (its intersections and cells found here as it
finds them, in less time: `_TableFinder`). A box that covers several column or row lines of the
table is a merged cell: its colspan is the number of columns whose left edge lies inside it,
its rowspan the number of rows whose top does. `extract()` gives None at a position a merged
cell covers and "" for an empty cell, so a blank cell stays a blank at its position.

A table at the top of a page goes on from the table at the bottom of the page before when both
have the same number of columns: its rows that repeat the first table's header are dropped
(they are known header rows then), and a merged cell that was cut by the page break (a group
label, blank in the continued part) is carried over.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import itemgetter

from pdfplumber.table import Table, TableFinder, TableSettings
from pdfplumber.utils import extract_text
from pdfplumber.utils.text import DEFAULT_X_TOLERANCE as X_TOLERANCE
from pdfplumber.utils.text import LIGATURES

from nlp.ingest.model import SourceCell, expand_spans
from nlp.ingest.pdf_chars import upright_text
from nlp.report import ParseWarning

GRID_CUT = "ingest.pdf_page_grid_cut"
X0, TOP = itemgetter("x0"), itemgetter("top")
BBOX = itemgetter("x0", "top", "x1", "bottom")  # pdfplumber's `obj_to_bbox`
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
    if not page.edges:  # no ruling, no ruled table
        return []
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
    settings = {"explicit_horizontal_lines": _closing_rules(page.edges)}
    found = []
    for table in _TableFinder(page, TableSettings.resolve(settings)).tables:
        width = len({cell[0] for cell in table.cells})
        if width > 1:
            found.append((table, width))
    if not found:
        return []
    # Only the characters between the tables' top and bottom can be in a cell.
    chars = _CharsByHeight(
        page.chars, min(t.bbox[1] for t, _ in found), max(t.bbox[3] for t, _ in found)
    )
    return [
        PageTable(table.bbox[1], table.bbox, _source_rows(table, chars), width)
        for table, width in found
    ]


class _TableFinder(TableFinder):
    """pdfplumber's `TableFinder` (what `page.find_tables` runs) with the same intersections
    and cells found faster: pdfplumber tests every vertical edge against every horizontal one,
    and turns both points' edges into sets at every test of a pair of points (two thirds of a
    generated report's table time)."""

    def __init__(self, page, settings: TableSettings):
        self.page = page
        self.settings = settings
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(
            self.edges, settings.intersection_x_tolerance, settings.intersection_y_tolerance
        )
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [Table(page, group) for group in cells_to_tables(self.cells)]


def cells_to_tables(cells: list[tuple]) -> list[list[tuple]]:
    """pdfplumber's `cells_to_tables`: the cells grouped into tables of cells that touch at a
    corner (directly or through other cells), tables of one cell left out, top to bottom and
    left to right. pdfplumber sweeps the remaining cells until a sweep adds none, quadratic in
    the cells; here a table is grown from the cells at each of its corners. A table's cells
    are in the order of `cells` (pdfplumber's are in the order its sweeps added them; the
    order is not read: a table's rows and columns are sorted)."""
    corners = [_corners(cell) for cell in cells]
    by_corner: dict[tuple, list[int]] = {}
    for i, cell_corners in enumerate(corners):
        for corner in cell_corners:
            by_corner.setdefault(corner, []).append(i)
    table_of = [-1] * len(cells)
    tables: list[list[int]] = []
    for first in range(len(cells)):
        if table_of[first] >= 0:
            continue
        table_of[first] = len(tables)
        members, pending = [first], [first]
        while pending:
            for corner in corners[pending.pop()]:
                for other in by_corner[corner]:
                    if table_of[other] < 0:
                        table_of[other] = len(tables)
                        members.append(other)
                        pending.append(other)
        tables.append(members)
    grouped = [[cells[i] for i in sorted(members)] for members in tables]
    ordered = sorted(grouped, key=lambda table: min((c[1], c[0]) for c in table))
    return [table for table in ordered if len(table) > 1]


def _corners(cell: tuple) -> tuple[tuple, tuple, tuple, tuple]:
    x0, top, x1, bottom = cell
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


def edges_to_intersections(edges: list[dict], x_tolerance: float, y_tolerance: float) -> dict:
    """pdfplumber's `edges_to_intersections` (the points where a vertical and a horizontal edge
    meet, with the edges meeting there, in the same order), each vertical edge tested against
    the horizontal edges near its height only (found by bisection) instead of all."""
    verticals = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontals = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in horizontals]
    margin = 2 * y_tolerance + 1  # wider than the test below, which decides
    intersections: dict[tuple, dict[str, list[dict]]] = {}
    for v in verticals:
        start = bisect_left(tops, v["top"] - margin)
        end = bisect_right(tops, v["bottom"] + margin)
        for h in horizontals[start:end]:
            if (
                (v["top"] <= (h["top"] + y_tolerance))
                and (v["bottom"] >= (h["top"] - y_tolerance))
                and (v["x0"] >= (h["x0"] - x_tolerance))
                and (v["x0"] <= (h["x1"] + x_tolerance))
            ):
                vertex = (v["x0"], h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def intersections_to_cells(intersections: dict) -> list[tuple]:
    """pdfplumber's `intersections_to_cells`: for each point in order, the first cell (by the
    point below, then the point to the right) whose four corners its edges connect. Two
    points of a column are connected by a vertical edge they share, two of a row by a
    horizontal one (pdfplumber's `edge_connects`, whose other test cannot hold for them)."""
    vertical = {point: set(map(BBOX, edges["v"])) for point, edges in intersections.items()}
    horizontal = {point: set(map(BBOX, edges["h"])) for point, edges in intersections.items()}
    points = sorted(intersections)
    below: dict[float, list[tuple]] = {}  # by x, the points in order (top to bottom)
    right: dict[float, list[tuple]] = {}  # by y, the points in order (left to right)
    for point in points:
        below.setdefault(point[0], []).append(point)
        right.setdefault(point[1], []).append(point)
    cells = []
    for point in points[:-1]:
        column, row = below[point[0]], right[point[1]]
        cell = _smallest_cell(
            point,
            column[column.index(point) + 1 :],
            row[row.index(point) + 1 :],
            vertical,
            horizontal,
        )
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(point, below, right, vertical: dict, horizontal: dict) -> tuple | None:
    down, across = vertical[point], horizontal[point]
    for below_point in below:
        if down.isdisjoint(vertical[below_point]):
            continue
        for right_point in right:
            if across.isdisjoint(horizontal[right_point]):
                continue
            corner = (right_point[0], below_point[1])
            if (
                corner in vertical
                and not vertical[corner].isdisjoint(vertical[right_point])
                and not horizontal[corner].isdisjoint(horizontal[below_point])
            ):
                return (point[0], point[1], corner[0], corner[1])
    return None


def _ruled_cells(edges: Sequence[dict]) -> int:
    """The cells a page's ruling can make at most: rows between its horizontal rules times
    columns between its vertical ones (rules at the same position counted once)."""
    rows = {round(e["top"]) for e in edges if e["orientation"] == "h"}
    columns = {round(e["x0"]) for e in edges if e["orientation"] == "v"}
    return max(0, len(rows) - 1) * max(0, len(columns) - 1)


def _closing_rules(edges: Sequence[dict]) -> list[dict]:
    """Horizontal rules where vertical rules end with none drawn: a table cut at the bottom
    (or top) of a page leaves its last row open, and pdfplumber only finds closed cells."""
    horizontals = sorted((e for e in edges if e["orientation"] == "h"), key=TOP)
    tops = [h["top"] for h in horizontals]
    margin = 2 * EDGE_TOLERANCE  # wider than `_meets`, which decides
    open_ends: list[tuple[float, float]] = []
    for edge in edges:
        if edge["orientation"] != "v":
            continue
        for y in (edge["top"], edge["bottom"]):
            near = horizontals[bisect_left(tops, y - margin) : bisect_right(tops, y + margin)]
            if not any(_meets(h, edge["x0"], y) for h in near):
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


def _source_rows(table, chars: _CharsByHeight) -> tuple[tuple[SourceCell, ...], ...]:
    columns = sorted({cell[0] for cell in table.cells})
    tops = sorted({cell[1] for cell in table.cells})
    covered: set[tuple[int, int]] = set()
    rows = []
    for r, (row, texts) in enumerate(zip(table.rows, _cell_texts(table, chars), strict=True)):
        cells = []
        for c, (box, text) in enumerate(zip(row.cells, texts, strict=True)):
            if box is None:
                if (r, c) not in covered:  # a gap in the ruling: a blank position
                    cells.append(SourceCell(""))
                continue
            rowspan = _lines_inside(tops, box[1], box[3])
            colspan = _lines_inside(columns, box[0], box[2])
            if rowspan > 1 or colspan > 1:  # a cell covers its own position, never a gap
                covered.update((r + dr, c + dc) for dr in range(rowspan) for dc in range(colspan))
            cells.append(SourceCell(text or "", rowspan, colspan))
        rows.append(tuple(cells))
    return tuple(rows)


class _CharsByHeight:
    """A page's characters with their centres, sorted by the centre's height, for the
    characters of a table row by bisection."""

    def __init__(
        self, chars: Sequence[dict], top: float | None = None, bottom: float | None = None
    ):
        """`chars`, of which those whose centre lies from `top` to `bottom` are kept."""
        self.chars = chars
        middles = [
            ((char["top"] + char["bottom"]) / 2, i, (char["x0"] + char["x1"]) / 2)
            for i, char in enumerate(chars)
        ]
        if top is not None and bottom is not None:
            middles = [middle for middle in middles if top <= middle[0] <= bottom]
        middles.sort()
        self.middles = middles
        self.heights = [middle[0] for middle in self.middles]

    def in_row(self, x0: float, top: float, x1: float, bottom: float) -> _RowChars:
        """The characters whose centre lies in the box (right and bottom edges outside)."""
        start, end = bisect_left(self.heights, top), bisect_left(self.heights, bottom)
        by_x = [
            (h_mid, i, v_mid) for v_mid, i, h_mid in self.middles[start:end] if x0 <= h_mid < x1
        ]
        by_x.sort()
        return _RowChars(self.chars, by_x)


def _cell_texts(table, chars: _CharsByHeight | None = None) -> list[list[str | None]]:
    """`table.extract()`: each cell's text from the characters whose centre lies in it (None
    where a merged cell covers the position). pdfplumber tests every character of the page
    against every row; here a row's characters are found by bisection on their heights, then
    put back in page order, so the texts are the same."""
    chars = chars or _CharsByHeight(table.page.chars)
    texts = []
    for row in table.rows:
        row_chars = chars.in_row(*row.bbox)
        texts.append(
            [None if cell is None else _text(row_chars.in_cell(*cell)) for cell in row.cells]
        )
    return texts


class _RowChars:
    """A row's characters: (centre's x, index in the page, centre's height), sorted, for the
    characters of a cell by bisection."""

    def __init__(self, chars: Sequence[dict], by_x: list[tuple[float, int, float]]):
        self.chars = chars
        self.by_x = by_x
        self.xs = [entry[0] for entry in by_x]

    def in_cell(self, x0: float, top: float, x1: float, bottom: float) -> list[dict]:
        """The characters whose centre lies in the box (right and bottom edges outside), in
        page order."""
        start, end = bisect_left(self.xs, x0), bisect_left(self.xs, x1)
        inside = [i for _, i, v_mid in self.by_x[start:end] if top <= v_mid < bottom]
        inside.sort()
        return [self.chars[i] for i in inside]


def _text(chars: list[dict]) -> str:
    """The text of a cell's characters."""
    if not chars:
        return ""
    return _one_line_text(chars) or upright_text(chars) or extract_text(chars)


def _one_line_text(chars: list[dict]) -> str | None:
    """pdfplumber's `extract_text(chars)` for the common cell, upright characters on one
    baseline: its words (split at blanks and at gaps wider than its x tolerance) joined by
    spaces, left to right; None for any other cell, which pdfplumber reads (at ten times the
    cost of this)."""
    top = chars[0]["top"]
    for char in chars:
        if not (char["upright"] and char["top"] == top and char["text"]):
            return None
    words: list[str] = []
    word: list[str] = []
    end = None
    for char in sorted(chars, key=X0) if len(chars) > 1 else chars:
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
    """How many of the (sorted) lines lie in [start, end), less the tolerance; at least 1."""
    inside = bisect_left(lines, end - EDGE_TOLERANCE) - bisect_left(lines, start - EDGE_TOLERANCE)
    return max(1, inside)


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
