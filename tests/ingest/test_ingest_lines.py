"""Text lines (txt, markdown) → Document: furniture, headings, wrapped paragraphs, tables.

All texts here are invented for the tests."""

from __future__ import annotations

import pytest

from nlp.ingest.lines import (
    document_from_lines,
    drop_furniture,
    join_lines,
    wrap_width,
)
from nlp.ingest.model import HEADING, PARAGRAPH, TABLE

# Two invented paragraphs with no sentence end inside, so every cut at 20 characters falls
# inside a sentence.
FIRST = (
    "本机关坚持以公开为常态、不公开为例外的原则，持续完善信息发布和审核机制，"
    "全年通过门户网站和政务新媒体发布各类政务信息，及时回应社会公众的关切，"
    "推动政策文件的起草解读与发布同步进行，不断提升公开工作的规范化和标准化水平。"
)
SECOND = (
    "本机关严格按照法定程序和时限办理政府信息公开申请，建立登记受理审核答复归档的全流程台账，"
    "对疑难申请组织法律顾问会商研判，确保答复内容准确规范、答复程序合法合规。"
)


def wrapped(paragraph: str, width: int = 20) -> list[str]:
    """A paragraph hard-wrapped at `width` characters, as a PDF prints it."""
    return [paragraph[i : i + width] for i in range(0, len(paragraph), width)]


def document(text: str, kind: str = "txt"):
    return document_from_lines(text, "invented", kind)


def texts(doc, kind: str | None = None) -> list[str]:
    return [doc.block_text(b) for b in doc.blocks if kind is None or b.kind == kind]


def kinds(doc) -> list[str]:
    return [b.kind for b in doc.blocks]


def wrapped_report(*middle: str) -> str:
    """Two wrapped paragraphs under headings, with `middle` lines between them."""
    return "\n".join(
        ["一、总体情况", *wrapped(FIRST), *middle, "（一）依申请公开", *wrapped(SECOND)]
    )


# --- wrapped paragraphs --------------------------------------------------------------------


def test_hard_wrapped_lines_are_joined_into_their_paragraph():
    doc = document(wrapped_report())
    assert kinds(doc) == [HEADING, PARAGRAPH, HEADING, PARAGRAPH]
    assert texts(doc, PARAGRAPH) == [FIRST, SECOND]
    assert [b.level for b in doc.blocks if b.kind == HEADING] == [1, 2]


def test_the_wrap_width_is_found_from_the_lines_that_end_no_sentence():
    lines = wrapped(FIRST) + wrapped(SECOND)
    assert wrap_width(lines) == 40  # 20 CJK characters, two columns each


def test_a_numbered_heading_after_a_full_line_is_not_joined():
    cut = wrapped(FIRST)[:3]  # three full lines cut inside a sentence
    doc = document(wrapped_report(*cut, "二、主动公开政府信息情况"))
    assert "二、主动公开政府信息情况" in texts(doc, HEADING)
    assert not any("主动公开政府信息情况" in t for t in texts(doc, PARAGRAPH))


@pytest.mark.parametrize(
    "item",
    ["一是加强制度建设，完善工作流程。", "1.完善制度，规范流程。", "• 完善制度", "- 完善制度"],
)
def test_a_list_item_after_a_full_line_starts_its_own_paragraph(item):
    doc = document(wrapped_report(wrapped(SECOND)[0], item))
    paragraphs = texts(doc)
    assert wrapped(SECOND)[0] in paragraphs
    assert item in paragraphs


def test_a_wrapped_list_item_gets_its_own_lines_back():
    item = "一是" + SECOND
    doc = document(wrapped_report(*wrapped(item)))
    assert item in texts(doc, PARAGRAPH)


def test_a_blank_line_always_ends_a_paragraph():
    lines = wrapped(FIRST)
    doc = document("\n".join([*lines[:3], "", *lines[3:], "", *wrapped(SECOND)]))
    assert texts(doc, PARAGRAPH) == ["".join(lines[:3]), "".join(lines[3:]), SECOND]


def test_a_line_ending_a_sentence_is_not_joined_to_the_next():
    first, second = "本机关全年共发布政策文件十二件。", "本机关全年共受理政府信息公开申请五件。"
    doc = document(wrapped_report(first, second))
    assert first in texts(doc) and second in texts(doc)


def test_a_document_of_one_paragraph_a_line_is_never_joined():
    lines = ["本年度共收到申请若干件其中自然人申请占多数", "全年未发生行政复议和行政诉讼"] * 3
    lines += ["本机关将继续做好政府信息公开工作并接受社会监督", "附件下载"]
    assert wrap_width(lines) is None
    assert texts(document("\n".join(lines))) == lines


def test_a_one_line_page_stays_one_paragraph():
    page = ("一、总体情况 " + FIRST + " 规章 0 0 3 " + SECOND) * 20
    doc = document(page)
    assert kinds(doc) == [PARAGRAPH]
    assert doc.text == page


def test_a_paragraph_cut_by_a_page_footer_is_joined_back():
    lines = wrapped(FIRST)
    doc = document(wrapped_report(*[*lines[:2], "— 2 —", *lines[2:]]))
    assert FIRST in texts(doc, PARAGRAPH)


def test_rows_of_figures_printed_with_spaces_are_not_joined():
    rows = [
        "本年新收政府信息公开申请数量 30 1 0 0 0 0 31",
        "上年结转政府信息公开申请数量 3 0 0 0 0 0 3",
    ]
    doc = document(wrapped_report(*rows))
    assert all(row in texts(doc) for row in rows)


def test_joining_drops_the_break_between_cjk_and_keeps_a_space_between_words():
    assert join_lines(["政务公开", "工作要点"]) == "政务公开工作要点"
    assert join_lines(["the open government", "data portal"]) == "the open government data portal"
    assert join_lines(["门户网站", "www.example.gov.cn"]) == "门户网站www.example.gov.cn"


# --- headings and markdown -------------------------------------------------------------------


def test_markdown_headings_lose_their_marks_and_keep_their_level():
    doc = document("# 某局年度报告\n\n## 主要做法\n\n正文段落。\n\n### 一是加强培训。", "md")
    headings = [(doc.block_text(b), b.level) for b in doc.blocks if b.kind == HEADING]
    assert headings == [("某局年度报告", 1), ("主要做法", 2), ("一是加强培训。", 3)]


def test_markdown_bold_markers_are_removed():
    doc = document("**一是**加强培训，**提升**能力。", "md")
    assert doc.text == "一是加强培训，提升能力。"


# --- tables ----------------------------------------------------------------------------------

TAB_ROWS = [
    "第二十条第（一）项\t\t\t",
    "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
    "规章\t0\t0\t3",
    "\t(二) 部分公开\t1\t2",
]


def test_tab_rows_are_one_table_block_with_their_text_as_it_is():
    doc = document("\n".join(["二、主动公开政府信息情况", *TAB_ROWS, "三、收到和处理申请情况"]))
    assert kinds(doc) == [HEADING, TABLE, HEADING]
    table = doc.blocks[1]
    assert table.grid is None
    assert doc.block_text(table) == "\n".join(TAB_ROWS)


def test_a_line_with_tabs_only_at_its_edges_away_from_a_table_is_text():
    doc = document("一、总体情况\t\n本年度共收到申请五件。")
    assert kinds(doc) == [HEADING, PARAGRAPH]
    assert doc.text == "一、总体情况\n本年度共收到申请五件。"


WELL_FORMED = "| 信息内容 | 本年制发件数 | 本年废止件数 |\n|---|:---:|---|\n| 规章 |  | 3 |\n| **规范性文件** | 2 | 0 |"


def test_a_well_formed_pipe_table_is_a_grid_with_its_blank_cells():
    doc = document(WELL_FORMED, "md")
    (table,) = doc.blocks
    assert table.kind == TABLE and table.grid is not None
    assert table.grid.texts() == [
        ["信息内容", "本年制发件数", "本年废止件数"],
        ["规章", "", "3"],
        ["规范性文件", "2", "0"],
    ]
    assert table.grid.header_rows == 1
    assert table.grid.rows[1][1].blank
    for row in table.grid.rows:
        for cell in row:
            if not cell.blank:
                assert doc.text[cell.start : cell.end] == cell.text


def test_a_pipe_table_whose_first_row_is_figures_has_no_header_row():
    doc = document(
        "| 本年新收申请数量 | 5 | 0 | 5 |\n|---|---|---|---|\n| 上年结转 | 1 | 0 | 1 |", "md"
    )
    assert doc.blocks[0].grid.header_rows == 0
    assert doc.blocks[0].grid.texts()[0] == ["本年新收申请数量", "5", "0", "5"]


@pytest.mark.parametrize(
    "broken",
    [
        # rows of varying cell counts
        "| 业 | 构 | 益组织 |  |\n|---|---|---|---|\n| 予以公开 | 9 | 0 | 0 |\n| 0 | 0 | 0 |",
        # a second rule row: two tables glued together by a converter
        "| 规章 | 1 | 2 |\n|---|---|---|\n| 0 | 0 | 0 |\n|---|---|---|",
        # placeholder headers
        "| 类别 | 数据1 | 数据2 | 总计 |\n|---|---|---|---|\n| 予以公开 | 3 | 1 | 4 |",
        # no rule row
        "| 规章 | 1 | 2 |\n| 规范性文件 | 0 | 0 |",
    ],
)
def test_a_broken_pipe_table_is_a_text_block_as_it_is(broken):
    doc = document(broken, "md")
    (table,) = doc.blocks
    assert table.kind == TABLE and table.grid is None
    assert doc.text == broken


def test_well_formed_pipe_tables_beside_a_broken_one_stay_text_too():
    broken = "| 类别 | 数据1 | 数据2 | 总计 |\n|---|---|---|---|\n| 予以公开 | 3 | 1 | 4 |"
    doc = document(WELL_FORMED + "\n\n三、收到和处理申请情况\n" + broken, "md")
    assert [b.grid for b in doc.blocks if b.kind == TABLE] == [None, None]
    assert doc.text == WELL_FORMED + "\n三、收到和处理申请情况\n" + broken


# --- furniture and offsets -------------------------------------------------------------------


@pytest.mark.parametrize(
    "furniture", ["- 1 -", "— 2 —", "第3页 共7页", "第 3 页", "==== 正文 ====", "正文"]
)
def test_page_furniture_lines_are_dropped(furniture):
    doc = document(f"一、总体情况\n{furniture}\n本年度共收到申请五件。")
    assert doc.text == "一、总体情况\n本年度共收到申请五件。"


def test_furniture_inside_a_line_stays():
    line = "本年度共收到申请 - 1 - 件，第3页 共7页的内容保留。"
    assert drop_furniture(line) == line
    assert document(line).text == line


def test_every_block_gives_back_its_text_by_offsets():
    source = "\n".join(
        [
            "# 某局年度报告",
            "",
            wrapped_report("规章\t0\t0\t3", "规范性文件\t1\t0\t4"),
            "",
            WELL_FORMED,
        ]
    )
    doc = document(source, "md")
    assert doc.text == "\n".join(texts(doc))
    assert kinds(doc) == [HEADING, HEADING, PARAGRAPH, TABLE, HEADING, PARAGRAPH, TABLE]
    assert [b.start for b in doc.blocks] == sorted(b.start for b in doc.blocks)
