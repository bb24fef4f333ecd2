"""A generated report as printable blocks: title, headings, paragraphs and table grids.

Every renderer (txt, md, html, docx, pdf) walks the same blocks, so the tables are laid out
once: a grid is a dense matrix of `GridCell`s, with None where a merged cell extends.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from nlp.corpus.tables import applicant_cols, outcome_rows
from nlp.report import layouts

if TYPE_CHECKING:
    from nlp.corpus.generate import GeneratedReport

SECTION_ORDER = ("overall", "active", "requests", "review", "problems", "other")


@dataclass(frozen=True)
class GridCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    number: bool = False
    header: bool = False  # a column header (the site forms may print it vertically)


Grid = list[list[GridCell | None]]


@dataclass(frozen=True)
class Block:
    kind: str  # title, heading, paragraph, table
    text: str = ""
    grid: Grid | None = None
    # A paragraph that opens with a sub-heading of 总体情况: that sub-heading (the whole text
    # when it stands alone), so the forms that print sub-headings bold can.
    lead: str = ""


@cache
def print_layout() -> dict[str, Any]:
    text = resources.files("nlp.corpus").joinpath("print_layout.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def blocks(report: GeneratedReport) -> list[Block]:
    """Title, preamble, then the six sections in order, as the report prints."""
    out = [Block("title", line) for line in title_lines(report)]
    out += [Block("paragraph", line) for line in report.sections["preamble"].split("\n") if line]
    raws = {(r.table, r.row, r.col): r.raw for r in report.cells.itertuples(index=False)}
    header_lines = report.noise.get("header_lines", 3)
    for number, key in enumerate(SECTION_ORDER):
        out.append(Block("heading", heading(report, number, key)))
        if key in report.sections:
            out += _paragraphs(report, key)
        else:
            grids = _GRIDS[key](raws, report.format, header_lines)
            out += [Block("table", grid=grid) for grid in grids]
    return out


def _paragraphs(report: GeneratedReport, key: str) -> list[Block]:
    """The section's paragraphs; one that opens with a sub-heading carries it as its lead."""
    leads = [s["text"] for s in report.sentences if s["section"] == key and s["heading"]]
    out = []
    for line in report.sections[key].split("\n"):
        if not line:
            continue
        lead = next((h for h in leads if line.startswith(h)), "")
        out.append(Block("paragraph", line, lead=lead))
    return out


def title_lines(report: GeneratedReport) -> list[str]:
    title = print_layout()["title"]
    style = report.noise.get("title_style", "agency_first")
    if style == "year_first":
        return [f"{report.year}年{report.agency}{title}"]
    if style == "two_lines":
        return [report.agency, f"{report.year}年{title}"]
    return [f"{report.agency}{report.year}年{title}"]


def heading(report: GeneratedReport, number: int, key: str) -> str:
    layout = print_layout()
    names = layout["section_titles"][key]
    name = names[(report.year + number) % len(names)]
    text = layout["numbering"][report.noise.get("heading_style", "standard")][number] + name
    if report.noise.get("spaced_headings"):
        return " ".join(text.replace(" ", ""))
    return text


def _label(row: str, fmt: str) -> str:
    override = print_layout()["row_label_overrides"].get(fmt, {})
    if row in override:
        return override[row]
    spec = layouts()["tables"]["requests"]["rows"] + layouts()["tables"]["active"]["rows"]
    return next(r["labels"][0] for r in spec if r["key"] == row)


def _numbers(raws: dict, table: str, row: str, cols: list[str]) -> list[GridCell]:
    """The cells as printed (truth `raw`: the number, or the blank marker of a null cell)."""
    return [GridCell(raws[(table, row, c)], number=True) for c in cols]


def _active_grids(values: dict, fmt: str, header_lines: int = 3) -> list[Grid]:
    grid: Grid = []
    for block in print_layout()["active_blocks"][fmt]:
        cols = list(block["cols"])
        grid.append([GridCell(block["header"], colspan=4), None, None, None])
        headers = [GridCell("信息内容")] + [GridCell(block["cols"][c]) for c in cols]
        grid.append(_pad(headers, 4))
        for row in block["rows"]:
            grid.append(
                _pad([GridCell(_label(row, fmt)), *_numbers(values, "active", row, cols)], 4)
            )
    return [grid]


def _pad(cells: list[GridCell], width: int) -> list[GridCell | None]:
    """A short row: its last cell spans the remaining columns."""
    if len(cells) == width:
        return list(cells)
    last = cells[-1]
    span = width - len(cells) + 1
    return [*cells[:-1], GridCell(last.text, colspan=span, number=last.number)] + [None] * (
        span - 1
    )


def _requests_grids(values: dict, fmt: str, header_lines: int = 3) -> list[Grid]:
    layout = print_layout()
    cols = [*applicant_cols(), "total"]
    header = _requests_header(header_lines)
    tops = layout["top_numbers"]
    body: Grid = [
        _flow_row(values, tops[0], "new", fmt, cols),
        _flow_row(values, tops[1], "carried_over", fmt, cols),
    ]
    outcome_lines = _outcome_lines(values, fmt, cols)
    group = GridCell(tops[2] + layout["requests_outcomes_group"], rowspan=len(outcome_lines))
    body += [[group if i == 0 else None, *line] for i, line in enumerate(outcome_lines)]
    body.append(_flow_row(values, tops[3], "carried_forward", fmt, cols))
    return [header + body]


def _requests_header(lines: int = 3) -> Grid:
    """The header of table 三: 申请人情况 (on the three-line header only) over 自然人 /
    法人或其他组织 (over its five kinds) / 总计."""
    layout = print_layout()
    col_labels = layouts()["tables"]["requests"]["col_labels"]
    note = GridCell(layout["requests_note"], rowspan=lines, colspan=3)
    persons = [
        GridCell(col_labels["natural_person"], rowspan=2, header=True),
        GridCell(layout["requests_legal_persons"], colspan=5),
        *[None] * 4,
        GridCell(col_labels["total"], rowspan=2, header=True),
    ]
    kinds = [None, None, None, None, *_kind_headers(), None]
    if lines == 2:
        return [[note, None, None, *persons], kinds]
    applicants = [note, None, None, GridCell(layout["requests_applicants"], colspan=7), *[None] * 6]
    return [applicants, [None, None, None, *persons], kinds]


def _kind_headers() -> list[GridCell]:
    """The five legal-person kinds (商业企业 …), each a column header."""
    col_labels = layouts()["tables"]["requests"]["col_labels"]
    return [GridCell(col_labels[c], header=True) for c in applicant_cols()[1:]]


def _flow_row(values: dict, number: str, row: str, fmt: str, cols: list[str]) -> list:
    return [
        GridCell(number + _label(row, fmt), colspan=3),
        None,
        None,
        *_numbers(values, "requests", row, cols),
    ]


def _outcome_lines(values: dict, fmt: str, cols: list[str]) -> Grid:
    """Rows of 三、本年度办理结果 without its first column: groups (一)…(七) and their items."""
    numbers = print_layout()["group_numbers"]
    lines: Grid = []
    for number, (group, rows) in zip(numbers, _outcome_groups(fmt), strict=True):
        if rows == [group]:
            lines.append(
                [
                    GridCell(number + _label(group, fmt), colspan=2),
                    None,
                    *_numbers(values, "requests", group, cols),
                ]
            )
            continue
        title = GridCell(number + _group_label(group), rowspan=len(rows))
        for i, row in enumerate(rows):
            item = GridCell(f"{i + 1}. {_label(row, fmt)}")
            lines.append(
                [title if i == 0 else None, item, *_numbers(values, "requests", row, cols)]
            )
    return lines


def _outcome_groups(fmt: str) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for row in [*outcome_rows(fmt), "handled_total"]:
        groups.setdefault(row.split(".")[0] if "." in row else row, []).append(row)
    return list(groups.items())


def _group_label(group: str) -> str:
    if group == "other":
        return print_layout()["requests_other_group"]
    spec = layouts()["tables"]["requests"]["groups"]
    return next(g["labels"][0] for g in spec if g["key"] == group)


def _review_grids(values: dict, fmt: str, header_lines: int = 3) -> list[Grid]:
    spec = layouts()["tables"]["review"]
    groups = print_layout()["review_groups"]
    parts = [GridCell(spec["col_labels"][c], header=True) for c in spec["cols"]]
    grid: Grid = [
        [
            GridCell(groups["review"], colspan=5),
            None,
            None,
            None,
            None,
            GridCell(groups["litigation"], colspan=10),
        ]
        + [None] * 9,
        [GridCell(p.text, rowspan=2, header=True) for p in parts]
        + [GridCell(spec["row_labels"]["litigation_direct"], colspan=5)]
        + [None] * 4
        + [GridCell(spec["row_labels"]["litigation_after_review"], colspan=5)]
        + [None] * 4,
        [None] * 5 + parts + parts,
        [c for row in spec["rows"] for c in _numbers(values, "review", row, spec["cols"])],
    ]
    return [grid]


_GRIDS = {"active": _active_grids, "requests": _requests_grids, "review": _review_grids}
