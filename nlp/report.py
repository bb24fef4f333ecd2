"""The shared vocabulary of xxgk-nlp: `Report`, warnings, errors and the canonical keys.

Every module of the pipeline imports from here and from nowhere below it, so the keys of
sections, tables, rows and columns are defined once (the table keys come from
`nlp/tables/layouts.yaml`).
"""

from __future__ import annotations

import errno
import math
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

if TYPE_CHECKING:  # pandas is imported where a frame is built: `xxgk parse --json` needs none
    import pandas as pd

SECTION_KEYS: tuple[str, ...] = (
    "preamble",
    "overall",
    "active",
    "requests",
    "review",
    "problems",
    "other",
)
NARRATIVE_SECTIONS: tuple[str, ...] = ("overall", "problems", "other")
TABLE_SECTIONS: tuple[str, ...] = ("active", "requests", "review")
FORMATS: tuple[str, ...] = ("2019", "2021")
# The taxonomy of spec/themes.md: what a narrative sentence is about and what it does.
THEME_KEYS: tuple[str, ...] = (
    "proactive",
    "on_request",
    "interpretation",
    "management",
    "platform",
    "oversight",
    "capacity",
    "proposals",
    "fees",
    "general",
)
FUNCTION_KEYS: tuple[str, ...] = ("achievement", "problem", "measure", "framing")
CELL_COLUMNS: tuple[str, ...] = ("table", "row", "col", "value", "raw")


class ReadError(ValueError):
    """A file that cannot be read as a report: the message names the file and the reason.

    A `ValueError` (the content is not a readable report); when the file itself cannot be
    opened, the `ReportFileError` below, which is an `OSError` too.

    `reason` says what is wrong with the file in a user's terms; `detail`, when there is one,
    is the technical cause behind it (a library's own error), shown after it in brackets.
    """

    def __init__(self, source: str, reason: str, detail: str | None = None):
        self.source = source
        self.reason = reason
        self.detail = detail
        super().__init__(f"{source}: {reason}" + (f" [{detail}]" if detail else ""))

    def __reduce__(self):  # travels between processes (bounded reading, Dask workers)
        return type(self), (self.source, self.reason, self.detail)


class ReportFileError(ReadError, OSError):
    """The file cannot be opened at all (permissions, a folder): also an `OSError`, so that
    `except OSError` around `nlp.read(path)` catches it as it would `open(path)`'s."""

    errno_code: int | None = None

    def __init__(self, source: str, reason: str, detail: str | None = None):
        super().__init__(source, reason, detail)
        self.errno, self.strerror, self.filename = self.errno_code, reason, source

    def __str__(self) -> str:  # the message of ReadError, not OSError's "[Errno 2] …"
        return str(self.args[0])


class ReportNotFoundError(ReportFileError, FileNotFoundError):
    """No file at the path given."""

    errno_code = errno.ENOENT


class ReportIsADirectoryError(ReportFileError, IsADirectoryError):
    """A folder where a file was expected (`xxgk` and `nlp.batch` walk folders; `nlp.read` not)."""

    errno_code = errno.EISDIR


@dataclass(frozen=True)
class ParseWarning:
    """Something the reader is unsure of. `code` is stable (`table.row_missing` …)."""

    code: str
    message: str
    table: str | None = None
    row: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"code": self.code, "message": self.message}
        if self.table:
            out["table"] = self.table
        if self.row:
            out["row"] = self.row
        return out


def empty_cells() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {
            "table": pd.Series(dtype="str"),
            "row": pd.Series(dtype="str"),
            "col": pd.Series(dtype="str"),
            "value": pd.Series(dtype="float64"),
            "raw": pd.Series(dtype="str"),
        }
    )


class CellRecord(NamedTuple):
    """One tidy cell as the reader makes it; `value` is None where the cell is blank."""

    table: str
    row: str
    col: str
    value: float | None
    raw: str


class CellRecords(list):
    """A report's cells as the reader makes them, before anyone asks for a frame: a list of
    `CellRecord`. Writing `--json` walks these; the frame (pandas) is built on first use."""

    def to_frame(self) -> pd.DataFrame:
        """The cells frame, built column by column: a frame from records with `astype` after
        costs four times as much (pandas infers and converts every column twice)."""
        if not self:
            return empty_cells()
        import numpy as np
        import pandas as pd

        tables, rows, cols, values, raws = zip(*self, strict=True)
        return pd.DataFrame(
            {
                "table": pd.array(tables, dtype="str"),
                "row": pd.array(rows, dtype="str"),
                "col": pd.array(cols, dtype="str"),
                "value": np.array([np.nan if v is None else v for v in values], dtype="float64"),
                "raw": pd.array(raws, dtype="str"),
            }
        )


class CellsField:
    """`Report.cells`: a DataFrame to every reader of it, held as `CellRecords` until first read.

    A dataclass field whose default is a descriptor: `Report(cells=…)` takes a frame or records,
    and the frame is built (once, then kept) only when something reads `report.cells`, so the
    reader and `parse --json` never import pandas."""

    def __set_name__(self, owner, name: str) -> None:
        self._slot = "_" + name

    def __get__(self, report, owner=None):
        if report is None:
            return None  # the field's default: no cells
        value = report.__dict__.get(self._slot)
        if value is None or isinstance(value, CellRecords):
            value = (value or CellRecords()).to_frame()
            report.__dict__[self._slot] = value
        return value

    def __set__(self, report, value) -> None:
        report.__dict__[self._slot] = value


def has_cells(report: Report) -> bool:
    """Whether the report has any cell, without building its frame for the question."""
    records = cell_records(report)
    return bool(records) if records is not None else not report.cells.empty


def cell_records(report: Report) -> list[CellRecord] | None:
    """The report's cells as records when no frame has been built yet (else None)."""
    value = report.__dict__.get("_cells")
    return value if isinstance(value, CellRecords) else None


@dataclass
class Report:
    """One annual report: its sections as text and its tables as tidy cells.

    `text` is the report's one text (what ingest made of the file); `spans` gives each section's
    (start, end) in it, so `sections[key] == text[start:end]`. Every later position (a sentence,
    a claim, a finding's evidence) is an offset into `text`. A Report made from `sections` alone
    (tests, notebooks) gets a `text` of its sections joined by blank lines.
    """

    source: str
    agency: str | None = None
    year: int | None = None
    format: str | None = None
    mixed_layout: bool = False
    input_format: str | None = None
    period: tuple[str, str] | None = None
    sections: dict[str, str] = field(default_factory=dict)
    cells: pd.DataFrame = CellsField()  # type: ignore[assignment]
    warnings: list[ParseWarning] = field(default_factory=list)
    confidence: float = 1.0
    text: str = field(default="", repr=False)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    # The document's headings, paragraphs and tables (`nlp.ingest.model.Block`), offsets into text.
    blocks: list[Any] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        if not self.text and self.sections:
            self.text, self.spans = _joined_sections(self.sections)

    @cached_property
    def sentences(self) -> list[Any]:
        """The narrative sentences (`nlp.text.report_sentences`), cut once: offsets into `text`."""
        from nlp.text.sentences import report_sentences

        return report_sentences(self)

    def __repr__(self) -> str:
        from nlp.notebook import report_repr

        return report_repr(self)

    def _repr_html_(self) -> str:
        from nlp.notebook import report_html

        return report_html(self)

    def value(self, table: str, row: str, col: str) -> float | None:
        """The value of one cell, or None when it is blank or was not found in this report.

        Raises KeyError, naming the valid keys, for a table, row or column no format has."""
        _check_key("table", table, TABLE_SECTIONS)
        for axis, key, what in (("row", row, "row"), ("col", col, "column")):
            if key not in valid_keys(table, axis):  # or a key only this report has
                present = self.cells.loc[self.cells["table"] == table, axis].unique()
                valid = tuple(dict.fromkeys((*valid_keys(table, axis), *present)))
                _check_key(f"{what} of table {table!r}", key, valid)
        import pandas as pd

        hit = self.cells[
            (self.cells["table"] == table) & (self.cells["row"] == row) & (self.cells["col"] == col)
        ]
        if hit.empty or pd.isna(hit["value"].iloc[0]):
            return None
        return float(hit["value"].iloc[0])

    def table(self, name: str) -> pd.DataFrame:
        """One table as a wide frame: rows × columns, in printed order (empty when the report
        has no such table). Raises KeyError, naming the valid ones, for an unknown table."""
        import pandas as pd

        _check_key("table", name, TABLE_SECTIONS)
        part = self.cells[self.cells["table"] == name]
        if part.empty:
            return pd.DataFrame()
        wide = part.pivot(index="row", columns="col", values="value")
        rows = list(dict.fromkeys(part["row"]))
        cols = list(dict.fromkeys(part["col"]))
        return wide.reindex(index=rows, columns=cols)

    def to_dict(self) -> dict[str, Any]:
        """The `xxgk parse --json` object of interfaces.md (plus a few extra keys)."""
        records = cell_records(self)
        rows = records if records is not None else self.cells.itertuples(index=False)
        cells = [
            {
                "table": r.table,
                "row": r.row,
                "col": r.col,
                "value": _json_number(r.value),
                "raw": r.raw,
                **_provenance(r),
            }
            for r in rows
        ]
        return {
            "source": self.source,
            "agency": self.agency,
            "year": self.year,
            "format": self.format,
            "mixed_layout": self.mixed_layout,
            "input_format": self.input_format,
            "period": list(self.period) if self.period else None,
            "confidence": round(self.confidence, 3),
            "sections": {k: self.sections[k] for k in SECTION_KEYS if k in self.sections},
            "spans": {k: list(self.spans[k]) for k in SECTION_KEYS if k in self.spans},
            "text": self.text,
            "cells": cells,
            "warnings": [w.to_dict() for w in self.warnings],
        }


def _provenance(cell: Any) -> dict[str, Any]:
    """How a cell of a report read by OCR was read (`nlp.tables.ocr_digits`); nothing else."""
    provenance = getattr(cell, "provenance", None)
    if provenance is None:
        return {}
    confidence = _json_number(round(cell.confidence, 4))
    return {"provenance": provenance, "confidence": confidence}


def _check_key(what: str, key: str, valid) -> None:
    if key not in valid:
        raise KeyError(f"no {what} {key!r}; valid: {', '.join(valid)}")


@cache
def valid_keys(table: str, axis: str) -> tuple[str, ...]:
    """Every row (axis "row") or column ("col") key a table has in any format or layout."""
    keys = [k for fmt in FORMATS for mixed in (False, True) for k in table_keys(table, fmt, mixed)]
    return tuple(dict.fromkeys(row if axis == "row" else col for row, col in keys))


SECTION_SEPARATOR = "\n\n"


def _joined_sections(sections: dict[str, str]) -> tuple[str, dict[str, tuple[int, int]]]:
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    position = 0
    for key in SECTION_KEYS:
        if key not in sections:
            continue
        if parts:
            parts.append(SECTION_SEPARATOR)
            position += len(SECTION_SEPARATOR)
        spans[key] = (position, position + len(sections[key]))
        parts.append(sections[key])
        position += len(sections[key])
    return "".join(parts), spans


def _json_number(value: Any) -> int | float | None:
    """A number as JSON holds it: NaN and infinities (which JSON has no word for) are null."""
    if value is None:
        return None
    try:
        value = float(value)
    except TypeError:  # pandas' NA (a nullable float column), without importing pandas
        return None
    if not math.isfinite(value):
        return None
    return int(value) if value.is_integer() else value


def json_safe(obj: Any) -> Any:
    """`obj` with every float that JSON cannot hold (NaN, ±inf) made null, at any depth."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {key: json_safe(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_safe(value) for value in obj]
    return obj


@cache
def layouts() -> dict[str, Any]:
    """The table layouts (labels, columns, formats) from `tables/layouts.yaml`."""
    text = resources.files("nlp.tables").joinpath("layouts.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def table_keys(table: str, fmt: str, mixed: bool = False) -> list[tuple[str, str]]:
    """Every (row, col) a complete table of this format has, in printed order.

    `mixed`: the table as a report of `fmt` prints it in the table's `mixed_layout`
    (layouts.yaml: a revised-format table 三 with the trial layout's single 其他处理 row, which
    stands where the rows it replaces would)."""
    spec = layouts()["tables"][table]
    if table == "review":
        return [(r, c) for r in spec["rows"] for c in spec["cols"]]
    layout = spec.get("mixed_layout") if mixed else None
    if layout and layout["format"] != fmt:
        layout = None
    keys = []
    for row in spec["rows"]:
        if layout and row["key"] == layout["row"]:
            continue
        if layout and row["key"].startswith(layout["replaces"]):
            if not any(r == layout["row"] for r, _ in keys):
                keys.extend((layout["row"], c) for c in spec["cols"])
            continue
        if fmt not in row.get("formats", FORMATS):
            continue
        cols = row["cols"][fmt] if "cols" in row else spec["cols"]
        keys.extend((row["key"], c) for c in cols)
    return keys
