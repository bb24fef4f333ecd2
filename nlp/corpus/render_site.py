"""HTML as government sites publish reports: a CMS page, a bare fragment, a crawler's copy.

The content (clean CMS markup here, Word-pasted markup in `render_word.py`) sits in a content
container (`<div class="TRS_Editor">`, `#zoom` …) inside the site's chrome: header with tools,
search box, navigation, breadcrumb (当前位置), a metadata table (索引号/发布机构/公开日期/文号/
主题分类), share and print links, related links, footer with copyright and 网站标识码, scripts.
A fragment is the content alone, with no <html>, <head> or charset; a crawler's copy puts its
own block (source URL, time fetched) in front of the page.
"""

from __future__ import annotations

import random
from html import escape
from typing import Any

from nlp.corpus.document import Block, Grid, GridCell
from nlp.corpus.forms import forms_spec

# How an empty cell prints in clean CMS markup.
CLEAN_BLANKS = ("&nbsp;", "", "<p>&nbsp;</p>", " ")


def site_html(content: str, blocks: list[Block], report: Any, rng: random.Random) -> str:
    """The page of the form's wrapper (gov_page, fragment or crawler) around `content`."""
    wrapper = forms_spec()["forms"][report.noise["form"]]["wrapper"]
    container = rng.choice(forms_spec()["site"]["containers"])
    inner = f"{container}\n{content}\n</div>"
    if wrapper == "fragment":
        return inner if rng.random() < 0.6 else content
    page = gov_page(inner, blocks, report, rng)
    return crawler_copy(page, report, rng) if wrapper == "crawler" else page


def gov_page(inner: str, blocks: list[Block], report: Any, rng: random.Random) -> str:
    site = forms_spec()["site"]
    title = "".join(b.text for b in blocks if b.kind == "title")
    site_name = report.agency + rng.choice(site["suffixes"])
    published = f"{report.year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)}"
    nav = "".join(f'<li><a href="/col{i}/">{escape(x)}</a></li>' for i, x in enumerate(site["nav"]))
    crumbs = " &gt; ".join(
        f'<a href="/c{i}/">{escape(x)}</a>' for i, x in enumerate(rng.choice(site["breadcrumb"]))
    )
    tools = " | ".join(f'<a href="#">{escape(t)}</a>' for t in site["tools"])
    scripts = "\n".join(f"<script>{s}</script>" for s in site["scripts"])
    related = "".join(
        f'<li><a href="/r{i}/">{escape(x)}</a></li>' for i, x in enumerate(site["related"])
    )
    prints = " ".join(site["print_links"])
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="ArticleTitle" content="{escape(title)}">
<meta name="PubDate" content="{published}">
<title>{escape(title)}_{escape(site_name)}</title>
<link rel="stylesheet" href="/css/style.css">
<script src="/js/jquery.min.js"></script>
</head>
<body>
<div class="top"><div class="wrap"><span class="site-name">{escape(site_name)}</span>
<span class="tools">{tools}</span></div></div>
<div class="search"><form action="/search/" method="get"><input type="text" name="q" placeholder="{escape(rng.choice(site["search_placeholder"]))}"><button type="submit">搜索</button></form></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="location">当前位置：{crumbs}</div>
{_metadata_table(report, published, rng)}
<div class="article">
<h1 class="article-title">{escape(title)}</h1>
<div class="article-info">发布时间：{published} 来源：{escape(report.agency)} 浏览次数：<span id="count"></span> {prints}</div>
{inner}
<div class="share">{escape(site["share"])}</div>
</div>
<div class="related"><h4>相关链接</h4><ul>{related}</ul></div>
<div class="footer">
<p>{site["copyright"]}：{escape(report.agency)} 承办：{escape(report.agency)}办公室</p>
<p>{site["site_id"]}：{rng.randint(10**9, 10**10 - 1)} {site["icp"]}{rng.randint(10**7, 10**8 - 1)}号-1 {site["police"]} {rng.randint(10**13, 10**14 - 1)}号</p>
</div>
{scripts}
</body>
</html>
"""


def _metadata_table(report: Any, published: str, rng: random.Random) -> str:
    """The 政府信息公开 metadata table every report page carries above the article."""
    site = forms_spec()["site"]
    index = f"{rng.randint(10**8, 10**9 - 1)}/{report.year + 1}-{rng.randint(1, 99999):05d}"
    pairs = [
        ("索引号", index),
        ("发布机构", report.agency),
        ("公开日期", published),
        ("文号", ""),
        ("主题分类", rng.choice(site["topics"])),
        ("公开方式", "主动公开"),
    ]
    rows = []
    for i in range(0, len(pairs), 2):
        cells = "".join(
            f'<td class="label">{escape(k)}：</td><td>{escape(v)}</td>' for k, v in pairs[i : i + 2]
        )
        rows.append(f"<tr>{cells}</tr>")
    return '<table class="xxgk-meta" width="100%">' + "".join(rows) + "</table>"


def crawler_copy(page: str, report: Any, rng: random.Random) -> str:
    """A crawler's saved copy: its block (source URL, time fetched) in front of the page or
    just inside <body>."""
    words = forms_spec()["crawler"]
    url = f"http://www.example.gov.cn/xxgk/{report.year + 1}/{report.report_id}.html"
    fetched = f"{report.year + 1}-0{rng.randint(4, 9)}-{rng.randint(10, 28)} 0{rng.randint(1, 9)}:{rng.randint(10, 59)}:{rng.randint(10, 59)}"
    if rng.random() < 0.5:
        block = f"<pre>{words['source']}: {url}\n{words['fetched']}: {fetched}\n</pre>\n"
        return block + page
    block = (
        f'<div class="crawler-meta">{words["saved_by"]}：<a href="{url}">{url}</a><br>'
        f"{words['fetched']}：{fetched}</div>\n"
    )
    return page.replace("<body>\n", "<body>\n" + block, 1)


# --- clean CMS content -----------------------------------------------------------------------


def clean_content(blocks: list[Block], noise: dict, rng: random.Random) -> str:
    """The report as a CMS editor stores it: <p> paragraphs, bold headings, ruled tables."""
    heading_tag = rng.choice(["strong", "p", "h3"])
    return "\n".join(_clean_block(b, noise, heading_tag, rng) for b in blocks)


def _clean_block(block: Block, noise: dict, heading_tag: str, rng: random.Random) -> str:
    if block.kind == "table":
        return _clean_table(block.grid, noise, rng)
    text = escape(block.text, quote=False)
    if block.kind == "title":
        return f'<p style="text-align:center;"><strong>{text}</strong></p>'
    if block.kind == "heading":
        if heading_tag == "h3":
            return f"<h3>{text}</h3>"
        if heading_tag == "strong":
            return f'<p style="text-indent:2em;"><strong>{text}</strong></p>'
        return f'<p style="text-indent:2em;">{text}</p>'
    if block.lead and noise.get("bold_subheadings"):
        rest = escape(block.text[len(block.lead) :], quote=False)
        return f'<p style="text-indent:2em;"><strong>{escape(block.lead, quote=False)}</strong>{rest}</p>'
    return f'<p style="text-indent:2em;">{text}</p>'


def _clean_table(grid: Grid, noise: dict, rng: random.Random) -> str:
    rows = []
    for row in grid:
        cells = "".join(_clean_td(c, noise, rng) for c in row if c is not None)
        rows.append(f"<tr>{cells}</tr>")
    return (
        '<table border="1" cellspacing="0" cellpadding="0" width="100%" align="center">'
        "<tbody>" + "".join(rows) + "</tbody></table>"
    )


def _clean_td(cell: GridCell, noise: dict, rng: random.Random) -> str:
    if not cell.text:
        body = rng.choice(CLEAN_BLANKS)
    elif cell.header and noise.get("vertical_headers"):
        body = vertical(cell.text)
    else:
        body = escape(cell.text, quote=False)
    return f"<td{spans(cell)}>{body}</td>"


def vertical(text: str) -> str:
    """Header text printed one character per line, as narrow columns print it."""
    return "<br>".join(escape(ch, quote=False) for ch in text)


def spans(cell: GridCell) -> str:
    out = ""
    if cell.rowspan > 1:
        out += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        out += f' colspan="{cell.colspan}"'
    return out
