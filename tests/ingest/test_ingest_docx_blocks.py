"""Word documents as a Document: heading styles, Word's table grid (gridSpan, vMerge,
gridBefore/gridAfter, header rows), blank cells at their position, nested and layout tables."""

from __future__ import annotations

import copy
import io

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from nlp.ingest import load
from nlp.ingest.model import HEADING, PARAGRAPH, TABLE, Document


def save(document) -> Document:
    buffer = io.BytesIO()
    document.save(buffer)
    return load(buffer.getvalue(), name="r.docx")


def fill(table, values: list[list[str]]) -> None:
    for row, texts in zip(table.rows, values, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text


def kinds_and_texts(document: Document) -> list[tuple[str, str]]:
    return [(block.kind, document.block_text(block)) for block in document.blocks]


def set_property(parent, properties: str, name: str, value: str | None = None) -> None:
    holder = parent.find(qn(properties))
    if holder is None:
        holder = OxmlElement(properties)
        parent.insert(0, holder)
    element = OxmlElement(name)
    if value is not None:
        element.set(qn("w:val"), value)
    holder.append(element)


def assert_offsets_give_back_the_text(document: Document) -> None:
    for block in document.blocks:
        if block.grid is None:
            continue
        for row in block.grid.rows:
            for cell in row:
                if cell.start >= 0:
                    assert document.text[cell.start : cell.end] == cell.text
                else:
                    assert cell.spanned or cell.blank


def test_heading_styles_and_outline_levels_make_headings():
    document = docx.Document()
    document.add_heading("概述", level=1)
    document.add_heading("工作安排", level=2)
    chinese = document.styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("细则说明", style=chinese)
    outlined = document.add_paragraph("附加事项")
    set_property(outlined._p, "w:pPr", "w:outlineLvl", "1")
    document.add_paragraph("正文段落写在这里，不是标题。")
    read = save(document)
    assert [(b.kind, b.level, read.block_text(b)) for b in read.blocks] == [
        (HEADING, 1, "概述"),
        (HEADING, 2, "工作安排"),
        (HEADING, 3, "细则说明"),
        (HEADING, 2, "附加事项"),
        (PARAGRAPH, None, "正文段落写在这里，不是标题。"),
    ]


def test_a_style_based_on_a_heading_is_a_heading():
    document = docx.Document()
    derived = document.styles.add_style("我的标题", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = document.styles["Heading 2"]
    document.add_paragraph("派生样式的标题", style=derived)
    read = save(document)
    assert [(b.kind, b.level) for b in read.blocks] == [(HEADING, 2)]


def test_numbered_heading_keeps_its_numbering_level_over_the_word_style():
    document = docx.Document()
    document.add_heading("（二）第二部分的小节", level=1)
    block = save(document).blocks[0]
    assert (block.kind, block.level, block.numbering) == (HEADING, 2, "cjk_paren")


def merged_table_document() -> docx.Document:
    document = docx.Document()
    document.add_paragraph("表格前的说明文字。")
    table = document.add_table(rows=5, cols=4)
    fill(
        table,
        [
            ["项目", "", "数量", ""],
            ["", "", "甲", "乙"],
            ["分组一", "子项一", "7", ""],
            ["", "子项二", "", "9"],
            ["合计", "", "7", "9"],
        ],
    )
    table.cell(0, 0).merge(table.cell(1, 1))  # 2 rows × 2 columns
    table.cell(0, 2).merge(table.cell(0, 3))  # header over two columns
    table.cell(2, 0).merge(table.cell(3, 0))  # group label over two rows
    table.cell(4, 0).merge(table.cell(4, 1))
    for row in table.rows[:2]:
        set_property(row._tr, "w:trPr", "w:tblHeader")
    document.add_paragraph("表格后的说明文字。")
    return document


def test_merged_cells_become_spans_and_blanks_stay_at_their_position():
    read = save(merged_table_document())
    assert [b.kind for b in read.blocks] == [PARAGRAPH, TABLE, PARAGRAPH]
    grid = read.blocks[1].grid
    assert grid.texts() == [
        ["项目", "项目", "数量", "数量"],
        ["项目", "项目", "甲", "乙"],
        ["分组一", "子项一", "7", ""],
        ["分组一", "子项二", "", "9"],
        ["合计", "合计", "7", "9"],
    ]
    assert grid.header_rows == 2
    assert grid.rows[3][0].origin == (2, 0) and grid.rows[3][0].spanned
    assert grid.rows[2][3].blank and not grid.rows[2][3].spanned
    assert read.block_text(read.blocks[1]).split("\n") == [
        "项目\t数量",
        "甲\t乙",
        "分组一\t子项一\t7",
        "子项二\t9",
        "合计\t7\t9",
    ]
    assert_offsets_give_back_the_text(read)


def test_grid_before_and_after_are_blank_positions():
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    fill(table, [["甲", "乙", "丙"], ["x", "一", "二"]])
    row = table.rows[1]._tr
    row.remove(row.tc_lst[0])  # the row starts one grid column in
    set_property(row, "w:trPr", "w:gridBefore", "1")
    first = table.rows[0]._tr
    first.remove(first.tc_lst[-1])  # the first row ends one column short
    set_property(first, "w:trPr", "w:gridAfter", "1")
    grid = save(document).blocks[0].grid
    assert grid.texts() == [["甲", "乙", ""], ["", "一", "二"]]


def test_vmerge_without_value_continues_the_cell_above():
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    fill(table, [["标签", "1"], ["", "2"], ["", "3"]])
    for r in (0, 1, 2):
        tc = table.cell(r, 0)._tc
        set_property(tc, "w:tcPr", "w:vMerge", "restart" if r == 0 else None)
    grid = save(document).blocks[0].grid
    assert grid.texts() == [["标签", "1"], ["标签", "2"], ["标签", "3"]]
    assert [row[0].origin for row in grid.rows] == [(0, 0)] * 3


def test_nested_table_is_its_own_block_after_the_outer_table():
    document = docx.Document()
    outer = document.add_table(rows=2, cols=2)
    fill(outer, [["外层甲", "外层乙"], ["说明", ""]])
    holder = outer.cell(1, 1)
    holder.paragraphs[0].text = "见下表"
    inner = holder.add_table(rows=2, cols=2)
    fill(inner, [["内甲", "内乙"], ["1", "2"]])
    document.add_paragraph("结尾段落。")
    read = save(document)
    assert kinds_and_texts(read) == [
        (TABLE, "外层甲\t外层乙\n说明\t见下表"),
        (TABLE, "内甲\t内乙\n1\t2"),
        (PARAGRAPH, "结尾段落。"),
    ]
    assert_offsets_give_back_the_text(read)


def test_one_cell_layout_table_is_read_as_its_content():
    document = docx.Document()
    frame = document.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.paragraphs[0].text = "一、总体情况"
    cell.add_paragraph("框内的正文段落。")
    inner = cell.add_table(rows=2, cols=2)
    fill(inner, [["名称", "数量"], ["事项", "3"]])
    read = save(document)
    assert [b.kind for b in read.blocks] == [HEADING, PARAGRAPH, TABLE]
    assert read.blocks[2].grid.texts() == [["名称", "数量"], ["事项", "3"]]


def test_table_inside_a_content_control_is_read():
    document = merged_table_document()
    body = document.element.body
    table = body.find(qn("w:tbl"))
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    control.append(content)
    table.addprevious(control)
    content.append(copy.deepcopy(table))
    body.remove(table)
    read = save(document)
    assert [b.kind for b in read.blocks] == [PARAGRAPH, TABLE, PARAGRAPH]
    assert read.blocks[1].grid.n_cols == 4


def test_line_break_inside_a_paragraph_ends_a_line():
    document = docx.Document()
    paragraph = document.add_paragraph("第一行文字")
    paragraph.add_run().add_break()
    paragraph.add_run("第二行文字")
    assert save(document).text == "第一行文字\n第二行文字"


def test_spans_of_tables_nested_in_a_cell_or_in_a_frame_are_read():
    document = docx.Document()
    outer = document.add_table(rows=2, cols=2)
    fill(outer, [["外层甲", "外层乙"], ["说明", ""]])
    inner = outer.cell(1, 1).add_table(rows=3, cols=2)
    fill(inner, [["分组", "1"], ["", "2"], ["合计", "3"]])
    inner.cell(0, 0).merge(inner.cell(1, 0))
    frame = document.add_table(rows=1, cols=1)
    framed = frame.cell(0, 0).add_table(rows=2, cols=2)
    fill(framed, [["标题", ""], ["甲", "乙"]])
    framed.cell(0, 0).merge(framed.cell(0, 1))
    tables = [b.grid for b in save(document).blocks if b.kind == TABLE]
    assert [grid.texts() for grid in tables] == [
        [["外层甲", "外层乙"], ["说明", ""]],
        [["分组", "1"], ["分组", "2"], ["合计", "3"]],
        [["标题", "标题"], ["甲", "乙"]],
    ]
    assert tables[1].rows[1][0].origin == (0, 0)


def test_cells_in_a_content_control_keep_their_spans_and_paragraphs():
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    fill(table, [["甲", "乙", "丙"], ["一", "", "三"]])
    table.cell(1, 1).paragraphs[0].text = "第一段"
    table.cell(1, 1).add_paragraph("")
    table.cell(1, 1).add_paragraph("第二段")
    row = table.rows[0]._tr
    first = row.tc_lst[0]
    set_property(first, "w:tcPr", "w:gridSpan", "2")
    row.remove(row.tc_lst[1])
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    control.append(content)
    first.addprevious(control)
    content.append(first)
    grid = save(document).blocks[0].grid
    # the cell's lines join as wrapped text does: no space between Chinese characters
    assert grid.texts() == [["甲", "甲", "丙"], ["一", "第一段第二段", "三"]]
