"""HTML pages: chrome dropped; one line per block, table rows as tab-joined printed cells."""

from __future__ import annotations

import pytest

from nlp.ingest import load
from nlp.report import ReadError

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>门户网站</title>
<style>.x {{ color: red }}</style><script>var tracking = "脚本内容";</script></head>
<body>
<div class="top-header"><a href="/">首页</a> 网站导航</div>
<nav><ul><li>政务公开</li><li>办事服务</li></ul></nav>
<div class="breadcrumb">当前位置：首页 &gt; 年度报告</div>
<h1>某某局2021年政府信息公开工作年度报告</h1>
<div class="TRS_Editor">
  <p>本报告由某某局编制。</p>
  <p>一、总体情况</p>
  <p>本年度共收到
     申请 2 件。<br>其中自然人 2 件。</p>
  <table border="1">
    <tr><td colspan="2">信息内容</td><td>本年制发件数</td><td></td><td>现行有效件数</td></tr>
    <tr><td rowspan="2">第二十条</td><td>规章</td><td>0</td><td>&nbsp;</td><td>0</td></tr>
    <tr><td><p>行政规范</p>
            <p>性文件</p></td><td>3</td><td>0</td><td>8</td></tr>
  </table>
  <p>二、主动公开政府信息情况</p>
  <div class="bdshare"><a>分享到微信</a></div>
</div>
<div id="footer">版权所有：某某局 备案号</div>
<div style="display:none">隐藏内容</div>
</body></html>"""

EXPECTED = [
    "某某局2021年政府信息公开工作年度报告",
    "本报告由某某局编制。",
    "一、总体情况",
    "本年度共收到申请 2 件。",
    "其中自然人 2 件。",
    "信息内容\t本年制发件数\t现行有效件数",
    "第二十条\t规章\t0\t0",
    "行政规范性文件\t3\t0\t8",
    "二、主动公开政府信息情况",
]


def page(charset: str = "utf-8") -> str:
    return PAGE.format(charset=charset)


def test_main_content_lines_and_table_rows(tmp_path):
    path = tmp_path / "r.html"
    path.write_text(page(), encoding="utf-8")
    document = load(path)
    assert document.kind == "html"
    assert document.text.split("\n") == EXPECTED
    assert document.warnings == []


@pytest.mark.parametrize(
    "chrome",
    ["首页", "政务公开", "当前位置", "分享到", "版权所有", "脚本内容", "color", "隐藏内容"],
)
def test_site_chrome_is_dropped(chrome):
    assert chrome not in load(page().encode(), name="r.html").text


def test_declared_gb2312_charset_is_used_without_warning():
    document = load(page("gb2312").encode("gbk"), name="r.htm")
    assert document.text.split("\n") == EXPECTED
    assert document.warnings == []


def test_undeclared_gbk_page_is_guessed_with_a_warning():
    markup = page("x").replace('<meta charset="x">', "")
    document = load(markup.encode("gbk"), name="r.html")
    assert document.text.split("\n") == EXPECTED
    assert [w.code for w in document.warnings] == ["ingest.encoding_guess"]


def test_html_is_sniffed_whatever_the_extension():
    assert load(page().encode(), name="r.txt").kind == "html"
    assert load(page().encode()).kind == "html"


def test_fragment_starting_with_a_table():
    document = load("<table><tr><th>规章</th><td>1</td></tr></table>".encode())
    assert (document.kind, document.text) == ("html", "规章\t1")


def test_page_without_main_container_uses_the_body_and_drops_chrome():
    markup = (
        "<html><body><div id='menu'>菜单</div><div><p>一、总体情况</p><p>正文</p></div>"
        "<div class='copyright'>版权</div></body></html>"
    )
    assert load(markup.encode(), name="r.html").text == "一、总体情况\n正文"


def test_whole_page_form_is_not_chrome():
    # ASP.NET pages wrap everything in one <form>: it holds the report, so it stays.
    markup = "<html><body><form id='form1'><p>一、总体情况</p><p>正文</p></form></body></html>"
    assert load(markup.encode(), name="r.html").text == "一、总体情况\n正文"


def test_layout_table_cells_are_blocks_and_inner_tables_are_rows():
    markup = (
        "<html><body><table><tr><td>左侧栏目</td><td><p>一、总体情况</p>"
        "<table><tr><td>规章</td><td>0</td></tr></table><p>五、存在的主要问题</p></td></tr>"
        "</table></body></html>"
    )
    lines = load(markup.encode(), name="r.html").text.split("\n")
    assert lines == ["左侧栏目", "一、总体情况", "规章\t0", "五、存在的主要问题"]


def test_page_without_visible_text_is_refused():
    markup = "<html><body><script>x()</script><style>p {}</style><!-- 注释 --></body></html>"
    with pytest.raises(ReadError, match="no text found in the html file"):
        load(markup.encode(), name="r.html")
