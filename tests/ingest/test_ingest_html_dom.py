"""HTML pages as a document: blocks from the DOM, Word-pasted runs joined, tables as grids,
page information dropped, and bounded work on hostile markup."""

from __future__ import annotations

import time

import pytest

from nlp.ingest import load
from nlp.ingest.model import HEADING, PARAGRAPH, TABLE


def read(markup: str, encoding: str = "utf-8"):
    return load(markup.encode(encoding), name="x.html")


def blocks(document) -> list[tuple[str, int | None, str]]:
    return [(b.kind, b.level, document.text[b.start : b.end]) for b in document.blocks]


def grid(document, index: int = 0):
    return document.tables()[index].grid


def test_headings_paragraphs_and_levels_in_reading_order():
    document = read(
        "<h1>某某局2030年政府信息公开工作年度报告</h1>"
        "<h3>一、总体情况</h3><p>全年运行平稳。</p>"
        "<p>（一）主动公开情况</p><h4>附注</h4><ul><li>列表项目。</li></ul>"
    )
    assert blocks(document) == [
        (HEADING, 1, "某某局2030年政府信息公开工作年度报告"),
        (HEADING, 1, "一、总体情况"),
        (PARAGRAPH, None, "全年运行平稳。"),
        (HEADING, 2, "（一）主动公开情况"),
        (HEADING, 4, "附注"),
        (PARAGRAPH, None, "列表项目。"),
    ]
    assert [b.numbering for b in document.blocks[:4]] == [None, "cjk", None, "cjk_paren"]


def test_word_pasted_runs_join_without_spaces():
    document = read(
        "<p class=MsoNormal><span lang=EN-US>申请人情</span><span>况</span><o:p></o:p></p>"
        "<p><font>2</font><font>0</font><span>23</span><b>年</b>收到<i>申</i><i>请</i>"
        "<o:p>&nbsp;</o:p></p>"
    )
    assert document.text.split("\n") == ["申请人情况", "2023年收到申请"]


def test_source_whitespace_collapses_and_nbsp_is_a_space():
    document = read("<p>本期共收到\n    示例申请&nbsp;7&nbsp;件，\n  other words</p>")
    assert document.text == "本期共收到示例申请 7 件，other words"


def test_a_line_break_ends_a_paragraph_so_a_heading_after_it_stands_alone():
    document = read(
        "<p>上一部分的结尾句。<br><span>二、</span><span>主动公开政府信息情况</span></p>"
    )
    assert blocks(document) == [
        (PARAGRAPH, None, "上一部分的结尾句。"),
        (HEADING, 1, "二、主动公开政府信息情况"),
    ]


def test_table_grid_expands_spans_and_keeps_blanks_in_place():
    document = read(
        "<p>前文。</p>"
        "<div style='text-indent:2em'><table>"
        "<caption>表一 示例统计</caption>"
        "<thead><tr><th rowspan=2>项目</th><th colspan=3>申请人</th></tr>"
        "<tr><th>甲</th><th>乙</th><th>丙</th></tr></thead>"
        "<tr><td><p><span>收到</span><span>数量</span></p></td><td>4</td><td>&nbsp;</td>"
        "<td><p>&nbsp;</p></td></tr>"
        "<tr><td>办结<o:p></o:p></td><td><o:p> </o:p></td><td></td><td>/</td></tr>"
        "<tr><td>其他</td><td>—</td><td>-</td><td>无</td></tr>"
        "</table></div><p>后文。</p>"
    )
    assert [b.kind for b in document.blocks] == [PARAGRAPH, PARAGRAPH, TABLE, PARAGRAPH]
    assert document.text.split("\n")[1] == "表一 示例统计"
    table = grid(document)
    assert table.texts() == [
        ["项目", "申请人", "申请人", "申请人"],
        ["项目", "甲", "乙", "丙"],
        ["收到数量", "4", "", ""],
        ["办结", "", "", "/"],
        ["其他", "—", "-", "无"],
    ]
    assert table.header_rows == 2
    assert [cell.header for cell in table.rows[1]] == [True] * 4
    assert not any(cell.header for cell in table.rows[2])
    assert table.rows[0][2].origin == (0, 1) and table.rows[1][0].origin == (0, 0)


def test_table_block_text_is_printed_cells_tab_joined_and_offsets_give_back_text():
    document = read(
        "<table><tr><td colspan=2>信息内容</td><td>数量</td></tr>"
        "<tr><td rowspan=2>示例项</td><td>规章</td><td>&nbsp;</td></tr>"
        "<tr><td>规范性文件</td><td>3</td></tr></table><p>（二）其他情况</p>"
    )
    table_block = document.blocks[0]
    assert document.text[table_block.start : table_block.end].split("\n") == [
        "信息内容\t数量",
        "示例项\t规章",
        "规范性文件\t3",
    ]
    printed = [cell for row in table_block.grid.rows for cell in row if cell.start >= 0]
    assert [c.text for c in printed] == ["信息内容", "数量", "示例项", "规章", "规范性文件", "3"]
    for cell in printed:
        assert document.text[cell.start : cell.end] == cell.text
    for block in document.blocks:
        assert document.text[block.start : block.end].strip()


def test_cell_paragraphs_join_without_a_separator_between_wide_characters():
    document = read(
        "<table><tr><td><p>行政规范</p><p>性文件</p></td><td>total<br>count</td></tr></table>"
    )
    assert grid(document).texts() == [["行政规范性文件", "total count"]]


SPANNING_ALL = [["甲", "1", ""], ["甲", "乙", "2"], ["甲", "丙", "3"]]
UNSPANNED = [["甲", "1"], ["乙", "2"], ["丙", "3"]]


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ('rowspan="0"', SPANNING_ALL),  # 0 spans to the end of the table, as in HTML
        ('rowspan="10000"', SPANNING_ALL),  # clipped to the rows left
        ('rowspan="abc"', UNSPANNED),
        ('colspan="-3"', UNSPANNED),
        ('colspan="0"', UNSPANNED),
    ],
)
def test_bad_spans_are_clamped(attributes, expected):
    document = read(
        f"<table><tr><td {attributes}>甲</td><td>1</td></tr>"
        "<tr><td>乙</td><td>2</td></tr><tr><td>丙</td><td>3</td></tr></table>"
    )
    assert grid(document).texts() == expected


def test_colspan_is_at_most_a_hundred_columns():
    document = read("<table><tr><td colspan=10000>甲</td><td>1</td></tr></table>")
    assert grid(document).n_cols == 101


def test_layout_table_cells_are_blocks_and_nested_leaf_tables_are_grids():
    document = read(
        "<table><tr><td><h2>标题栏</h2></td></tr><tr><td><p>一、总体情况</p>"
        "<table><tr><td>规章</td><td>0</td></tr></table></td></tr></table>"
    )
    assert [b.kind for b in document.blocks] == [HEADING, HEADING, TABLE]
    assert grid(document).texts() == [["规章", "0"]]


GOVERNMENT_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>门户</title>
<script>var site = "脚本";</script></head><body>
<div id="top-header"><a>首页</a><div class="search-box"><input>站内搜索</div></div>
<ul class="main-nav"><li>机构概况</li><li>政务公开</li></ul>
<div class="detail">
  <table class="info-table">
    <tr><td>索引号</td><td>000000/2031-00001</td><td>发布机构：</td><td>某某局</td></tr>
    <tr><td>公开日期：</td><td>2031-01-20</td><td>文号：</td><td>无</td></tr>
  </table>
  <div class="detail-title"><span>某某局2030年政府</span><span>信息公开工作年度报告</span></div>
  <div class="TRS_Editor">
    <p>本报告依据条例编写，内容为虚构的示例文本。</p>
    <p>一、总体情况</p><p>示例正文第一段。</p>
    <table><tr><td>规章</td><td>2</td></tr></table>
  </div>
</div>
<div class="footer">主办单位 联系电话</div>
</body></html>"""


def test_government_page_keeps_the_report_with_its_title_first():
    document = read(GOVERNMENT_PAGE)
    assert document.text.split("\n") == [
        "某某局2030年政府信息公开工作年度报告",
        "本报告依据条例编写，内容为虚构的示例文本。",
        "一、总体情况",
        "示例正文第一段。",
        "规章\t2",
    ]


@pytest.mark.parametrize(
    "chrome",
    ["首页", "站内搜索", "机构概况", "索引号", "发布机构", "2031-01-20", "主办单位", "脚本"],
)
def test_government_page_chrome_and_metadata_table_are_dropped(chrome):
    assert chrome not in read(GOVERNMENT_PAGE).text


def test_title_outside_the_content_is_not_repeated_when_the_content_opens_with_it():
    document = read(
        "<h1>某某局2030年政府信息公开工作年度报告</h1><div class='TRS_Editor'>"
        "<p><strong>某某局2030年政府信息公开工作年度报告</strong></p><p>一、总体情况</p>"
        "<p>示例正文，足够长的一段虚构文字用来占据页面的大部分内容。</p></div>"
    )
    assert document.text.split("\n")[:2] == ["某某局2030年政府信息公开工作年度报告", "一、总体情况"]


def test_metadata_table_inside_the_content_is_dropped_but_the_title_stays():
    document = read(
        "<div class='content'><h1>某某区2030年政府信息公开工作年度报告</h1>"
        "<ul><li>索引号：X-01</li><li>发布机构：某某区</li><li>成文日期：2031-01-01</li></ul>"
        "<p>一、总体情况</p><p>示例正文，足够长的一段虚构文字用来占据页面的大部分内容。</p></div>"
    )
    assert document.text.split("\n")[:2] == ["某某区2030年政府信息公开工作年度报告", "一、总体情况"]


@pytest.mark.parametrize(
    "wrapper",
    [
        "<div>来源URL: http://example.invalid/a.html<br>抓取时间: 2031-02-01 08:00</div>",
        "<pre>来源URL: http://example.invalid/a.html\n抓取时间: 2031-02-01 08:00\n</pre>",
        "<p>来源URL：http://example.invalid/a.html</p>",
    ],
)
def test_crawler_wrapper_before_the_page_leaves_the_title_first(wrapper):
    markup = (
        f"{wrapper}<!DOCTYPE html><html><head><title>t</title></head><body><div>"
        "<p>某某镇人民政府</p><p>2030年政府信息公开工作年度报告</p><p>一、总体情况</p>"
        "<p>示例正文。</p></div></body></html>"
    )
    lines = read(markup).text.split("\n")
    assert lines[:3] == ["某某镇人民政府", "2030年政府信息公开工作年度报告", "一、总体情况"]
    assert "example.invalid" not in "\n".join(lines)


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_fragment_without_html_head_or_charset(encoding):
    document = read("<p>一、总体情况</p><p>本期示例申请３件。</p>", encoding)
    assert document.kind == "html"
    assert blocks(document) == [
        (HEADING, 1, "一、总体情况"),
        (PARAGRAPH, None, "本期示例申请３件。"),
    ]
    warned = [w.code for w in document.warnings] == ["ingest.encoding_guess"]
    assert warned == (encoding == "gbk")


def test_a_declared_charset_cannot_switch_the_decoding_midway():
    # The XML declaration and meta name GB2312, but the bytes are UTF-8: the text decides.
    markup = '<?xml version="1.0" encoding="gb2312"?><html><body><p>示例正文。</p></body></html>'
    assert load(markup.encode("utf-8"), name="x.html").text == "示例正文。"


def test_page_nested_ten_thousand_levels_deep_is_read_quickly():
    depth = 10_000
    markup = "<div>" * depth + "<p>深处的示例文字</p>" + "</div>" * depth + "<p>其后的文字</p>"
    started = time.perf_counter()
    document = read(markup)
    assert time.perf_counter() - started < 2.0
    assert document.text.split("\n") == ["深处的示例文字", "其后的文字"]
    assert [w.code for w in document.warnings] == ["ingest.html_too_deep"]


def test_page_nested_within_the_parser_limit_keeps_its_structure():
    depth = 1_500
    markup = "<div class='nav'>导航</div>" + "<div>" * depth + "<p>示例</p>" + "</div>" * depth
    document = read(markup)
    assert (document.text, document.warnings) == ("示例", [])


def test_spans_that_would_make_a_huge_grid_are_ignored_with_a_warning():
    rows = "".join(f"<tr><td colspan=100>{i}</td></tr>" for i in range(3000))
    started = time.perf_counter()
    document = read(f"<table>{rows}</table>")
    assert time.perf_counter() - started < 5.0
    assert (grid(document).n_rows, grid(document).n_cols) == (3000, 1)
    assert [w.code for w in document.warnings] == ["ingest.html_table_too_large"]


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    markup = (
        f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<html><body><p>示例&x;文字</p></body></html>"
    )
    assert "SECRET-CONTENT" not in read(markup).text
