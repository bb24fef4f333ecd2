"""HTML pages → lines: site chrome dropped, block elements as lines, table rows as tab-joined cells.

The chrome vocabulary and the main-content selectors are data (`html_chrome.yaml`).
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from importlib import resources
from typing import Any

import yaml
from bs4 import BeautifulSoup, NavigableString, Tag

from nlp.ingest import text as plain
from nlp.report import ParseWarning

META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
META_SNIFF_BYTES = 4096
# GB18030 decodes everything GBK and GB2312 do; sites declare the smaller sets.
CHARSET_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030"}
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


@cache
def chrome_rules() -> dict[str, Any]:
    """The chrome vocabulary of `html_chrome.yaml`."""
    text = resources.files("nlp.ingest").joinpath("html_chrome.yaml").read_text(encoding="utf-8")
    rules = yaml.safe_load(text)
    for key in ("invisible_tags", "chrome_tags", "block_tags"):
        rules[key] = frozenset(rules[key])
    rules["chrome_words"] = tuple(rules["chrome_words"])
    return rules


def read_html(data: bytes, source: str) -> tuple[str, list[ParseWarning]]:
    """The page's report text, one line per block element or table row."""
    markup, warnings = decode_html(data, source)
    return html_to_text(markup), warnings


def decode_html(data: bytes, source: str) -> tuple[str, list[ParseWarning]]:
    """Decode with the page's declared charset when it fits, else like a text file."""
    declared = _declared_charset(data[:META_SNIFF_BYTES])
    if declared:
        try:
            return data.decode(declared), []
        except UnicodeDecodeError:
            pass
    return plain.decode(data, source)


def html_to_text(markup: str) -> str:
    """Lines of the page's main content (tables as tab-separated rows)."""
    soup = BeautifulSoup(markup, "lxml")
    rules = chrome_rules()
    _drop_invisible(soup, rules)
    root = soup.body or soup
    _drop_chrome(root, rules)
    main = _main_container(root, rules)
    lines = _Lines()
    title = _title_outside(root, main)
    if title:
        lines.add(title)
    _render(main, lines, rules["block_tags"])
    lines.flush()
    return "\n".join(lines.lines)


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


def _drop_invisible(soup: BeautifulSoup, rules: dict[str, Any]) -> None:
    for tag in soup.find_all(True):
        if tag.decomposed:
            continue
        if tag.name in rules["invisible_tags"] or HIDDEN_STYLE.search(tag.get("style") or ""):
            tag.decompose()


def _drop_chrome(root: Tag, rules: dict[str, Any]) -> None:
    page_size = len(root.get_text()) or 1
    for tag in root.find_all(True):
        if tag.decomposed or not _is_chrome(tag, rules):
            continue
        if len(tag.get_text()) <= rules["max_chrome_share"] * page_size:
            tag.decompose()


def _is_chrome(tag: Tag, rules: dict[str, Any]) -> bool:
    if tag.name in rules["chrome_tags"]:
        return True
    names = " ".join([tag.get("id") or "", *tag.get("class", [])]).lower()
    return any(token.startswith(rules["chrome_words"]) for token in _TOKEN_SPLIT.split(names))


def _main_container(root: Tag, rules: dict[str, Any]) -> Tag:
    page_size = len(root.get_text())
    for selector in rules["main_selectors"]:
        candidates = root.select(selector)
        if not candidates:
            continue
        best = max(candidates, key=lambda tag: len(tag.get_text()))
        if len(best.get_text()) >= rules["min_main_share"] * page_size:
            return best
    return root


def _title_outside(root: Tag, main: Tag) -> str | None:
    """The page's first <h1> when it sits outside the main container (the report's title)."""
    if main is root:
        return None
    heading = root.find("h1")
    if heading is None or main in heading.parents or heading in main.parents or heading is main:
        return None
    return plain.join_wrapped(heading.get_text()) or None


class _Lines:
    """Collects inline text into the current line; block boundaries flush it."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._parts: list[str] = []

    def write(self, text: str) -> None:
        self._parts.append(text)

    def flush(self) -> None:
        line = plain.join_wrapped("".join(self._parts))
        self._parts = []
        if line:
            self.lines.append(line)

    def add(self, line: str) -> None:
        self.flush()
        if line:
            self.lines.append(line)


def _render(node: Tag, lines: _Lines, block_tags: frozenset[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child) is NavigableString:  # comments, doctypes, CDATA are not text
                lines.write(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        if child.name == "br":
            lines.flush()
        elif child.name == "table" and not child.find("table"):
            lines.flush()
            for row in _table_rows(child, block_tags):
                lines.add(row)
        else:
            _render_block_or_inline(child, lines, block_tags)


def _render_block_or_inline(tag: Tag, lines: _Lines, block_tags: frozenset[str]) -> None:
    # A table holding tables is page layout: its cells are rendered as blocks.
    is_block = tag.name in block_tags
    if is_block:
        lines.flush()
    _render(tag, lines, block_tags)
    if is_block:
        lines.flush()


def _table_rows(table: Tag, block_tags: frozenset[str]) -> list[str]:
    rows = []
    caption = table.find("caption")
    if caption:
        rows.append(plain.join_wrapped(caption.get_text()))
    for tr in table.find_all("tr"):
        cells = [
            _cell_text(cell, block_tags) for cell in tr.find_all(["td", "th"], recursive=False)
        ]
        rows.append("\t".join(cell for cell in cells if cell))
    return rows


def _cell_text(cell: Tag, block_tags: frozenset[str]) -> str:
    lines = _Lines()
    _render(cell, lines, block_tags)
    lines.flush()
    return plain.join_wrapped("\n".join(lines.lines))
