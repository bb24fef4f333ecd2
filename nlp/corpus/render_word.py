"""Word-pasted HTML: what a CMS editor keeps when a report is pasted from Word.

Every paragraph is a `<p class="MsoNormal">` whose text is split over `<span style=…>` and
`<font>` runs, sometimes one character per run, so labels and numbers arrive in pieces
(`申请人情` + `况`, `20` + `23`); paragraphs end in `<o:p></o:p>`; empty paragraphs are
`<p>&nbsp;</p>` or `<o:p>&nbsp;</o:p>`; headings are plain paragraphs, some run on after a
`<br>` at the end of the previous one; tables are `MsoNormalTable`s wrapped in a
`<div style="text-indent…">`, blank cells printed in the ways Word and editors print them.
"""

from __future__ import annotations

import random
from html import escape

from nlp.corpus.document import Block, Grid, GridCell
from nlp.corpus.render_site import spans

BODY_FONT = "font-size:16.0pt;font-family:仿宋_GB2312"
HEADING_FONT = "font-size:16.0pt;font-family:黑体"
CELL_FONT = "font-size:10.5pt;font-family:宋体"
NUMBER_FONT = "font-size:10.5pt;font-family:'Times New Roman'"
EMPTY_PARAGRAPHS = (
    '<p class="MsoNormal"><span lang="EN-US"><o:p>&nbsp;</o:p></span></p>',
    "<p>&nbsp;</p>",
)
BLANK_CELLS = (
    '<p class="MsoNormal" align="center" style="text-align:center"><span lang="EN-US"><o:p>&nbsp;</o:p></span></p>',
    "<p>&nbsp;</p>",
    "",
    '<p class="MsoNormal"><span lang="EN-US">&nbsp;</span></p>',
)
# Share of paragraphs and cells printed one character per run, and of headings run on after
# a <br> in the previous paragraph.
ONE_CHAR_RUNS = 0.2
PARAGRAPH_END = "<o:p></o:p></p>"
HEADING_AFTER_BR = 0.35


def word_content(blocks: list[Block], noise: dict, rng: random.Random) -> str:
    paragraphs: list[str] = []
    previous: Block | None = None
    for block in blocks:
        if block.kind == "table":
            paragraphs.append(_table(block.grid, noise, rng))
        elif (
            block.kind == "heading"
            and previous is not None
            and previous.kind == "paragraph"
            and paragraphs[-1].endswith(PARAGRAPH_END)
            and rng.random() < HEADING_AFTER_BR
        ):
            # The heading runs on in the previous paragraph, after a line break.
            run_on = "<br>" + _bold(_runs(block.text, HEADING_FONT, rng))
            paragraphs[-1] = paragraphs[-1][: -len(PARAGRAPH_END)] + run_on + PARAGRAPH_END
        else:
            paragraphs.append(_paragraph(block, noise, rng))
        if rng.random() < 0.15:
            paragraphs.append(rng.choice(EMPTY_PARAGRAPHS))
        previous = block
    return '<div class="WordSection1">\n' + "\n".join(paragraphs) + "\n</div>"


def _paragraph(block: Block, noise: dict, rng: random.Random) -> str:
    if block.kind == "title":
        body = _bold(_runs(block.text, "font-size:22.0pt;font-family:方正小标宋简体", rng))
        return (
            f'<p class="MsoNormal" align="center" style="text-align:center">{body}<o:p></o:p></p>'
        )
    if block.kind == "heading":
        body = _runs(block.text, HEADING_FONT, rng)
    elif block.lead and noise.get("bold_subheadings"):
        body = _bold(_runs(block.lead, BODY_FONT, rng)) + _runs(
            block.text[len(block.lead) :], BODY_FONT, rng
        )
    else:
        body = _runs(block.text, BODY_FONT, rng)
    style = "text-indent:32.0pt;line-height:28.0pt;mso-line-height-rule:exactly"
    return f'<p class="MsoNormal" style="{style}">{body}<o:p></o:p></p>'


def _bold(runs: str) -> str:
    return f"<b>{runs}</b>"


def _runs(text: str, font: str, rng: random.Random) -> str:
    """`text` split over runs, as Word splits it at every change of language, font or edit."""
    pieces = list(text) if rng.random() < ONE_CHAR_RUNS else _chunks(text, rng)
    return "".join(_run(piece, font, rng) for piece in pieces)


def _chunks(text: str, rng: random.Random) -> list[str]:
    """Runs of 1–12 characters; a run of digits is often cut inside (20 + 23)."""
    out, i = [], 0
    while i < len(text):
        size = rng.randint(1, 12)
        if text[i].isdigit() and rng.random() < 0.5:
            size = 1 + rng.randrange(max(1, _digits_at(text, i)))
        out.append(text[i : i + size])
        i += size
    return out


def _digits_at(text: str, start: int) -> int:
    end = start
    while end < len(text) and text[end].isdigit():
        end += 1
    return end - start


def _run(piece: str, font: str, rng: random.Random) -> str:
    text = escape(piece, quote=False)
    if piece.isascii() and piece.strip():
        return f'<span lang="EN-US" style="{font}">{text}</span>'
    if rng.random() < 0.2:
        return f'<font face="仿宋">{text}</font>'
    return f'<span style="{font}">{text}</span>'


def _table(grid: Grid, noise: dict, rng: random.Random) -> str:
    rows = []
    for row in grid:
        cells = "".join(_td(c, noise, rng) for c in row if c is not None)
        rows.append(f'<tr style="height:20.0pt">{cells}</tr>')
    table = (
        '<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" '
        'style="border-collapse:collapse;border:none;mso-border-alt:solid windowtext .5pt">'
        "<tbody>" + "".join(rows) + "</tbody></table>"
    )
    if rng.random() < 0.7:
        return f'<div style="text-indent:32.0pt" align="center">{table}</div>'
    return table


def _td(cell: GridCell, noise: dict, rng: random.Random) -> str:
    style = 'style="border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt"'
    if not cell.text:
        body = rng.choice(BLANK_CELLS)
    else:
        font = NUMBER_FONT if cell.number else CELL_FONT
        if cell.header and noise.get("vertical_headers"):
            runs = "<br>".join(_run(ch, font, rng) for ch in cell.text)
        else:
            runs = _runs(cell.text, font, rng)
        body = (
            f'<p class="MsoNormal" align="center" style="text-align:center">{runs}<o:p></o:p></p>'
        )
    return f'<td width="{rng.choice([40, 48, 56, 64])}"{spans(cell)} {style}>{body}</td>'
