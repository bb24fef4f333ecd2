"""Table cells read by OCR, judged by the table's own arithmetic (issue 19).

Every cell recognised from a page image keeps the probability of its least sure character
(`nlp.ingest.model.Cell.confidence`). After the tables are read, each tidy cell is traced back
to its grid cell (the grids are read once more with every OCR number replaced by a marker of
its own, so the reading itself says which grid cell each value came from), and the table's
arithmetic (layouts.yaml `row_total`, `column_arithmetic`: the same rules the text reader's
digit recovery uses, nlp/tables/recover.py) judges the readings:

- a rule that fails is mended, where it can be, as recover.py mends run-together digits: the
  other readings of a doubtful cell's digits (the engine's second choices, the confusions of
  ocr_digits.yaml, a dropped or an extra digit) are tried, and those under which every rule on the cell holds are kept.
  One reading → `table.ocr_corrected`, naming both; several → `table.ambiguous_ocr`, and the
  cell keeps what the engine read. Never a silent guess.
- a cell in doubt that no rule covers (table 二 has none) is `table.ocr_uncertain`.

The cells of a report with OCR pages gain `provenance` ("ocr" or "text") and `confidence`
(NaN for a text layer, or a value not traced to its cell).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from nlp.ingest.model import Cell, Grid
from nlp.report import CellRecord, CellRecords, ParseWarning, layouts
from nlp.tables.parse import column_rule, row_label, row_total_constraint
from nlp.tables.recover import Fit, to_number

# A marker value is this plus the OCR cell's index: wider than any count a report prints, and
# within the digits a float holds exactly (layouts.yaml `max_significant_digits`).
MARKER_BASE = 700_000_000
Key = tuple[str, str]  # (row, col) of a tidy cell
Values = dict[Key, Decimal | None]


@cache
def spec() -> dict[str, Any]:
    raw = resources.files("nlp.tables").joinpath("ocr_digits.yaml").read_text("utf-8")
    return yaml.safe_load(raw)


@dataclass(frozen=True)
class Traced:
    """An OCR grid cell behind a tidy cell: its text, confidence and the engine's alternatives."""

    text: str
    confidence: float
    alternatives: tuple[str, ...] = ()


@dataclass
class Judged:
    """What the judging makes of one table: the values and raws to replace, and the warnings."""

    fixed: dict[Key, tuple[Decimal, str]] = field(default_factory=dict)
    warnings: list[ParseWarning] = field(default_factory=list)


# --- entry point -----------------------------------------------------------------------------


def has_ocr(grids: dict[str, list[Grid]]) -> bool:
    return any(_ocr_cells(grid) for table_grids in grids.values() for grid in table_grids)


class OcrCellRecord(NamedTuple):
    """A tidy cell of a report read (in part) by OCR: `CellRecord` with its provenance."""

    table: str
    row: str
    col: str
    value: float | None
    raw: str
    provenance: str  # "ocr" or "text"
    confidence: float  # the OCR cell's least sure character; NaN when not traced or text


class OcrCellRecords(CellRecords):
    """The cells of a report read by OCR: the frame has `provenance` and `confidence` too."""

    def to_frame(self):
        frame = CellRecords(CellRecord(*r[:5]) for r in self).to_frame()
        if self:
            frame["provenance"] = _strings([r.provenance for r in self])
            frame["confidence"] = [r.confidence for r in self]
        return frame


def _strings(values: list[str]):
    import pandas as pd

    return pd.array(values, dtype="str")


def judged(tables, sections: dict[str, str], year: int | None, grids: dict[str, list[Grid]]):
    """`tables` (a `nlp.tables.TablesResult`) with its OCR readings judged by the arithmetic
    and its cells carrying `provenance` and `confidence`; `tables` itself when no cell was
    read by OCR."""
    if not has_ocr(grids):
        return tables
    traced = _traced(sections, year, grids)
    warnings = list(tables.warnings)
    records = list(tables.records)
    for table in dict.fromkeys(r.table for r in records):
        at = [i for i, r in enumerate(records) if r.table == table]
        keys = [(records[i].row, records[i].col) for i in at]
        found = {k: traced[(table, *k)] for k in keys if (table, *k) in traced}
        if any(_ocr_cells(g) for g in grids.get(table, [])):
            values = {k: _decimal(records[i].value) for k, i in zip(keys, at, strict=True)}
            outcome = judge(table, values, found)
            warnings += outcome.warnings + _untraced(table, grids[table], found)
            for key, (value, raw) in outcome.fixed.items():
                i = at[keys.index(key)]
                records[i] = records[i]._replace(value=float(value), raw=raw)
            provenance = "ocr"
        else:
            provenance = "text"
        for key, i in zip(keys, at, strict=True):
            confidence = found[key].confidence if key in found else math.nan
            records[i] = OcrCellRecord(*records[i][:5], provenance, confidence)
    return replace(tables, records=OcrCellRecords(records), warnings=warnings)


def _decimal(value: float | None) -> Decimal | None:
    if value is None or math.isnan(value):
        return None
    return Decimal(int(value)) if float(value).is_integer() else Decimal(str(value))


# --- tracing tidy cells to grid cells ----------------------------------------------------------


def _ocr_cells(grid: Grid) -> list[Cell]:
    return [c for row in grid.rows for c in row if c.confidence is not None and not c.spanned]


def _traced(
    sections: dict[str, str], year: int | None, grids: dict[str, list[Grid]]
) -> dict[tuple[str, str, str], Traced]:
    """(table, row, col) → the OCR grid cell its value was read from: the tables read again
    with each OCR number replaced by a marker."""
    from nlp.tables import parse_tables
    from nlp.tables.grid import cell_value

    by_marker: dict[int, Traced] = {}
    marked: dict[str, list[Grid]] = {}
    for table, table_grids in grids.items():
        marked[table] = []
        for grid in table_grids:
            texts: dict[tuple[int, int], str] = {}
            for cell in _ocr_cells(grid):
                read = cell_value(cell.text)
                if read is not None and read.value is not None:
                    marker = MARKER_BASE + len(by_marker)
                    by_marker[marker] = Traced(cell.text, cell.confidence, cell.alternatives)
                    texts[cell.origin] = str(marker)
            marked[table].append(_with_texts(grid, texts))
    again = parse_tables(sections, year, grids=marked).records
    return {
        (r.table, r.row, r.col): by_marker[int(r.value)]
        for r in again
        if r.value is not None and r.value == int(r.value) and int(r.value) in by_marker
    }


def _with_texts(grid: Grid, texts: dict[tuple[int, int], str]) -> Grid:
    rows = tuple(
        tuple(replace(c, text=texts[c.origin]) if c.origin in texts else c for c in row)
        for row in grid.rows
    )
    return replace(grid, rows=rows)


def _untraced(table: str, grids: Sequence[Grid], found: dict[Key, Traced]) -> list[ParseWarning]:
    """OCR number cells in doubt that no tidy cell came from (a table read from its text)."""
    if found:
        return []
    doubtful = [
        c.text
        for grid in grids
        for c in _ocr_cells(grid)
        if c.confidence < spec()["doubt_below"] and any(ch.isdigit() for ch in c.text)
    ]
    if not doubtful:
        return []
    message = spec()["messages"]["table_uncertain"].format(cells="、".join(doubtful[:8]))
    return [ParseWarning("table.ocr_uncertain", message, table=table)]


# --- the arithmetic --------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One equation of the table: the cells it reads and whether it holds for given values
    (a rule with a blank cell holds: it is not checked)."""

    cells: tuple[Key, ...]
    holds: Callable[[Values], bool]


def rules(table: str, keys: Sequence[Key]) -> list[Rule]:
    """The table's equations over the cells present: each row's total (table 四's three rows
    of five included), and each column of each column rule (layouts.yaml)."""
    out = []
    row_total = row_total_constraint(table)
    by_row: dict[str, list[Key]] = {}
    for key in keys:
        by_row.setdefault(key[0], []).append(key)
    if row_total is not None:
        out += [Rule(tuple(row), _row_rule(tuple(row), row_total)) for row in by_row.values()]
    present = set(keys)
    for rule in layouts()["tables"][table].get("column_arithmetic", []):
        check = column_rule(rule)
        for col in dict.fromkeys(col for _, col in keys):
            column = {row: (row, col) for row in by_row if (row, col) in present}
            out.append(Rule(tuple(column.values()), _column_check(check, column)))
    return out


def _row_rule(block: tuple[Key, ...], constraint) -> Callable[[Values], bool]:
    return lambda values: constraint([values.get(k) for k in block])


def _column_check(check, column: dict[str, Key]) -> Callable[[Values], bool]:
    def holds(values: Values) -> bool:
        fits = {row: Fit([values.get(key)], [""], "exact") for row, key in column.items()}
        return check(fits)

    return holds


def _involved(rule: Rule, key: Key, values: Values) -> bool:
    """Whether the rule reads `key`: with every other checked cell 0, a 1 there breaks it."""
    if key not in rule.cells or values.get(key) is None:
        return False
    zeros = {k: (None if values.get(k) is None else Decimal(0)) for k in rule.cells}
    return not rule.holds({**zeros, key: Decimal(1)})


# --- judging ---------------------------------------------------------------------------------


def judge(table: str, values: Values, traced: dict[Key, Traced]) -> Judged:
    """Mend the rules that fail where one doubtful cell's other reading makes them hold; flag
    what stays in doubt."""
    config = spec()
    table_rules = rules(table, list(values))
    failing = [r for r in table_rules if not r.holds(values)]
    out = Judged()
    settled: set[Key] = set()
    for threshold in (config["doubt_below"], config["retry_below"]):
        open_rules = [r for r in failing if not (set(r.cells) & settled)]
        if not open_rules:
            break
        fits = _fits(values, traced, table_rules, open_rules, threshold)
        for rule in open_rules:
            mending = [(k, v, raw) for k, v, raw in fits if k in rule.cells]
            if not mending or set(rule.cells) & settled:
                continue
            settled.update(k for k, _, _ in mending)
            out.warnings.append(_mended(table, mending, traced))
            if len(mending) == 1:
                key, value, raw = mending[0]
                out.fixed[key] = (value, raw)
    still_failing = [r for r in failing if not (set(r.cells) & settled)]
    out.warnings += _unchecked(table, values, traced, table_rules, still_failing, settled)
    return out


def _fits(
    values: Values,
    traced: dict[Key, Traced],
    table_rules: list[Rule],
    failing: list[Rule],
    threshold: float,
) -> list[tuple[Key, Decimal, str]]:
    """(cell, value, raw) for each other reading of a doubtful cell in a failing rule under
    which every rule on that cell holds."""
    suspects = dict.fromkeys(
        k
        for rule in failing
        for k in rule.cells
        if k in traced and traced[k].confidence < threshold and _involved(rule, k, values)
    )
    fits = []
    for key in suspects:
        on_cell = [r for r in table_rules if _involved(r, key, values)]
        for raw in candidates(traced[key]):
            trial = {**values, key: to_number(raw)}
            if all(r.holds(trial) for r in on_cell):
                fits.append((key, trial[key], raw))
    return fits


def candidates(cell: Traced) -> list[str]:
    """Other readings of a cell's digits: the engine's second choices first, then the
    confusions of ocr_digits.yaml, a dropped digit put back, an extra digit left out."""
    from nlp.tables.grid import cell_value

    read = cell_value(cell.text)
    if read is None or read.value is None:
        return []
    digits = read.raw.replace(",", "")
    seen = {digits}
    out = []
    engine = (cell_value(a) for a in cell.alternatives)
    for other in [*(a.raw for a in engine if a and a.value is not None), *_variants(digits)]:
        if other not in seen and to_number(other) is not None and _well_formed(other):
            seen.add(other)
            out.append(other)
    return out


def _variants(digits: str) -> Iterator[str]:
    config = spec()
    for at, digit in enumerate(digits):
        for other in config["confusions"].get(digit, []):
            yield digits[:at] + other + digits[at + 1 :]
    if "." in digits or "-" in digits:
        return
    if config["dropped_digit"]:
        for at in range(len(digits) + 1):
            for digit in "0123456789":
                yield digits[:at] + digit + digits[at:]
    if config["extra_digit"] and len(digits) > 1:
        for at in range(len(digits)):
            yield digits[:at] + digits[at + 1 :]


def _well_formed(raw: str) -> bool:
    return not (len(raw) > 1 and raw[0] == "0" and raw[1] != ".")


def _mended(
    table: str, mending: list[tuple[Key, Decimal, str]], traced: dict[Key, Traced]
) -> ParseWarning:
    messages = spec()["messages"]
    (row, col), _, raw = mending[0]
    if len(mending) == 1:
        message = messages["corrected"].format(
            label=row_label(table, row), col=col, read=traced[(row, col)].text, fixed=raw
        )
        return ParseWarning("table.ocr_corrected", message, table=table, row=row)
    options = "；".join(f"{c} {traced[(r, c)].text}→{fix}" for (r, c), _, fix in mending[:6])
    message = messages["ambiguous"].format(
        label=row_label(table, row), count=len(mending), options=options
    )
    return ParseWarning("table.ambiguous_ocr", message, table=table, row=row)


def _unchecked(
    table: str,
    values: Values,
    traced: dict[Key, Traced],
    table_rules: list[Rule],
    failing: list[Rule],
    settled: set[Key],
) -> list[ParseWarning]:
    """A warning per row holding cells in doubt that no holding rule confirms, or not quite
    sure cells (below `retry_below`) in a rule that fails and could not be mended."""
    config = spec()
    by_row: dict[str, list[str]] = {}
    for key, cell in traced.items():
        if key in settled or cell.confidence >= config["retry_below"]:
            continue
        if cell.confidence < config["doubt_below"]:
            doubtful = not any(_involved(r, key, values) and r.holds(values) for r in table_rules)
        else:
            doubtful = any(_involved(r, key, values) for r in failing)
        if doubtful:
            by_row.setdefault(key[0], []).append(f"{key[1]} {cell.text}")
    return [
        ParseWarning(
            "table.ocr_uncertain",
            spec()["messages"]["uncertain"].format(label=row_label(table, row), cells="、".join(c)),
            table=table,
            row=row,
        )
        for row, c in by_row.items()
    ]
