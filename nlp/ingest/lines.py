"""Text that arrives as lines (txt, markdown, a reader's line output) → a `Document`.

Plain text keeps little of a report's structure, so it is read back from the lines:
- page furniture (`- 1 -`, `第3页 共7页`, the crawler's `==== 正文 ====`) is dropped, whole
  lines only;
- markdown `#` lines are headings of their level; numbered short lines become headings in
  `DocumentBuilder.paragraph`;
- a hard-wrapped paragraph (PDF text, markdown from PDF converters) is joined back: a line
  goes on in the next when it is full — near the document's wrap width — and ends no sentence.
  A blank line always ends a paragraph; a document that shows no wrapping is never joined;
- runs of tab-separated lines are table blocks kept as the lines are (the flattened-text
  reader reads them); a well-formed markdown pipe table becomes a grid, a broken one (a PDF
  converter's) stays text.
The layout vocabulary is in `furniture.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from nlp.ingest import text as plain
from nlp.ingest.model import Document, DocumentBuilder, SourceCell, is_heading_line, numbering
from nlp.report import ParseWarning

MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})(?:[ \t]+|$)(.*?)[ \t#]*$")
FIGURE = re.compile(r"^[-+]?[0-9０-９][0-9０-９.,，]*[%％]?$")
BOLD = re.compile(r"\*\*(.+?)\*\*")
EDGE_BLANKS = " \t\u3000"

PARAGRAPH_RUN = "paragraph"
TAB_RUN = "tab"
PIPE_RUN = "pipe"


@dataclass(frozen=True)
class _Layout:
    furniture: re.Pattern[str]  # the furniture lines' patterns as one alternation
    furniture_max_chars: int
    wrapping: dict[str, Any]
    item_start: re.Pattern[str]
    figures_row: re.Pattern[str]
    rule_cell: re.Pattern[str]
    placeholder_cell: re.Pattern[str]


@cache
def _layout() -> _Layout:
    raw = resources.files("nlp.ingest").joinpath("furniture.yaml").read_text("utf-8")
    spec: dict[str, Any] = yaml.safe_load(raw)
    wrapping = spec["wrapping"]
    pipes = spec["pipe_tables"]
    return _Layout(
        # One pattern for all: a whole line matches the alternation when it matches one of them.
        furniture=re.compile("|".join(f"(?:{p})" for p in spec["furniture_lines"])),
        furniture_max_chars=spec["furniture_max_chars"],
        wrapping=wrapping,
        item_start=re.compile("|".join(f"(?:{p})" for p in wrapping["item_starts"])),
        figures_row=re.compile(wrapping["figures_row"]),
        rule_cell=re.compile(rf"^\s*{pipes['rule_cell']}\s*$"),
        placeholder_cell=re.compile(
            "^(?:" + "|".join(pipes["placeholder_header_cells"]) + ")$", re.IGNORECASE
        ),
    )


# --- page furniture --------------------------------------------------------------------------


def is_furniture(line: str) -> bool:
    """A whole line that is a page header/footer or a crawler's marker, not report text."""
    layout = _layout()
    body = line.strip()
    if not body or len(body) > layout.furniture_max_chars:
        return False
    return layout.furniture.fullmatch(body) is not None


def drop_furniture(text: str) -> str:
    """The text without its page furniture lines (line ends unified to \\n)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line for line in lines if not is_furniture(line))


# --- the document ----------------------------------------------------------------------------


def document_from_lines(
    text: str, source: str, kind: str, warnings: list[ParseWarning] | None = None
) -> Document:
    """A `Document` of headings, paragraphs (wrapped lines joined) and tables from text lines."""
    lines = [line for line in plain.clean(text).split("\n") if not is_furniture(line)]
    runs = list(_runs(lines))
    width = wrap_width([line for kind_, run in runs if kind_ == PARAGRAPH_RUN for line in run])
    grids = _pipe_grids_trusted([run for kind_, run in runs if kind_ == PIPE_RUN])
    builder = DocumentBuilder()
    for run_kind, run in runs:
        if run_kind == TAB_RUN or (run_kind == PIPE_RUN and not grids):
            builder.text_table(run)
        elif run_kind == PIPE_RUN:
            _pipe_table(builder, run)
        else:
            for paragraph in paragraphs(run, width):
                _add_paragraph(builder, paragraph)
    return builder.build(source, kind, warnings)


def _runs(lines: Sequence[str]) -> Iterator[tuple[str, list[str]]]:
    """Consecutive lines of one kind (paragraph text, tab rows, pipe rows); blank lines end a
    run and are dropped."""
    kinds = _line_kinds(lines)
    run: list[str] = []
    run_kind: str | None = None
    for line, line_kind in zip(lines, kinds, strict=True):
        if line_kind != run_kind and run:
            yield run_kind or PARAGRAPH_RUN, run
            run = []
        run_kind = line_kind
        if line_kind is not None:
            run.append(line)
    if run:
        yield run_kind or PARAGRAPH_RUN, run


def _line_kinds(lines: Sequence[str]) -> list[str | None]:
    """Each line's run kind, None for a blank line. A line with tabs only at its edges
    (`第二十条第（一）项\\t\\t\\t`) belongs to the tab rows around it, else it is text."""
    kinds: list[str | None] = [_line_kind(line) for line in lines]
    edge_tabbed = [
        kind is None and "\t" in line and line.strip()
        for line, kind in zip(lines, kinds, strict=True)
    ]
    for order in (range(len(lines)), range(len(lines) - 1, -1, -1)):
        previous: str | None = None
        for i in order:
            if edge_tabbed[i] and previous == TAB_RUN:
                kinds[i] = TAB_RUN
            previous = kinds[i]
    return [
        PARAGRAPH_RUN if kind is None and line.strip() else kind
        for line, kind in zip(lines, kinds, strict=True)
    ]


def _line_kind(line: str) -> str | None:
    """TAB_RUN or PIPE_RUN for a table row; None for a blank line or a line of text."""
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        return PIPE_RUN
    if "\t" in stripped:
        return TAB_RUN
    return None


# --- paragraphs ------------------------------------------------------------------------------


def display_width(text: str) -> int:
    """How wide a line is printed: a CJK (wide) character counts 2, any other 1."""
    # Each character's width looked up in a dict (in C) instead of asked of unicodedata.
    return sum(map(_WIDTHS.__getitem__, text))


class _CharWidths(dict):
    """Display width of each character met so far (the few thousand a corpus uses)."""

    def __missing__(self, char: str) -> int:
        width = 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
        if len(self) < _MAX_REMEMBERED_WIDTHS:  # bounded whatever the input holds
            self[char] = width
        return width


_MAX_REMEMBERED_WIDTHS = 65536
_WIDTHS = _CharWidths()


def _is_wide(char: str) -> bool:
    return _WIDTHS[char] == 2


def ends_sentence(line: str) -> bool:
    """The line ends with 。！？；： (closing brackets and quotes after it allowed)."""
    wrapping = _layout().wrapping
    body = line.rstrip(EDGE_BLANKS).rstrip(wrapping["closing_marks"])
    return bool(body) and body[-1] in wrapping["sentence_ends"]


def _markdown_heading(line: str) -> tuple[int, str] | None:
    match = MARKDOWN_HEADING.match(line)
    return (len(match.group(1)), match.group(2)) if match else None


def _is_heading(line: str) -> bool:
    """A markdown heading or a short numbered line: a block of its own."""
    return _markdown_heading(line) is not None or is_heading_line(unbold(line))


def _starts_item(line: str) -> bool:
    """A numbered line or a list item (一是, 1., •): it starts a paragraph of its own."""
    text = unbold(line).strip(EDGE_BLANKS)
    return numbering(text) is not None or _layout().item_start.match(text) is not None


def wrap_width(lines: Sequence[str]) -> int | None:
    """The document's wrap width (display columns), or None when its lines show no wrapping.

    Lines of a hard-wrapped paragraph that do not end a sentence are cut at the page's line
    end, so their widths crowd just below the wrap width; a report of one paragraph a line has
    no such crowd. The width is a high percentile of the widths of lines that end no sentence."""
    wrapping = _layout().wrapping
    widths = sorted(
        display_width(line.strip(EDGE_BLANKS))
        for line in lines
        if not ends_sentence(line) and not _is_heading(line)
    )
    if len(widths) < wrapping["min_unended_lines"]:
        return None
    width = widths[min(len(widths) - 1, int(wrapping["percentile"] * len(widths)))]
    full = sum(w >= wrapping["full_share"] * width for w in widths)
    if full < max(wrapping["min_full_lines"], wrapping["min_full_share_of_lines"] * len(widths)):
        return None
    return width


def goes_on(line: str, following: str, width: int | None) -> bool:
    """True when `following` continues `line`'s paragraph: the line is full and cut inside a
    sentence and is no heading and no row of figures, and `following` starts no heading and
    no list item (a list item's own wrapped lines do go on)."""
    if width is None or not following.strip() or not line.strip():
        return False
    if ends_sentence(line) or _is_heading(line):
        return False
    if _is_heading(following) or _starts_item(following):
        return False
    if _layout().figures_row.search(line):
        return False
    full = _layout().wrapping["full_share"] * width
    return display_width(line.strip(EDGE_BLANKS)) >= full


def paragraphs(lines: Sequence[str], width: int | None) -> list[list[str]]:
    """The lines of a run (no blank line inside) grouped into paragraphs."""
    grouped: list[list[str]] = []
    for line in lines:
        if grouped and goes_on(grouped[-1][-1], line, width):
            grouped[-1].append(line)
        else:
            grouped.append([line])
    return grouped


def join_lines(lines: Sequence[str]) -> str:
    """The lines of one paragraph as one line: a break between CJK characters vanishes, one
    between other characters (ASCII words) becomes a space."""
    joined = ""
    for line in lines:
        piece = line.strip(EDGE_BLANKS)
        if joined and piece and not (_is_wide(joined[-1]) or _is_wide(piece[0])):
            joined += " "
        joined += piece
    return joined


def unbold(text: str) -> str:
    """Markdown **bold** markers removed (their text kept)."""
    return BOLD.sub(r"\1", text) if "**" in text else text  # most lines have none: no sub


def _add_paragraph(builder: DocumentBuilder, lines: list[str]) -> None:
    heading = _markdown_heading(lines[0]) if len(lines) == 1 else None
    if heading:
        level, title = heading
        builder.heading(unbold(title), level=level)
        return
    builder.paragraph(unbold(join_lines(lines)))


# --- markdown pipe tables --------------------------------------------------------------------


def _pipe_grids_trusted(pipe_runs: list[list[str]]) -> bool:
    """Pipe tables are read as grids only when all of the document's are well formed. A PDF
    converter that broke some of a report's tables also splits a table into well-formed
    pieces (a row per table, a header block above rows it does not belong to); read as
    grids, such pieces would stand for their whole table, so the document's tables are all
    left to the flattened-text reader."""
    return all(is_well_formed([pipe_cells(line) for line in run]) for run in pipe_runs)


def _pipe_table(builder: DocumentBuilder, lines: list[str]) -> None:
    rows = [pipe_cells(line) for line in lines]
    # A converter that lost the header puts the first data row above the rule: a row with
    # figures in it is data, not a header.
    header = not any(FIGURE.match(text) for text in rows[0])
    first = [SourceCell(unbold(text), header=header) for text in rows[0]]
    body = [[SourceCell(unbold(text)) for text in row] for row in rows[2:]]
    builder.table([first, *body], header_rows=int(header))


def pipe_cells(line: str) -> list[str]:
    """The cells of a pipe row, stripped; an empty cell is ""."""
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return [cell.strip(EDGE_BLANKS) for cell in inner.split("|")]


def _is_rule(row: list[str]) -> bool:
    rule = _layout().rule_cell
    return all(rule.match(cell) for cell in row)


def is_well_formed(rows: list[list[str]]) -> bool:
    """A header row of real names, one rule row under it, body rows of the header's width."""
    if len(rows) < 3 or not _is_rule(rows[1]):
        return False
    header, body = rows[0], rows[2:]
    width = len(header)
    if len(rows[1]) != width or any(len(row) != width or _is_rule(row) for row in body):
        return False
    placeholder = _layout().placeholder_cell
    return any(header) and not any(placeholder.match(cell) for cell in header)
