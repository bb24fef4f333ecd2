"""Word (.docx) → a `Document`: headings, paragraphs and tables in document order.

`word/document.xml` is read straight from the zip with lxml (no entities resolved, no network)
and its body walked in order; python-docx is not needed for reading and is about ten times
slower. A paragraph is a heading when its style (styles.xml: "heading 2", "标题 2") or its own
outline level says so (`docx_styles.yaml`).

A table is Word's grid: a `w:tc` spanning columns has `gridSpan`, a cell merged down is a
`vMerge` restart followed by `vMerge` continue cells (which are not cells of their own: the
restart cell gets the rowspan), and a row that starts or ends short of the grid has `gridBefore`
/ `gridAfter` blank positions. Rows marked `tblHeader` (repeated on every page) at the top are
the header rows. A table nested in a cell becomes a table block of its own after the table that
holds it; a table of one cell is layout, and its content is read as blocks.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import yaml
from lxml import etree

from nlp.ingest import text as plain
from nlp.ingest.model import Document, DocumentBuilder, SourceCell
from nlp.report import ReadError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


PARAGRAPH, TABLE, ROW, CELL = _w("p"), _w("tbl"), _w("tr"), _w("tc")
CONTENT_CONTROL, CONTENT_CONTROL_BODY = _w("sdt"), _w("sdtContent")
TEXT, TAB, BREAKS = _w("t"), _w("tab"), (_w("br"), _w("cr"))
MARKS = {TAB: "\t", **dict.fromkeys(BREAKS, "\n")}  # what a tab, a break stand for in text
NESTING = frozenset({TABLE, CONTENT_CONTROL})  # what a cell holds beside its paragraphs
PARAGRAPH_PROPERTIES, PARAGRAPH_STYLE = _w("pPr"), _w("pStyle")
ROW_PROPERTIES, CELL_PROPERTIES = _w("trPr"), _w("tcPr")
GRID_BEFORE, GRID_AFTER, TABLE_HEADER = _w("gridBefore"), _w("gridAfter"), _w("tblHeader")
GRID_SPAN, VERTICAL_MERGE = _w("gridSpan"), _w("vMerge")
GRID_PROPERTIES = (GRID_BEFORE, GRID_AFTER, TABLE_HEADER, GRID_SPAN, VERTICAL_MERGE)
VAL = _w("val")
# w:trPr / w:tcPr → row / cell → property tag → the first of each grid property in its first
# w:trPr / w:tcPr, as `find` gives them (a row or cell without any is left out).
_GridProperties = dict[str, dict[etree._Element, dict[str, etree._Element]]]
DOCUMENT_PART = "word/document.xml"
STYLES_PART = "word/styles.xml"
# A .docx is compressed XML; refuse one whose parts expand far beyond what a report holds (a
# real report's document.xml is a few MB; parsing 64 MB of XML takes about 1 GB of memory).
MAX_PART_BYTES = 64 * 2**20
MAX_RATIO = 200
RATIO_FLOOR = 8 * 2**20
READ_CHUNK = 1 << 20
OFF_VALUES = frozenset({"0", "false", "off"})


def read_docx(data: bytes, source: str, max_bytes: int) -> Document:
    """The document's headings, paragraphs and tables, in order."""
    archive = BoundedArchive(zipfile.ZipFile(io.BytesIO(data)), source, MAX_PART_BYTES)
    try:
        document_xml = archive.read(DOCUMENT_PART)
    except KeyError as error:
        raise ReadError(
            source, "not a valid Word file: its document part is missing", "no word/document.xml"
        ) from error
    body = _parse(document_xml).find(_w("body"))
    if body is None:
        raise ReadError(
            source, "not a valid Word file: its document part has no body", "no <w:body>"
        )
    reader = _BodyReader(archive, DocumentBuilder())
    reader.read(body)
    return reader.builder.build(source, "docx")


class BoundedArchive:
    """A .docx's ZIP parts, each read only up to a cap of bytes actually inflated.

    The sizes a ZIP declares can lie (a bomb understates them), so each part is inflated in
    chunks and refused at the cap, or as soon as it expands more than MAX_RATIO times its
    compressed size past RATIO_FLOOR bytes (XML compresses 5–20×; a bomb 1000× and more).
    """

    def __init__(self, archive: zipfile.ZipFile, source: str, cap: int) -> None:
        self.archive = archive
        self.source = source
        self.cap = cap

    def read(self, name: str) -> bytes:
        info = self.archive.getinfo(name)  # KeyError: no such part
        pieces: list[bytes] = []
        inflated = 0
        with self.archive.open(info) as stream:
            while piece := stream.read(READ_CHUNK):
                inflated += len(piece)
                self._check(name, inflated, info.compress_size)
                pieces.append(piece)
        return b"".join(pieces)

    def _check(self, name: str, inflated: int, compressed: int) -> None:
        ratio_bomb = inflated > RATIO_FLOOR and inflated > MAX_RATIO * max(compressed, 1)
        if inflated > self.cap or ratio_bomb:
            raise ReadError(
                self.source,
                "not a readable Word file: it unpacks to far more data than a report holds "
                "(a damaged file or a compression bomb)",
                f"{name} inflated past {inflated / 2**20:.1f} MB from "
                f"{compressed / 2**20:.1f} MB compressed",
            )


def _parse(xml: bytes) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
    )
    return etree.fromstring(xml, parser)


# --- heading styles --------------------------------------------------------------------------


@cache
def _style_rules() -> dict[str, Any]:
    raw = resources.files("nlp.ingest").joinpath("docx_styles.yaml").read_text("utf-8")
    rules = yaml.safe_load(raw)
    rules["heading_names"] = tuple(re.compile(p, re.I) for p in rules["heading_names"])
    return rules


def _outline_level(properties: etree._Element | None) -> int | None:
    """Heading level (1-based) of a w:pPr's outline level; None for none or body text."""
    if properties is None:
        return None
    outline = properties.find(_w("outlineLvl"))
    value = outline.get(VAL) if outline is not None else None
    if value is None or not value.isdigit():
        return None
    level = int(value)
    return None if level >= _style_rules()["body_outline_level"] else level + 1


def _named_level(name: str) -> int | None:
    for pattern in _style_rules()["heading_names"]:
        match = pattern.match(name.strip())
        if match:
            return int(match.group(1))
    return None


def _heading_levels(archive: BoundedArchive) -> dict[str, int]:
    """Style id → heading level for the paragraph styles that are headings (by name, outline
    level, or the style they are based on)."""
    try:
        root = _parse(archive.read(STYLES_PART))
    except KeyError:
        return {}
    own: dict[str, int | None] = {}
    based_on: dict[str, str] = {}
    for style in root.iter(_w("style")):
        style_id = style.get(_w("styleId"))
        if not style_id or style.get(_w("type"), "paragraph") != "paragraph":
            continue
        name = style.find(_w("name"))
        own[style_id] = _named_level(name.get(VAL, "") if name is not None else "") or (
            _outline_level(style.find(_w("pPr")))
        )
        parent = style.find(_w("basedOn"))
        if parent is not None and parent.get(VAL):
            based_on[style_id] = parent.get(VAL)
    return {sid: level for sid in own if (level := _inherited(sid, own, based_on)) is not None}


def _inherited(style_id: str, own: dict[str, int | None], based_on: dict[str, str]) -> int | None:
    seen: set[str] = set()
    current: str | None = style_id
    while current is not None and current not in seen:
        seen.add(current)
        if own.get(current) is not None:
            return own[current]
        current = based_on.get(current)
    return None


# --- the body --------------------------------------------------------------------------------


@dataclass
class _BodyReader:
    archive: zipfile.ZipFile
    builder: DocumentBuilder
    _levels: dict[str, int] | None = None
    _outermost: _GridProperties | None = None  # of the outermost table read, and those in it
    _source_cells: dict[tuple[str, int, int, bool], SourceCell] = field(default_factory=dict)

    @property
    def heading_levels(self) -> dict[str, int]:
        """Style id → heading level, read from styles.xml when a paragraph first has a style."""
        if self._levels is None:
            self._levels = _heading_levels(self.archive)
        return self._levels

    def read(self, container: etree._Element) -> None:
        for child in _content(container):
            if self.builder.full:
                return  # the builder drops the rest; reading it would only take time
            if child.tag == PARAGRAPH:
                self._paragraph(child)
            elif child.tag == TABLE:
                self._table(child)

    def _paragraph(self, paragraph: etree._Element) -> None:
        text = _paragraph_text(paragraph)
        level = self._heading_level(paragraph)
        if level is not None:
            self.builder.heading(plain.join_wrapped(text), level)
            return
        for line in text.split("\n"):  # a line break inside a Word paragraph ends a line
            self.builder.paragraph(line)

    def _heading_level(self, paragraph: etree._Element) -> int | None:
        properties = _first_child(paragraph, PARAGRAPH_PROPERTIES)
        if properties is None:
            return None
        direct = _outline_level(properties)
        if direct is not None:
            return direct
        style = _first_child(properties, PARAGRAPH_STYLE)
        style_id = style.get(VAL, "") if style is not None else ""
        if not style_id:
            return None
        return self.heading_levels.get(style_id) or _named_level(style_id)

    def _table(self, table: etree._Element) -> None:
        if self._outermost is not None:
            self._read_table(table, self._outermost)
            return
        # The outermost table: one scan finds the grid properties of every table in it.
        self._outermost = _grid_properties(table)
        try:
            self._read_table(table, self._outermost)
        finally:
            self._outermost = None

    def _read_table(self, table: etree._Element, properties: _GridProperties) -> None:
        rows = [(row, _row_cells(row)) for row in _rows(table)]
        if sum(len(cells) for _, cells in rows) == 1:
            # a one-cell table is a frame around content, not a table
            self.read(next(cells[0] for _, cells in rows if cells))
            return
        nested: list[etree._Element] = []
        grid = _TableGrid(rows, properties, nested, self._source_cells)
        self.builder.table(grid.source_rows, grid.header_rows())
        for inner in nested:
            self._table(inner)


def _content(container: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs and tables of a body or cell, content controls opened."""
    for child in container.iterchildren():
        if child.tag in (PARAGRAPH, TABLE):
            yield child
        elif child.tag == CONTENT_CONTROL:
            for body in child.iterchildren(CONTENT_CONTROL_BODY):
                yield from _content(body)


def _paragraph_text(paragraph: etree._Element) -> str:
    # One plain walk of the paragraph: `iter()` with tags to match costs more to set up than a
    # table cell's few runs take to walk, and cells are most of what a report reads.
    parts = []
    for element in paragraph.iter():
        tag = element.tag
        if tag == TEXT:
            parts.append(element.text or "")
        elif tag in MARKS:
            parts.append(MARKS[tag])
    return "".join(parts).strip()


def _first_child(holder: etree._Element, tag: str) -> etree._Element | None:
    """`holder.find(tag)` without parsing a path (lxml's `find` does, each call)."""
    if len(holder) and (first := holder[0]).tag == tag:
        return first  # properties come first in Word's XML: most are found without a search
    for child in holder.iterchildren(tag):
        return child
    return None


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    for child in table.iterchildren():
        if child.tag == ROW:
            yield child
        elif child.tag == CONTENT_CONTROL:
            for body in child.iterchildren(CONTENT_CONTROL_BODY):
                yield from _rows(body)


def _row_cells(row: etree._Element) -> list[etree._Element]:
    # Cells may sit inside content controls within the row.
    cells = []
    for child in row:
        if child.tag == CELL:
            cells.append(child)
        elif child.tag == CONTENT_CONTROL:
            cells.extend(child.iter(CELL))
    return cells


def _grid_properties(table: etree._Element) -> _GridProperties:
    """The grid properties of the rows and cells of `table` and of the tables in it.

    One scan of the table in lxml finds them, so that the rows and cells without any (most)
    are not read property by property in Python."""
    found: _GridProperties = {ROW_PROPERTIES: {}, CELL_PROPERTIES: {}}
    for element in table.iter(*GRID_PROPERTIES):
        properties = element.getparent()
        holder = properties.getparent()
        by_holder = found.get(properties.tag)
        if by_holder is not None and _first_child(holder, properties.tag) is properties:
            by_holder.setdefault(holder, {}).setdefault(element.tag, element)
    return found


def _int_value(element: etree._Element | None, default: int) -> int:
    value = element.get(VAL, "") if element is not None else ""
    return int(value) if value.isdigit() else default


def _is_on(element: etree._Element | None) -> bool:
    return element is not None and element.get(VAL, "true").lower() not in OFF_VALUES


class _TableGrid:
    """One `w:tbl`, given as its rows and each row's cells, as rows of source cells: spans
    from gridSpan and vMerge, blank positions from gridBefore/gridAfter; the tables nested in
    its cells are collected in `nested`.

    The rows are read in one pass: a vMerge continue cell adds a row to the cell last opened
    in its grid column, above it, and is not a cell of its own; every other cell opens its
    column. A cell's rowspan is known only at the end, so cells are made then."""

    def __init__(
        self,
        rows: list[tuple[etree._Element, list[etree._Element]]],
        properties: _GridProperties,
        nested: list[etree._Element],
        source_cells: dict[tuple[str, int, int, bool], SourceCell],
    ) -> None:
        self.nested = nested
        self.headers: list[bool] = []
        self._open_at: dict[int, list[Any]] = {}  # grid column → [text, rowspan, colspan]
        self._row_properties = properties[ROW_PROPERTIES]
        self._cell_properties = properties[CELL_PROPERTIES]
        self._source_cells = source_cells  # made so far in the document, by their fields
        placed = [self._row(row, cells) for row, cells in rows]
        self.source_rows = [self._source_row(*row) for row in placed]

    def header_rows(self) -> int:
        count = 0
        while count < len(self.headers) and self.headers[count]:
            count += 1
        return count

    def _row(
        self, row: etree._Element, cells: list[etree._Element]
    ) -> tuple[bool, int, list[list[Any]], int]:
        """(header, blanks before, [text, rowspan, colspan] of its own cells, blanks after)."""
        properties = self._row_properties.get(row, {})
        header = _is_on(properties.get(TABLE_HEADER))
        self.headers.append(header)
        column = before = _int_value(properties.get(GRID_BEFORE), 0)
        open_at = self._open_at
        own = []
        for cell in cells:
            cell_properties = self._cell_properties.get(cell)
            colspan, continues = _span(cell_properties) if cell_properties else (1, False)
            if continues and (origin := open_at.get(column)) is not None:
                origin[1] += 1  # the merged cell above spans this position
            else:
                open_at[column] = entry = [self._cell_text(cell), 1, colspan]
                own.append(entry)
            column += colspan
        return header, before, own, _int_value(properties.get(GRID_AFTER), 0)

    def _cell_text(self, cell: etree._Element) -> str:
        """The cell's own paragraphs, the blank ones left out."""
        lines = []
        for child in cell:
            tag = child.tag
            if tag == PARAGRAPH:
                if text := _paragraph_text(child):
                    lines.append(text)
            elif tag in NESTING:
                return self._nesting_cell_text(cell)
        return "\n".join(lines)

    def _nesting_cell_text(self, cell: etree._Element) -> str:
        """`_cell_text` of a cell holding tables or content controls: a nested table is kept
        aside to become its own block."""
        lines = []
        for child in _content(cell):
            if child.tag == TABLE:
                self.nested.append(child)
            else:
                lines.append(_paragraph_text(child))
        return "\n".join(line for line in lines if line)

    def _source_row(
        self, header: bool, before: int, own: list[list[Any]], after: int
    ) -> list[SourceCell]:
        blank = self._source_cell(("", 1, 1, header))
        cells = [self._source_cell((text, span, colspan, header)) for text, span, colspan in own]
        return [blank] * before + cells + [blank] * after

    def _source_cell(self, fields: tuple[str, int, int, bool]) -> SourceCell:
        # Cells are frozen values and a report's tables repeat many ("0", "其他"): looking up
        # one made before costs less than making a dataclass.
        cell = self._source_cells.get(fields)
        if cell is None:
            cell = self._source_cells[fields] = SourceCell(*fields)
        return cell


def _span(properties: dict[str, etree._Element]) -> tuple[int, bool]:
    """A cell's columns, and whether it continues a vMerge cell above."""
    merge = properties.get(VERTICAL_MERGE)
    return _int_value(properties.get(GRID_SPAN), 1), merge is not None and _continues(merge)


def _continues(merge: etree._Element) -> bool:
    # <w:vMerge/> without a value continues the cell above; "restart" opens a merged cell.
    return merge.get(VAL, "continue") != "restart"
