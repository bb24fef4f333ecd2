"""HTML pages → a `Document`: the report's headings, paragraphs and table grids, from the DOM.

The page is parsed by lxml (libxml2's HTML parser: no network access, no external entities)
and walked without recursion, so a page nested thousands of levels deep costs no more than a
flat one. Site chrome, the CMS metadata table and a crawler's wrapper lines are dropped; the
main-content container is kept (with the page's title when it sits outside it). Inline
elements are pieces of one line (Word-pasted markup splits a word over many <span>s), block
elements and <br> end a line, and each leaf <table> becomes a grid of its cells as printed.

The vocabulary of chrome, page information, blocks and bounds is data (`html_chrome.yaml`).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from lxml import etree

from nlp.ingest import text as plain
from nlp.ingest.model import (
    HEADING,
    MAX_GRID_CELLS,
    PARAGRAPH,
    TABLE,
    Document,
    DocumentBuilder,
    SourceCell,
    grid_size,
)
from nlp.report import ParseWarning

META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
META_SNIFF_BYTES = 4096
# GB18030 decodes everything GBK and GB2312 do; sites declare the smaller sets.
CHARSET_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")
_BLANKS = re.compile(r"\s+")
_SPAN_NUMBER = re.compile(r"\s*\+?(\d{1,9})")
_TOO_DEEP_ERROR = "ERR_RESOURCE_LIMIT"


@cache
def chrome_rules() -> dict[str, Any]:
    """The vocabulary of `html_chrome.yaml`, with its sets and patterns built."""
    text = resources.files("nlp.ingest").joinpath("html_chrome.yaml").read_text(encoding="utf-8")
    rules = yaml.safe_load(text)
    for key in (
        "invisible_tags",
        "chrome_tags",
        "block_tags",
        "preformatted_tags",
        "header_cell_tags",
        "title_tags",
    ):
        rules[key] = frozenset(rules[key])
    rules["chrome_words"] = tuple(rules["chrome_words"])
    rules["title_words"] = tuple(rules["title_words"])
    labels = "|".join(map(re.escape, sorted(rules["page_info_labels"], key=len, reverse=True)))
    rules["page_info_label"] = re.compile(labels)
    rules["page_info_in_text"] = re.compile(rf"(?:{labels})\s*[:：]")
    rules["page_info_line"] = re.compile(rf"^\s*(?:{labels})\s*(?:[:：]|$)")
    rules["page_info_alone"] = re.compile(rf"\s*(?:{labels})\s*[:：]?\s*")
    rules["main_selectors"] = tuple(_selector(s) for s in rules["main_selectors"])
    invisible = " | ".join(f"descendant::{tag}" for tag in sorted(rules["invisible_tags"]))
    rules["invisible_xpath"] = etree.XPath(f"{invisible} | descendant::*[@style]")
    flatten = "|".join(
        re.escape(tag) for tag in (*rules["flatten_line_tags"], *rules["flatten_inline_tags"])
    )
    rules["flatten_tag"] = re.compile(rf"<(/?)({flatten})(?=[\s/>])[^>]*>", re.I)
    rules["flatten_line_set"] = frozenset(rules["flatten_line_tags"])
    return rules


def _selector(selector: str) -> tuple[str, str]:
    """A simple CSS selector as (what, name): ("class", x) for .x, ("id", x) for #x, else
    ("tag", x)."""
    what = {".": "class", "#": "id"}.get(selector[0], "tag")
    name = selector if what == "tag" else selector[1:]
    if not re.fullmatch(r"[A-Za-z0-9_:-]+", name):
        raise ValueError(f"html_chrome.yaml: unsupported main selector {selector!r}")
    return what, name.lower() if what == "tag" else name


_NAMED = etree.XPath("descendant-or-self::*[@id or @class]")
_TEXT_OF = etree.XPath("string()")


# --- decoding and parsing ---------------------------------------------------------------------


def read_html(data: bytes, source: str) -> Document:
    """The page's report as a `Document` (kind "html")."""
    markup, warnings = decode_html(data, source)
    root, parse_warnings = parse_page(markup)
    builder = DocumentBuilder()
    if root is not None:
        blocks, walk_warnings = page_blocks(root)
        for block in blocks:
            block.add_to(builder)
        parse_warnings += walk_warnings
    return builder.build(source, "html", warnings + parse_warnings)


CHARSET_MISMATCH = "ingest.charset_mismatch"


def decode_html(data: bytes, source: str) -> tuple[str, list[ParseWarning]]:
    """Decode with the page's declared charset when it fits, else like a text file."""
    declared = _declared_charset(data[:META_SNIFF_BYTES])
    if not declared:
        return plain.decode(data, source)
    markup = _decoded_as(data, declared)
    if markup is not None:
        return markup, []
    text, warnings = plain.decode(data, source)
    warning = ParseWarning(
        CHARSET_MISMATCH,
        f"the page declares the charset {declared}, but its bytes are not in it; "
        "it was decoded by detection instead",
    )
    return text, [warning, *warnings]


def _decoded_as(data: bytes, charset: str) -> str | None:
    """The page in its declared charset, or None when the bytes do not fit it: they do not
    decode, the result holds NULs or no ASCII markup (UTF-8 read as UTF-16), or they are
    valid UTF-8 text declared as another charset (multi-byte UTF-8 sequences almost never
    occur by chance in GBK or Big5 text)."""
    try:
        markup = data.decode(charset)
    except UnicodeDecodeError:
        return None
    if "\x00" in markup or "<" not in markup:
        return None
    if charset != "utf-8" and not data.isascii() and _is_utf8(data):
        return None
    return markup


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _declared_charset(head: bytes) -> str | None:
    match = META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii", errors="ignore").lower()
    name = CHARSET_SUPERSETS.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def parse_page(markup: str) -> tuple[etree._Element | None, list[ParseWarning]]:
    """The page's element tree (None when it holds no element at all).

    libxml2 stops building the tree past its depth limit and drops everything after that
    point; such a page is parsed again with its wrapper tags flattened."""
    root, too_deep = _parse(markup)
    if not too_deep:
        return root, []
    rules = chrome_rules()
    root, _ = _parse(_flatten_wrappers(markup, rules))
    warning = ParseWarning(
        "ingest.html_too_deep",
        f"the page is nested deeper than {rules['max_parse_depth']} elements: its wrapper tags "
        "were flattened to line breaks, so site chrome may remain in the text",
    )
    return root, [warning]


def _parse(markup: str) -> tuple[etree._Element | None, bool]:
    # The markup is already decoded: it is handed over as UTF-8 so a <meta charset> or an
    # XML declaration inside it cannot switch the decoding.
    parser = etree.HTMLParser(
        encoding="utf-8",
        remove_comments=True,
        remove_pis=True,
        no_network=True,
        huge_tree=True,
    )
    root = etree.fromstring(markup.encode("utf-8", errors="replace"), parser)
    too_deep = any(error.type_name == _TOO_DEEP_ERROR for error in parser.error_log)
    return root, too_deep


def _flatten_wrappers(markup: str, rules: dict[str, Any]) -> str:
    def replace(match: re.Match[str]) -> str:
        return "<br>" if match.group(2).lower() in rules["flatten_line_set"] else ""

    return rules["flatten_tag"].sub(replace, markup)


# --- the page's content -----------------------------------------------------------------------


@dataclass(frozen=True)
class PageBlock:
    """A block found in the page, before it is laid out in the document's text."""

    kind: str
    text: str = ""
    level: int | None = None
    rows: tuple[tuple[SourceCell, ...], ...] = ()
    header_rows: int = 0

    def add_to(self, builder: DocumentBuilder) -> None:
        if self.kind == HEADING:
            builder.heading(self.text, self.level)
        elif self.kind == TABLE:
            builder.table(self.rows, self.header_rows)
        else:
            builder.paragraph(self.text)

    def lines(self) -> Iterable[str]:
        if self.kind != TABLE:
            return (self.text,)
        return (cell.text for row in self.rows for cell in row)


def page_blocks(root: etree._Element) -> tuple[list[PageBlock], list[ParseWarning]]:
    """The report's blocks in reading order: chrome and page information dropped."""
    rules = chrome_rules()
    _drop(_invisible(root, rules))
    body = root.find("body")
    if body is None:
        body = root
    measured = _measure(body, rules)
    _drop(_chrome(body, measured, rules))
    _drop(_page_information(body, measured, rules))
    measured = _measure(body, rules, count_labels=False)
    main = _main_container(body, measured, rules)
    walker = _Walker(rules)
    walker.walk(main)
    title = _title_outside(body, main, measured, rules)
    blocks = walker.blocks
    if title and not (blocks and _BLANKS.sub("", blocks[0].text) == _BLANKS.sub("", title)):
        blocks = [PageBlock(HEADING, title, 1), *blocks]
    return _without_info_before_title(blocks, rules), walker.warnings


def _drop(elements: list[etree._Element]) -> None:
    for element in elements:
        _drop_tree(element)


def _drop_tree(element: etree._Element) -> None:
    """Remove the element and its content, keeping its tail text in place."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _invisible(root: etree._Element, rules: dict[str, Any]) -> list[etree._Element]:
    def invisible(element: etree._Element) -> bool:
        if element.tag in rules["invisible_tags"]:
            return True
        return HIDDEN_STYLE.search(element.get("style") or "") is not None

    return [element for element in rules["invisible_xpath"](root) if invisible(element)]


def _text(element: etree._Element) -> str:
    return _TEXT_OF(element)


@dataclass
class _Measured:
    """Each element's text size (characters, whitespace not counted: source indentation is
    not text) and its count of page-info labels, measured bottom-up in one pass."""

    sizes: dict[etree._Element, int]
    labels: dict[etree._Element, int]


def _measure(body: etree._Element, rules: dict[str, Any], count_labels: bool = True) -> _Measured:
    elements = list(body.iter())
    sizes = dict.fromkeys(elements, 0)
    labels = dict.fromkeys(elements, 0)
    count_labels = count_labels and rules["page_info_label"].search(_text(body)) is not None
    # Children come after their parent in document order: in reverse, each element is
    # complete when reached and hands its total (and its tail, the parent's text) upwards.
    for element in reversed(elements):
        text = element.text
        if text:
            sizes[element] += _visible_length(text)
            if count_labels:
                labels[element] += _page_info_labels(text, rules)
        if element is body:
            break
        parent = element.getparent()
        sizes[parent] += sizes[element]
        labels[parent] += labels[element]
        tail = element.tail
        if tail:
            sizes[parent] += _visible_length(tail)
            if count_labels:
                labels[parent] += _page_info_labels(tail, rules)
    return _Measured(sizes, labels)


def _visible_length(text: str) -> int:
    if text.isspace():  # most tails are the source's indentation: no string built for them
        return 0
    return sum(map(len, text.split()))


def _page_info_labels(piece: str, rules: dict[str, Any]) -> int:
    """Labels followed by a colon in a piece of text, or 1 for a label alone (<td>索引号</td>)."""
    found = len(rules["page_info_in_text"].findall(piece))
    return found or int(rules["page_info_alone"].fullmatch(piece) is not None)


def _chrome(
    body: etree._Element, measured: _Measured, rules: dict[str, Any]
) -> list[etree._Element]:
    """Chrome elements not holding most of the page (an element inside a dropped one may be
    listed too: dropping it from the detached tree changes nothing)."""
    sizes = measured.sizes
    limit = rules["max_chrome_share"] * sizes[body]
    candidates = [*_NAMED(body), *(e for tag in rules["chrome_tags"] for e in body.iter(tag))]
    return [
        element
        for element in candidates
        if element is not body and _is_chrome(element, rules) and sizes[element] <= limit
    ]


def _is_chrome(element: etree._Element, rules: dict[str, Any]) -> bool:
    if element.tag in rules["chrome_tags"]:
        return True
    return any(token.startswith(rules["chrome_words"]) for token in _name_tokens(element))


def _name_tokens(element: etree._Element) -> list[str]:
    names = f"{element.get('id') or ''} {element.get('class') or ''}".lower()
    return [token for token in _TOKEN_SPLIT.split(names) if token]


def _page_information(
    body: etree._Element, measured: _Measured, rules: dict[str, Any]
) -> list[etree._Element]:
    """The CMS metadata block and the crawler's wrapper: dense with page-info labels."""
    labels = measured.labels
    minimum = rules["page_info_min_labels"]
    found: list[etree._Element] = []
    pending = [body] if labels.get(body, 0) >= minimum else []
    while pending:
        element = pending.pop()
        if measured.sizes[element] <= rules["page_info_chars_per_label"] * labels[element]:
            found.append(_innermost_holding(element, labels))
            continue
        pending.extend(child for child in element if labels[child] >= minimum)
    return found


def _innermost_holding(element: etree._Element, labels: dict[etree._Element, int]) -> Any:
    """Down to the smallest descendant holding all the element's labels (a table at most)."""
    while element.tag != "table":
        holders = [child for child in element if labels.get(child, 0) == labels[element]]
        if len(holders) != 1:
            break
        element = holders[0]
    return element


def _main_container(
    body: etree._Element, measured: _Measured, rules: dict[str, Any]
) -> etree._Element:
    sizes = measured.sizes
    page_size = sizes[body]
    named = [(element, _names(element)) for element in _NAMED(body)]
    for what, name in rules["main_selectors"]:
        if what == "tag":
            candidates = list(body.iter(name))
        else:
            candidates = [element for element, names in named if name in names[what]]
        if not candidates:
            continue
        size, best = max(((sizes[e], e) for e in candidates), key=lambda pair: pair[0])
        if size >= rules["min_main_share"] * page_size:
            return best
    return body


def _names(element: etree._Element) -> dict[str, tuple[str, ...]]:
    return {"id": (element.get("id") or "",), "class": tuple((element.get("class") or "").split())}


def _title_outside(
    body: etree._Element, main: etree._Element, measured: _Measured, rules: dict[str, Any]
) -> str:
    """The report's title when it sits before the main container: the page's first <h1>, or
    the first title-like element naming a report."""
    if main is body:
        return ""
    around_main = {main, *main.iterancestors()}
    first_h1 = body.find(".//h1")
    if first_h1 is not None:
        if first_h1 in around_main or main in set(first_h1.iterancestors()):
            return ""
        return plain.join_wrapped(_text(first_h1))
    for element in body.iter():
        if element is main:
            break
        too_long = measured.sizes[element] > rules["title_max_chars"]
        if too_long or element in around_main or not _title_like(element, rules):
            continue
        text = plain.join_wrapped(_text(element))
        if len(text) <= rules["title_max_chars"] and any(m in text for m in rules["title_marks"]):
            return text
    return ""


def _title_like(element: etree._Element, rules: dict[str, Any]) -> bool:
    if element.tag in rules["title_tags"]:
        return True
    return any(token.startswith(rules["title_words"]) for token in _name_tokens(element))


def _without_info_before_title(blocks: list[PageBlock], rules: dict[str, Any]) -> list[PageBlock]:
    """Page-info lines printed before the report's title (a crawler's 来源URL/抓取时间 lines,
    a metadata table the structure did not reveal) are dropped, so the title comes first."""
    search = blocks[: rules["title_search_blocks"]]
    title_at = next(
        (
            i
            for i, block in enumerate(search)
            if block.kind != TABLE and any(mark in block.text for mark in rules["title_marks"])
        ),
        0,
    )
    info_line = rules["page_info_line"]
    kept = [
        block
        for block in blocks[:title_at]
        if not any(info_line.match(line) for line in block.lines())
    ]
    return kept + blocks[title_at:]


# --- walking the content ---------------------------------------------------------------------


class _Walker:
    """Walks an element's subtree in document order (iteratively) and collects blocks: inline
    text joins the current line, block elements and <br> end it, leaf tables become grids."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self.rules = rules
        self.blocks: list[PageBlock] = []
        self.warnings: list[ParseWarning] = []
        self._parts: list[str] = []
        self._levels: list[int] = []
        self._preformatted = 0

    def walk(self, top: etree._Element) -> None:
        walker = etree.iterwalk(top, events=("start", "end"))
        for event, element in walker:
            if event == "start":
                if self._start(element):
                    walker.skip_subtree()
                continue
            self._end(element)
            if element is not top and element.tail:
                self._write(element.tail)
        self._flush()

    def _start(self, element: etree._Element) -> bool:
        """Open an element; True when its content is taken whole (a leaf table)."""
        tag = element.tag
        if tag == "br":
            self._flush()
            return False
        if tag == "table" and element.find(".//table") is None:
            self._flush()
            self._table(element)
            return True
        if tag in self.rules["heading_levels"]:
            self._flush()
            self._levels.append(self.rules["heading_levels"][tag])
        elif tag in self.rules["block_tags"]:
            self._flush()
        if tag in self.rules["preformatted_tags"]:
            self._preformatted += 1
        if element.text:
            self._write(element.text)
        return False

    def _end(self, element: etree._Element) -> None:
        tag = element.tag
        if tag in self.rules["heading_levels"]:
            self._flush()
            self._levels.pop()
        elif tag in self.rules["block_tags"]:
            self._flush()
        if tag in self.rules["preformatted_tags"]:
            self._preformatted -= 1

    def _write(self, text: str) -> None:
        if not self._preformatted:
            self._parts.append(text)
            return
        first, *rest = text.split("\n")
        self._parts.append(first)
        for line in rest:
            self._flush()
            self._parts.append(line)

    def _flush(self) -> None:
        if not self._parts:
            return
        line = plain.join_wrapped("".join(self._parts))
        self._parts = []
        if not line:
            return
        if self._levels:
            self.blocks.append(PageBlock(HEADING, line, self._levels[-1]))
        else:
            self.blocks.append(PageBlock(PARAGRAPH, line))

    def _table(self, table: etree._Element) -> None:
        caption = table.find("caption")
        if caption is not None:
            text = cell_text(caption, self.rules)
            if text:
                self.blocks.append(PageBlock(PARAGRAPH, text))
        grid = TableReader(self.rules).read(table)
        self.warnings.extend(grid.warnings)
        if grid.rows and grid.as_grid:
            self.blocks.append(PageBlock(TABLE, rows=grid.rows, header_rows=grid.header_rows))
        else:
            self.blocks.extend(PageBlock(PARAGRAPH, line) for line in grid.row_lines())


def cell_text(element: etree._Element, rules: dict[str, Any]) -> str:
    """All the cell's text on one line: its lines joined (with no space between wide
    characters, as a cell's paragraphs are one label wrapped)."""
    if len(element) == 0:
        return plain.join_wrapped(element.text or "")
    walker = _Walker(rules)
    walker.walk(element)
    return plain.join_wrapped("\n".join(block.text for block in walker.blocks))


# --- tables ----------------------------------------------------------------------------------


@dataclass
class _TableRows:
    rows: tuple[tuple[SourceCell, ...], ...]
    header_rows: int
    as_grid: bool
    warnings: list[ParseWarning]

    def row_lines(self) -> list[str]:
        """Each row as one tab-joined line (a table too large to lay out as a grid)."""
        return ["\t".join(c.text for c in row if c.text) for row in self.rows]


class TableReader:
    """A leaf <table> → rows of `SourceCell`s with sane spans, and its header rows."""

    def __init__(self, rules: dict[str, Any]) -> None:
        self.rules = rules
        self._header_tags = rules["header_cell_tags"]
        self._max_colspan = rules["max_colspan"]

    def read(self, table: etree._Element) -> _TableRows:
        source_rows = [
            (tr.getparent().tag == "thead", cells)
            for tr in table.iter("tr")
            if (cells := [cell for cell in tr if cell.tag in ("td", "th")])
        ]
        rows = tuple(
            tuple(self._cell(cell, in_head, len(source_rows) - r) for cell in cells)
            for r, (in_head, cells) in enumerate(source_rows)
        )
        return self._bounded(rows, _leading_header_rows(rows))

    def _cell(self, cell: etree._Element, in_head: bool, rows_left: int) -> SourceCell:
        header = in_head or cell.tag in self._header_tags
        rowspan = _span(cell.get("rowspan"))
        rowspan = rows_left if rowspan == 0 else min(rowspan, rows_left)  # 0: to the end
        colspan = min(max(1, _span(cell.get("colspan"))), self._max_colspan)
        return SourceCell(cell_text(cell, self.rules), rowspan, colspan, header)

    def _bounded(self, rows: tuple[tuple[SourceCell, ...], ...], header_rows: int) -> _TableRows:
        if grid_size(rows) <= MAX_GRID_CELLS:
            return _TableRows(rows, header_rows, True, [])
        unspanned = tuple(tuple(SourceCell(c.text, 1, 1, c.header) for c in row) for row in rows)
        if grid_size(unspanned) <= MAX_GRID_CELLS:
            reason = "its row and column spans were ignored"
            return _TableRows(unspanned, header_rows, True, [_too_large(len(rows), reason)])
        reason = "its rows were kept as lines of tab-joined cells"
        return _TableRows(rows, header_rows, False, [_too_large(len(rows), reason)])


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute as a browser reads it: leading digits, else 1."""
    if value is None:
        return 1
    match = _SPAN_NUMBER.match(value)
    return int(match.group(1)) if match else 1


def _leading_header_rows(rows: Sequence[Sequence[SourceCell]]) -> int:
    count = 0
    for row in rows:
        if not all(cell.header for cell in row):
            break
        count += 1
    return count


def _too_large(n_rows: int, reason: str) -> ParseWarning:
    return ParseWarning(
        "ingest.html_table_too_large",
        f"a table of {n_rows} rows would expand past the grid size limit: {reason}",
    )
