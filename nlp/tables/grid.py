"""Tables 二, 三 and 四 read from grids: rows anchored by their labels, columns by their headers.

A grid (`nlp.ingest.model.Grid`) keeps what flattened text loses: which cell is blank, which
label spans a group of rows, which header spans which columns. A row is found by its label: the
text of its cells outside the value columns, resolved as the text reader resolves labels
(exactly, by suffix, fuzzily; group labels skipped). A value column is found by the header
words printed above it (layouts.yaml `col_labels`, `header_labels`, `subtotal_column`). Where no
header names the columns, a row's values are the cells right of its label, as many as the row
has columns. A blank is a blank at its own position, so no value ever moves to the next column.
A grid that cannot be mapped either way raises `GridUnmapped`; the caller reads the text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property, lru_cache

from rapidfuzz import fuzz, process

from nlp.ingest.model import Cell, Grid
from nlp.report import ParseWarning, layouts
from nlp.tables.parse import (
    TableResult,
    columns_for,
    label_key,
    normalize_table_text,
    review_result,
    row_for,
    row_label,
    rows_result,
    without_subtotal,
)
from nlp.tables.recover import Fit, Token

__all__ = ["GridUnmapped", "cell_value", "read_grids"]

NUMBER = re.compile(r"-?\d+(?:,\d{3})*(?:\.\d+)?")
SPACES = re.compile(r"\s+")
SUBTOTAL = "subtotal"
NO_HEADER = "表头中未找到列名"
# Header words matched by their beginning or fuzzily only when this long (其他 must be exact).
MIN_LOOSE_HEADER = 4
HEADER_FUZZY_CUTOFF = 90

ColumnKey = tuple[str, ...]  # (col,) in tables 二 and 三; (row, col) in table 四


class GridUnmapped(Exception):
    """The grid's columns cannot be mapped to the table's; `reason` says why."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class _CellUnreadable(Exception):
    """A value cell that holds text, not a number or a blank."""


@dataclass(frozen=True)
class CellValue:
    value: Decimal | None  # None: blank
    raw: str  # the number as printed without its unit; the blank mark; "" for an empty cell
    split: bool = False  # the digits of one number printed apart ("2 0")


@dataclass(frozen=True)
class Columns:
    """How one grid's columns map: value column → key; subtotal columns left out."""

    keys: dict[int, ColumnKey]
    subtotal: frozenset[int] = frozenset()

    def at(self, key: ColumnKey) -> list[int]:
        return self._positions.get(key, [])

    @cached_property
    def _positions(self) -> dict[ColumnKey, list[int]]:
        """Key → its columns, in order (asked for every column of every row)."""
        positions: dict[ColumnKey, list[int]] = {}
        for col, key in self.keys.items():
            positions.setdefault(key, []).append(col)
        return positions

    def is_value(self, col: int) -> bool:
        return col in self.keys or col in self.subtotal


@dataclass
class _Mapping:
    """The columns in force while reading a grid, or why there are none."""

    columns: Columns | None = None
    reason: str = NO_HEADER
    width: int = -1


@dataclass(frozen=True)
class _RowValues:
    values: list[CellValue]
    how: str  # exact | subtotal (a subtotal column left out)

    def fit(self) -> Fit:
        return Fit([v.value for v in self.values], [v.raw for v in self.values], self.how)


@dataclass
class _Reading:
    options: dict[str, list[Fit]] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)


class _Row:
    """A grid row as the reader asks of it: its cells, a merged cell once (`distinct`), and what
    each of those prints, worked out once (a row is asked whether it holds numbers, which of its
    cells are labels and what its values are)."""

    def __init__(self, cells: Sequence[Cell]):
        self.cells = cells
        self.distinct = _distinct(cells)
        self.values = [cell_value(cell.text) for cell in self.distinct]
        # Of each distinct cell: it holds text (not a number, not a blank).
        self.is_text = [
            value is None and not cell.blank
            for cell, value in zip(self.distinct, self.values, strict=True)
        ]
        self.has_number = any(_is_number(cell) for cell in cells)  # a span's copies too

    def numbers(self) -> list[Cell]:
        return [
            c
            for c, v in zip(self.distinct, self.values, strict=True)
            if v is not None and v.value is not None
        ]

    @cached_property
    def label_cells(self) -> list[Cell]:
        """The cells that hold text (not a number, not a blank), a merged cell once, without the
        copies of a label spanning rows (三、本年度办理结果 labels a group of rows)."""
        return [
            cell
            for cell, text in zip(self.distinct, self.is_text, strict=True)
            if text and cell.origin[0] == cell.row
        ]


def read_grids(table: str, grids: Sequence[Grid], fmt: str) -> TableResult:
    """Table `table` from the grids of its section, in order (a table split over pages)."""
    if "row_labels" in layouts()["tables"][table]:  # rows printed as column groups (四)
        return _read_review(grids)
    return _read_rows(table, grids, fmt)


# --- cell values ------------------------------------------------------------------------------


@lru_cache(maxsize=8192)  # a grid's cells are asked several times (label? number? value?)
def cell_value(text: str) -> CellValue | None:
    """What a cell prints: a number (unit and thousands separators dropped), a blank (empty or
    a blank mark), or None when it holds text."""
    printed = unicodedata.normalize("NFKC", text).strip()
    if _is_blank_mark(printed):
        return CellValue(None, printed)
    numbers = NUMBER.findall(printed)
    rest = SPACES.sub("", NUMBER.sub("", printed))
    if not numbers or (rest and rest not in layouts()["units"]):
        return None
    if len(numbers) == 1:
        return CellValue(Decimal(numbers[0].replace(",", "")), numbers[0])
    if rest or not all(n.isdigit() for n in numbers):
        return None
    joined = "".join(numbers)
    return CellValue(Decimal(joined), joined, split=True)


def _is_blank_mark(printed: str) -> bool:
    if not printed:
        return True
    marks = layouts()["blank_marks"]
    return printed in marks or (printed[0] in marks and printed == printed[0] * len(printed))


def _is_number(cell: Cell) -> bool:
    value = cell_value(cell.text)
    return value is not None and value.value is not None


def _distinct(row: Sequence[Cell]) -> list[Cell]:
    """The row's cells, a merged cell once (at its first column)."""
    seen: set[tuple[int, int]] = set()
    out = []
    for cell in row:
        if cell.origin not in seen:
            seen.add(cell.origin)
            out.append(cell)
    return out


# --- headers ----------------------------------------------------------------------------------


@cache
def _header_vocabulary(table: str) -> tuple[dict[str, str], ...]:
    """Per level of a column key, header word (as `label_key`) → what it names: the column of
    tables 二 and 三 (or SUBTOTAL); for table 四 the group (行政复议 …), then the column."""
    spec = layouts()["tables"][table]
    cols: dict[str, str] = {}
    for col, label in spec.get("col_labels", {}).items():
        cols[label_key(label)] = col
    for col, labels in spec.get("header_labels", {}).items():
        cols.update({label_key(label): col for label in labels})
    for label in spec.get("subtotal_column", {}).get("labels", []):
        cols[label_key(label)] = SUBTOTAL
    if "row_labels" in spec:
        groups = {label_key(label): row for row, label in spec["row_labels"].items()}
        return (groups, cols)
    return (cols,)


@cache
def _header_word(table: str, level: int, text: str) -> str | None:
    """What a header cell's text names at one level: exactly, by its beginning, or fuzzily."""
    vocabulary = _header_vocabulary(table)[level]
    key = label_key(text)
    if not key:
        return None
    if key in vocabulary:
        return vocabulary[key]
    loose = [k for k in vocabulary if len(k) >= MIN_LOOSE_HEADER]
    starts = [k for k in loose if key.startswith(k)]
    if starts:
        return vocabulary[max(starts, key=len)]
    best = process.extractOne(key, loose, scorer=fuzz.ratio, score_cutoff=HEADER_FUZZY_CUTOFF)
    return vocabulary[best[0]] if best else None


def _is_header_word(table: str, cell: Cell) -> bool:
    key = label_key(cell.text)
    return any(key in vocabulary for vocabulary in _header_vocabulary(table))


def _map_columns(table: str, header: list[Sequence[Cell]], width: int) -> Columns | str:
    """The value columns the header rows name, or why they name none that fits the table.

    A column's key at each level is the lowest header cell above it that names one: under a
    colspan 法人或其他组织 the lower 商业企业 decides."""
    keys: dict[int, ColumnKey] = {}
    subtotal: set[int] = set()
    for col in range(width):
        texts = _column_texts(header, col)
        found = [
            next((w for t in texts if (w := _header_word(table, level, t))), None)
            for level in range(len(_header_vocabulary(table)))
        ]
        if found[-1] == SUBTOTAL:
            subtotal.add(col)
        elif all(found):
            keys[col] = tuple(found)
    columns = Columns(keys, frozenset(subtotal))
    reason = _incomplete(table, columns, width)
    return reason or columns


def _column_texts(header: list[Sequence[Cell]], col: int) -> list[str]:
    """The header texts above a column, lowest first, a merged cell once."""
    texts: list[str] = []
    seen: set[tuple[int, int]] = set()
    for row in header:
        cell = row[col]
        if not cell.blank and cell.origin not in seen:
            seen.add(cell.origin)
            texts.append(cell.text)
    return texts[::-1]


def _incomplete(table: str, columns: Columns, width: int) -> str | None:
    """Why a mapping does not fit the table (None when it does). Tables with one column list
    (三, 四) need every column once and no unnamed column among them; table 二 names its
    columns block by block, so any column it names will do."""
    if not columns.keys:
        return NO_HEADER
    spec = layouts()["tables"][table]
    if "cols" not in spec:
        return None
    wanted = _wanted_keys(table)
    named = list(columns.keys.values())
    missing = [k for k in wanted if k not in named]
    if missing:
        return f"表头中缺少列“{'/'.join(_key_label(table, missing[0]))}”"
    twice = next((k for k in wanted if named.count(k) > 1), None)
    if twice:
        return f"表头中“{'/'.join(_key_label(table, twice))}”对应多列"
    first = min(columns.keys)
    unnamed = [c for c in range(first, width) if not columns.is_value(c)]
    if unnamed:
        return f"第{unnamed[0] + 1}列的表头无法识别"
    return None


def _wanted_keys(table: str) -> list[ColumnKey]:
    spec = layouts()["tables"][table]
    if "row_labels" in spec:
        return [(row, col) for row in spec["rows"] for col in spec["cols"]]
    return [(col,) for col in spec["cols"]]


def _key_label(table: str, key: ColumnKey) -> list[str]:
    spec = layouts()["tables"][table]
    labels = [spec.get("row_labels", {}).get(key[0], key[0])] if len(key) > 1 else []
    return [*labels, spec.get("col_labels", {}).get(key[-1], key[-1])]


def _remap(table: str, mapping: _Mapping, header: list[Sequence[Cell]], width: int) -> None:
    """Header rows were read: their columns replace the mapping in force when they fit the
    table; rows naming no column (a group label on a row of its own) leave it as it is."""
    if not header:
        return
    columns = _map_columns(table, header, width)
    if isinstance(columns, Columns):
        mapping.columns = columns
    elif mapping.columns is None:
        mapping.reason = columns


# --- tables 二 and 三 ---------------------------------------------------------------------------


def _read_rows(table: str, grids: Sequence[Grid], fmt: str) -> TableResult:
    reading = _Reading()
    mapping = _Mapping()
    for number, grid in enumerate(grids, 1):
        if grid.n_cols != mapping.width:  # a continued grid of the same width keeps its columns
            mapping = _Mapping(width=grid.n_cols)
        header: list[Sequence[Cell]] = []
        for r, row in enumerate(grid.rows):
            if r < grid.header_rows:
                header.append(row)
                continue
            cells = _Row(row)
            key = _data_row(table, cells, None)
            if key is None:
                if cells.has_number:
                    _orphan(table, cells, reading)
                else:
                    header.append(row)
                continue
            _remap(table, mapping, header, grid.n_cols)
            header = []
            _read_row(table, fmt, cells, mapping, reading, f"第{number}个表格第{r + 1}行")
    if not reading.options:
        raise GridUnmapped("表格中未找到行标签")
    return rows_result(table, fmt, reading.options, reading.warnings)


def _data_row(table: str, row: _Row, columns: Columns | None) -> str | None:
    """The row key a grid row carries, or None for a header row or an unlabelled one."""
    key = _row_key(table, _label_texts(row, columns))
    if key is None:
        return None
    if not row.has_number and any(_is_header_word(table, c) for c in row.cells):
        return None  # 总计 and 其他 are column headers too
    return key


def _label_texts(row: _Row, columns: Columns | None) -> tuple[str, ...]:
    """The texts of a row's label cells: text outside the value columns, a merged cell once,
    without the copies of a label spanning rows (三、本年度办理结果 labels a group of rows)."""
    return tuple(
        cell.text for cell in row.label_cells if not (columns and columns.is_value(cell.col))
    )


@lru_cache(maxsize=4096)  # the same labels come back in every report
def _row_key(table: str, texts: tuple[str, ...]) -> str | None:
    """The row a label names: cell by cell as the text reader does, then the cells joined (a
    label split over two cells)."""
    texts = tuple(normalize_table_text(text) for text in texts)
    for joined in ("\t".join(texts), "".join(texts)):
        key = row_for(table, joined, set())
        if key:
            return key
    return None


def _orphan(table: str, row: _Row, reading: _Reading) -> None:
    if not reading.options:
        return  # numbers above the first row (a year in a title) are not the table's
    raws = " ".join(c.text for c in row.numbers())
    reading.warnings.append(
        ParseWarning("table.orphan_numbers", f"表中数字“{raws}”找不到所属行", table=table)
    )


def _read_row(
    table: str, fmt: str, row: _Row, mapping: _Mapping, reading: _Reading, where: str
) -> None:
    key = _data_row(table, row, mapping.columns)
    if key is None or key in reading.options:
        if row.has_number:
            _orphan(table, row, reading)
        return
    cols = columns_for(table, key, fmt)
    label = row_label(table, key)
    try:
        read = _mapped_values(row.cells, mapping.columns, cols) if mapping.columns else None
        if read is None:
            read = _positional_values(table, row, cols, f"{where}“{label}”", mapping.reason)
    except _CellUnreadable as unreadable:
        reading.warnings.append(
            ParseWarning(
                "table.row_unreadable",
                f"“{label}”行的单元格“{unreadable}”不是数字，无法读成{len(cols)}列",
                table=table,
                row=key,
            )
        )
        return
    reading.warnings += _split_warnings(table, key, read)
    reading.options[key] = [read.fit()]


def _mapped_values(row: Sequence[Cell], columns: Columns, cols: list[str]) -> _RowValues | None:
    """The row's values under the columns its header names; None when a column it needs is
    not named there (the row is read by position)."""
    values = []
    for col in cols:
        at = columns.at((col,))
        if not at:
            return None
        values.append(_one_value(_distinct([row[c] for c in at])))
    subtotal = any(not row[c].blank for c in columns.subtotal)
    return _RowValues(values, "subtotal" if subtotal else "exact")


def _one_value(cells: list[Cell]) -> CellValue:
    """A column's value; a column named over several cells (a header spanning columns above
    a value printed once) holds at most one number."""
    values = []
    for cell in cells:
        value = cell_value(cell.text)
        if value is None:
            raise _CellUnreadable(cell.text)
        values.append(value)
    filled = [v for v in values if v.value is not None]
    if len(filled) > 1:
        raise _CellUnreadable(" ".join(v.raw for v in filled))
    return filled[0] if filled else values[0]


def _after_label(row: _Row) -> list[CellValue]:
    """The values right of a row's last text cell, blanks included, a merged cell once."""
    last_label = max((i for i, text in enumerate(row.is_text) if text), default=-1)
    return [v for v in row.values[last_label + 1 :] if v is not None]


def _positional_values(table: str, row: _Row, cols: list[str], where: str, why: str) -> _RowValues:
    """The cells right of the row's label must be as many as its columns (or one more: a
    subtotal column the arithmetic recognises)."""
    values = _after_label(row)
    if len(values) == len(cols):
        return _RowValues(values, "exact")
    subtotal = without_subtotal(table, [Token(v.raw) for v in values], cols)
    if subtotal is not None:
        kept = [CellValue(v, raw) for v, raw in zip(subtotal.values, subtotal.raws, strict=True)]
        return _RowValues(kept, "subtotal")
    raise GridUnmapped(f"{why}；按位置，{where}有{len(values)}个数值单元格，应为{len(cols)}个")


def _split_warnings(table: str, row: str | None, read: _RowValues) -> Iterator[ParseWarning]:
    where = f"“{row_label(table, row)}”行" if row else "表四"
    for raw in (v.raw for v in read.values if v.split):
        yield ParseWarning(
            "table.split_digit",
            f"{where}一个单元格内的数字间有空格，读作 {raw}",
            table=table,
            row=row,
        )


# --- table 四 ---------------------------------------------------------------------------------


def _read_review(grids: Sequence[Grid]) -> TableResult:
    """Table 四: one row of fifteen values under 行政复议 / 未经复议直接起诉 / 复议后起诉."""
    mapping = _Mapping()
    for number, grid in enumerate(grids, 1):
        if grid.n_cols != mapping.width:
            mapping = _Mapping(width=grid.n_cols)
        header: list[Sequence[Cell]] = []
        for r, row in enumerate(grid.rows):
            if r < grid.header_rows or not any(_is_number(c) for c in row):
                header.append(row)
                continue
            _remap("review", mapping, header, grid.n_cols)
            where = f"第{number}个表格第{r + 1}行"
            try:
                read = _review_values(row, mapping, where)
            except _CellUnreadable as unreadable:
                raise GridUnmapped(f"{where}的单元格“{unreadable}”不是数字") from None
            return review_result(read.fit(), list(_split_warnings("review", None, read)))
    raise GridUnmapped("表格中没有数字行")


def _review_values(row: Sequence[Cell], mapping: _Mapping, where: str) -> _RowValues:
    wanted = _wanted_keys("review")
    if mapping.columns is not None:
        values = [_one_value(_distinct([row[c] for c in mapping.columns.at(k)])) for k in wanted]
        return _RowValues(values, "exact")
    values = _after_label(_Row(row))
    if len(values) != len(wanted):
        raise GridUnmapped(
            f"{mapping.reason}；按位置，{where}有{len(values)}个数值单元格，应为{len(wanted)}个"
        )
    return _RowValues(values, "exact")
