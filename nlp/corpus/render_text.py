"""Plain-text renderings: tab-separated text, markdown, and the one-line crawler dump."""

from __future__ import annotations

import random
from collections.abc import Callable

from nlp.corpus.document import Block, Grid

FOOTER_EVERY = 9  # blocks per printed page, roughly


def tab_rows(grid: Grid) -> list[str]:
    """Each grid row as tab-separated cells; merged-over positions print empty, as PDF copies do."""
    return ["\t".join(cell.text if cell else "" for cell in row) for row in grid]


def to_txt(blocks: list[Block], footers: bool, rng: random.Random) -> str:
    return _pages(blocks, footers, rng, _txt_lines)


def to_markdown(blocks: list[Block], footers: bool, rng: random.Random) -> str:
    return _pages(blocks, footers, rng, _markdown_lines)


def _txt_lines(block: Block) -> list[str]:
    return tab_rows(block.grid) if block.kind == "table" else [block.text]


def _markdown_lines(block: Block) -> list[str]:
    if block.kind == "table":
        return _pipe_table(block.grid)
    prefix = {"title": "# ", "heading": "## "}.get(block.kind, "")
    return [prefix + block.text]


def _pages(
    blocks: list[Block],
    footers: bool,
    rng: random.Random,
    render: Callable[[Block], list[str]],
) -> str:
    """Blocks separated by blank lines, with a page footer every FOOTER_EVERY blocks."""
    lines: list[str] = []
    for number, block in enumerate(blocks, start=1):
        lines += [*render(block), ""]
        if footers and number % FOOTER_EVERY == 0:
            lines += [_footer(number // FOOTER_EVERY, rng), ""]
    return "\n".join(lines)


def to_oneline(blocks: list[Block]) -> str:
    """The whole body on one line, table cells run together with no separator at all."""
    pieces = []
    for block in blocks:
        if block.kind == "table":
            pieces += [cell.text for row in block.grid for cell in row if cell]
        else:
            pieces.append(block.text)
    return "".join(pieces) + "\n"


def _pipe_table(grid: Grid) -> list[str]:
    rows = ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in grid]
    rule = "|" + "---|" * len(grid[0])
    return [rows[0], rule, *rows[1:]]


def _md_cell(cell) -> str:
    return cell.text.replace("|", "｜") if cell else ""


def _footer(page: int, rng: random.Random) -> str:
    return rng.choice(["- {} -", "— {} —", "第 {} 页", "{}"]).format(page)
