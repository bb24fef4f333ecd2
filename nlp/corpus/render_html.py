"""HTML rendering: the article inside a government site's page chrome."""

from __future__ import annotations

from html import escape

from nlp.corpus.document import Block, Grid, print_layout


def to_html(blocks: list[Block], agency: str) -> str:
    title = " ".join(b.text for b in blocks if b.kind == "title")
    chrome = print_layout()["html_chrome"]
    nav = "".join(f'<li><a href="/{i}/">{escape(x)}</a></li>' for i, x in enumerate(chrome["nav"]))
    crumbs = " &gt; ".join(f'<a href="#">{escape(x)}</a>' for x in chrome["breadcrumb"])
    body = "\n".join(_block(b) for b in blocks)
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title></head>
<body>
<div class="header"><div class="logo">{escape(agency)}</div><ul class="nav">{nav}</ul></div>
<div class="position">当前位置：{crumbs}</div>
<div class="article">
{body}
</div>
<div class="share">分享到：微信 微博 QQ空间 【打印本页】【关闭窗口】</div>
<div class="footer"><p>主办单位：{escape(agency)}</p><p>网站标识码：0000000000 备案号：ICP备00000000号</p></div>
</body></html>
"""


def _block(block: Block) -> str:
    if block.kind == "title":
        return f"<h1>{escape(block.text)}</h1>"
    if block.kind == "heading":
        return f"<h3>{escape(block.text)}</h3>"
    if block.kind == "table":
        return _table(block.grid)
    return f"<p>{escape(block.text)}</p>"


def _table(grid: Grid) -> str:
    rows = []
    for row in grid:
        cells = "".join(_td(c) for c in row if c is not None)
        rows.append(f"<tr>{cells}</tr>")
    return '<table border="1" cellspacing="0">' + "".join(rows) + "</table>"


def _td(cell) -> str:
    spans = ""
    if cell.rowspan > 1:
        spans += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        spans += f' colspan="{cell.colspan}"'
    return f"<td{spans}>{escape(cell.text)}</td>"
