"""PDFs as a Document: hard-wrapped paragraphs joined back, page footers dropped, ruled tables
as grids (merged cells spanned, blanks at their position), a table split over pages as one."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from conftest import real_file
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from nlp.corpus.render_pdf import FONT, _styles
from nlp.ingest import load
from nlp.ingest.model import HEADING, PARAGRAPH, TABLE, Document

# Invented narrative: long enough to wrap over several lines and to run onto a second page.
PARAGRAPHS = [
    "本单位在过去一年中持续完善信息发布流程，逐步建立起覆盖起草、审核、发布和归档各环节的"
    "工作制度，各科室按照职责分工落实具体任务，确保发布内容准确完整并及时更新，群众查阅"
    "更加方便，咨询答复更加规范，相关工作得到了服务对象的普遍认可。",
    "围绕重点领域信息公开，本单位对照年度任务清单逐项推进，按季度梳理工作进展情况并形成"
    "书面记录，对发现的问题建立台账限期整改，整改完成后及时复核销号，做到问题不遗漏、"
    "责任不落空、整改不走样，工作质量稳步提升。",
    "在平台建设方面，本单位对网站栏目进行了整合优化，删除长期不更新的栏目，新增便民服务"
    "专栏，并对移动端页面进行适配改造，页面加载速度明显加快，检索功能更加准确，访问体验"
    "得到较大改善，全年网站运行平稳，未发生安全事件。",
]
ASCII_PARAGRAPH = (
    "The office answered every written request within the legal time limit and kept a "
    "record of each reply so that later reviews could trace how a decision had been made."
)
HEADING_TEXT = "一、总体情况"


def paragraph_style() -> ParagraphStyle:
    return _styles()["paragraph"]


def build_pdf(story: list, footer: str | None = "- {} -") -> bytes:
    def draw_footer(canvas, doc) -> None:
        if footer:
            canvas.saveState()
            canvas.setFont(FONT, 9)
            canvas.drawCentredString(A4[0] / 2, 12 * mm, footer.format(doc.page))
            canvas.restoreState()

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, invariant=1
    )
    template.build(story, onFirstPage=draw_footer, onLaterPages=draw_footer)
    return buffer.getvalue()


def cell_paragraph(text: str):
    return Paragraph(text, _styles()["cell"]) if text else ""


def ruled_table(rows: list[list[str]], spans=(), repeat_rows: int = 0) -> Table:
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
    commands += [("SPAN", start, end) for start, end in spans]
    data = [[cell_paragraph(text) for text in row] for row in rows]
    return Table(data, style=TableStyle(commands), repeatRows=repeat_rows, colWidths=[120] * 4)


def narrative_story(times: int, gap: float = 65) -> list:
    # The spacer puts a page break inside a paragraph (checked where it matters).
    story = [Paragraph(HEADING_TEXT, _styles()["heading"]), Spacer(1, gap)]
    for _ in range(times):
        story += [Paragraph(text, paragraph_style()) for text in PARAGRAPHS]
    return story


def assert_offsets_give_back_the_text(document: Document) -> None:
    for block in document.blocks:
        assert 0 <= block.start <= block.end <= len(document.text)
        if block.grid is None:
            continue
        for row in block.grid.rows:
            for cell in row:
                if cell.start >= 0:
                    assert document.text[cell.start : cell.end] == cell.text


def texts_of(document: Document, kind: str) -> list[str]:
    return [document.block_text(b) for b in document.blocks if b.kind == kind]


def test_wrapped_paragraphs_are_joined_across_lines_and_pages():
    data = build_pdf(narrative_story(times=5))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 2
        lines_of_first_page = pdf.pages[0].extract_text().split("\n")
    assert lines_of_first_page[-1] == "- 1 -"
    assert not lines_of_first_page[-2].endswith("。")  # a paragraph goes on onto page 2
    document = load(data, name="r.pdf")
    assert [b.kind for b in document.blocks][:2] == [HEADING, PARAGRAPH]
    assert document.block_text(document.blocks[0]) == HEADING_TEXT
    assert texts_of(document, PARAGRAPH) == PARAGRAPHS * 5
    assert "- 1 -" not in document.text and "- 2 -" not in document.text
    assert_offsets_give_back_the_text(document)


@pytest.mark.parametrize("footer", ["— {} —", "第 {} 页 共 2 页"])
def test_page_footers_of_other_forms_are_dropped(footer):
    document = load(build_pdf(narrative_story(times=5), footer=footer), name="r.pdf")
    assert texts_of(document, PARAGRAPH) == PARAGRAPHS * 5


def test_a_line_repeated_at_the_top_of_every_page_is_dropped():
    def running_header(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 9)
        canvas.drawString(20 * mm, A4[1] - 12 * mm, "某单位年度工作报告（内部资料）")
        canvas.restoreState()

    buffer = io.BytesIO()
    template = SimpleDocTemplate(buffer, pagesize=A4, invariant=1)
    template.build(
        narrative_story(times=12), onFirstPage=running_header, onLaterPages=running_header
    )
    document = load(buffer.getvalue(), name="r.pdf")
    assert document.text.count("内部资料") == 0
    assert texts_of(document, PARAGRAPH) == PARAGRAPHS * 12


def test_wrapped_ascii_words_are_joined_with_a_space():
    document = load(build_pdf([Paragraph(ASCII_PARAGRAPH, paragraph_style())]), name="r.pdf")
    assert texts_of(document, PARAGRAPH) == [ASCII_PARAGRAPH]


def test_short_lines_and_sentence_ends_stay_apart():
    story = [
        Paragraph("第一行没有写满", paragraph_style()),
        Paragraph("第二行同样很短。", paragraph_style()),
        Paragraph("（一）小节标题", _styles()["heading"]),
    ]
    document = load(build_pdf(story), name="r.pdf")
    assert [(b.kind, document.block_text(b)) for b in document.blocks] == [
        (PARAGRAPH, "第一行没有写满"),
        (PARAGRAPH, "第二行同样很短。"),
        (HEADING, "（一）小节标题"),
    ]


MERGED_ROWS = [
    ["项目", "", "数量", ""],
    ["", "", "甲类", "乙类"],
    ["第一组", "子项一", "5", ""],
    ["", "子项二", "", "8"],
    ["合计", "", "5", "8"],
]
# reportlab's SPAN takes (column, row) corners.
MERGED_SPANS = [((0, 0), (1, 1)), ((2, 0), (3, 0)), ((0, 2), (0, 3)), ((0, 4), (1, 4))]


def test_ruled_table_merged_cells_are_spans_and_blanks_keep_their_position():
    table = ruled_table(MERGED_ROWS, spans=MERGED_SPANS)
    story = [Paragraph("表格前的说明。", paragraph_style()), Spacer(1, 6), table]
    document = load(build_pdf(story), name="r.pdf")
    assert [b.kind for b in document.blocks] == [PARAGRAPH, TABLE]
    grid = document.blocks[1].grid
    assert grid.texts() == [
        ["项目", "项目", "数量", "数量"],
        ["项目", "项目", "甲类", "乙类"],
        ["第一组", "子项一", "5", ""],
        ["第一组", "子项二", "", "8"],
        ["合计", "合计", "5", "8"],
    ]
    assert grid.rows[1][1].origin == (0, 0) and grid.rows[3][0].origin == (2, 0)
    assert grid.rows[2][3].blank and not grid.rows[2][3].spanned
    assert_offsets_give_back_the_text(document)


def long_table_rows(count: int) -> list[list[str]]:
    return [[f"事项{n}", str(n), str(n * 2), "" if n % 3 else str(n * 3)] for n in range(count)]


HEADER = [["名称", "数量", "", ""], ["", "一类", "二类", "三类"]]
HEADER_SPANS = [((0, 0), (0, 1)), ((1, 0), (3, 0))]


@pytest.mark.parametrize("repeat", [0, 2])
def test_table_split_over_pages_is_one_table(repeat):
    body = long_table_rows(40)
    story = [*narrative_story(times=2), ruled_table(HEADER + body, HEADER_SPANS, repeat)]
    data = build_pdf(story)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert sum(bool(page.find_tables()) for page in pdf.pages) == 2  # it is split
    document = load(data, name="r.pdf")
    tables = [b for b in document.blocks if b.kind == TABLE]
    assert len(tables) == 1
    grid = tables[0].grid
    assert grid.header_rows == repeat
    assert grid.texts() == [
        ["名称", "数量", "数量", "数量"],
        ["名称", "一类", "二类", "三类"],
        *body,
    ]
    assert_offsets_give_back_the_text(document)


def test_tables_of_other_widths_on_the_next_page_stay_apart():
    first = ruled_table(HEADER + long_table_rows(3), HEADER_SPANS)
    second = Table([["甲", "乙"], ["1", "2"]], style=[("GRID", (0, 0), (-1, -1), 0.5, "black")])
    story = [Paragraph("表格之前。", paragraph_style()), first, PageBreak(), second]
    document = load(build_pdf(story), name="r.pdf")
    assert [b.grid.n_cols for b in document.blocks if b.kind == TABLE] == [4, 2]


def test_real_table_split_over_pages_is_one_grid_with_its_group_labels_carried():
    document = load(real_file("govnianbao/szfgs2024.pdf"))
    grids = [b.grid for b in document.blocks if b.grid is not None and b.grid.n_cols == 10]
    assert len(grids) == 1
    labels = {tuple(row[:3]) for row in grids[0].texts()}
    assert ("三、本年度办理结果", "（七）总计", "（七）总计") in labels
    assert_offsets_give_back_the_text(document)


@pytest.mark.parametrize(
    "file",
    [
        "govnianbao/szfgs2024.pdf",
        "kirogovcompare/hzq2023_working.pdf",
        "kirogovcompare/hzq2024_working.pdf",
    ],
)
def test_real_narrative_paragraphs_are_whole(file):
    document = load(real_file(file))
    paragraphs = texts_of(document, PARAGRAPH)
    # Every long paragraph ends a sentence: none is a line cut from the middle of one.
    long_ones = [text for text in paragraphs if len(text) > 40]
    assert long_ones and all(text[-1] in "。；：！？）" for text in long_ones), long_ones
    assert all(len(text) > 1 for text in paragraphs)


def canvas_pdf(draw) -> bytes:
    _styles()  # registers the CJK font
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont(FONT, 12)
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def test_white_boxes_behind_text_lines_are_no_table():
    # WPS paints a white box behind every line; invisible, they must not join the ruled table
    # right below them into one table with the narrative.
    text = PARAGRAPHS[0]
    lines = [text[:33], *(text[i : i + 35] for i in range(33, len(text), 35))]
    rows = [["名称", "数量"], ["事项甲", "3"]]

    def draw(pdf) -> None:
        y = 760
        for n, line in enumerate(lines):
            pdf.setFillColorRGB(1, 1, 1)
            pdf.rect(72, y - 8, 420, 24, stroke=0, fill=1)
            pdf.setFillColorRGB(0, 0, 0)
            pdf.drawString(96 if n == 0 else 72, y, line)
            y -= 24
        top = y + 16  # the grid starts where the last white box ends
        for r in range(len(rows) + 1):
            pdf.line(72, top - 24 * r, 492, top - 24 * r)
        for x in (72, 282, 492):
            pdf.line(x, top, x, top - 24 * len(rows))
        for r, row in enumerate(rows):
            for x, cell in zip((76, 286), row, strict=True):
                pdf.drawString(x, top - 24 * r - 17, cell)

    document = load(canvas_pdf(draw), name="r.pdf")
    assert [b.kind for b in document.blocks] == [PARAGRAPH, TABLE]
    assert document.block_text(document.blocks[0]) == text
    assert document.blocks[1].grid.texts() == rows


def test_table_row_left_open_at_the_page_bottom_is_read():
    # The last row has side rules but no bottom rule (the table goes on on the next page).
    columns, rows = [72, 232, 312, 392], [["名称", "数量", "金额"], ["事项甲", "3", "5"]]

    def draw(pdf) -> None:
        top, height = 500, 24
        for r in range(len(rows)):  # rules above each row, none below the last
            pdf.line(columns[0], top - r * height, columns[-1], top - r * height)
        for x in columns:
            pdf.line(x, top, x, top - len(rows) * height)
        for r, row in enumerate(rows):
            for x, text in zip(columns, row, strict=False):
                pdf.drawString(x + 4, top - r * height - 17, text)

    document = load(canvas_pdf(draw), name="r.pdf")
    tables = [b.grid.texts() if b.grid else None for b in document.blocks if b.kind == TABLE]
    assert tables == [rows]
