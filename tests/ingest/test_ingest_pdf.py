"""PDFs: ruled tables row by row among the text, unruled columns by gaps, bad PDFs."""

from __future__ import annotations

import io
import re
from functools import cache

import pdfplumber
import pytest
from conftest import real_file
from ingest_samples import pdf_bytes

import nlp.ingest.pdf
from nlp.ingest import load
from nlp.report import ReadError

TEXT_LINES = ["一、总体情况", "本年度共收到申请 12 件。"]
TABLE_LINES = ["本机关不掌握相关政府信息\t746\t12\t0", "重复申请\t25\t0\t0"]

# (file, label of table 三 row, its seven numbers: six applicant columns and the total)
REAL_ROWS = [
    ("govnianbao/szfgs2024.pdf", "本机关不掌握相关政府信息", "746 12 0 0 10 1 769"),
    ("govnianbao/szfgs2024.pdf", "一、本年新收政府信息公开申请数量", "3001 53 0 0 61 4 3119"),
    ("govnianbao/szfgs2024.pdf", "（七）总计", "2932 53 0 0 61 4 3050"),
    ("kirogovcompare/hzq2024_working.pdf", "一、本年新收政府信息公开申请数量", "95 0 0 0 0 0 95"),
    ("kirogovcompare/hzq2024_working.pdf", "四、结转下年度继续办理", "0 0 0 0 0 0 0"),
    ("kirogovcompare/hzq2023_working.pdf", "一、本年新收政府信息公开申请数量", "21 0 0 0 0 0 21"),
    ("kirogovcompare/hzq2023_working.pdf", "没有现成信息需要另行制作", "3 0 0 0 0 0 3"),
]
REAL_PDFS = sorted({file for file, _, _ in REAL_ROWS})


@cache
def real_text(file: str) -> str:
    return load(real_file(file)).text


def line_with(text: str, fragment: str) -> str:
    hits = [line for line in text.split("\n") if fragment in line]
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.parametrize(("file", "label", "numbers"), REAL_ROWS)
def test_real_table_rows_are_label_then_tab_separated_numbers(file, label, numbers):
    row = line_with(real_text(file), label)
    cells = row.split("\t")
    assert label in cells[-8]
    assert cells[-7:] == numbers.split()


@pytest.mark.parametrize("file", REAL_PDFS)
def test_real_pdfs_drop_page_footers(file):
    # The footers (- 1 -, - 2 -, …) are page furniture: a paragraph or table goes on past them.
    document = load(real_file(file))
    assert document.kind == "pdf"
    assert document.warnings == []
    assert not [line for line in document.text.split("\n") if re.fullmatch(r"- \d -", line)]


def test_real_pdf_merged_vertical_label_is_joined_without_spaces():
    text = real_text("govnianbao/szfgs2024.pdf")
    assert line_with(text, "（一）予以公开").startswith("三、本年度办理结果\t（一）予以公开\t")


def test_real_pdf_text_around_tables_stays_in_reading_order():
    text = real_text("kirogovcompare/hzq2024_working.pdf")
    order = ["二、主动公开政府信息情况", "规章\t0\t0\t0", "三、收到和处理", "五、存在的主要问题"]
    positions = [text.index(fragment) for fragment in order]
    assert positions == sorted(positions)


def test_generated_cjk_pdf_unruled_columns_become_tabs():
    document = load(pdf_bytes([TEXT_LINES]), name="r.pdf")
    assert document.text.split("\n") == TEXT_LINES + TABLE_LINES


def test_generated_cjk_pdf_ruled_table_is_read_cell_by_cell():
    data = pdf_bytes([TEXT_LINES], ruled=True)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages[0].find_tables()) == 1  # the grid is found as a table
    assert load(data).text.split("\n") == TEXT_LINES + TABLE_LINES


def test_pages_are_joined_in_order():
    document = load(pdf_bytes([["第一页"], ["第二页"]]), name="r.pdf")
    assert document.text.split("\n") == ["第一页", *TABLE_LINES, "第二页", *TABLE_LINES]


def test_page_without_text_layer_is_skipped_with_a_warning():
    document = load(pdf_bytes([TEXT_LINES, None]), name="r.pdf")
    assert document.text.split("\n") == TEXT_LINES + TABLE_LINES
    assert [(w.code, w.message.split(" has")[0]) for w in document.warnings] == [
        ("ingest.pdf_no_text_page", "page 2")
    ]


def test_scanned_pdf_without_any_text_asks_for_ocr():
    with pytest.raises(ReadError, match="no text layer on any of its 2 pages.*OCR"):
        load(pdf_bytes([None, None]), name="scan.pdf")


def test_truncated_pdf_cannot_be_opened(tmp_path):
    data = real_file("govnianbao/szfgs2024.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match=r"cannot be opened \(truncated or corrupt file\)"):
        load(path)


def test_pdf_header_only_is_corrupt():
    with pytest.raises(ReadError, match="cannot be opened"):
        load(b"%PDF-1.7\n" + b"1 0 obj\n<<>>\n" * 3, name="r.pdf")


def test_an_unreadable_page_is_reported_and_the_others_kept(monkeypatch):
    read_page = nlp.ingest.pdf.page_layout

    def failing_second_page(page, number, *limits):
        if number == 2:
            raise ValueError("bad content stream")
        return read_page(page, number, *limits)

    monkeypatch.setattr(nlp.ingest.pdf, "page_layout", failing_second_page)
    document = load(pdf_bytes([["第一页"], ["第二页"], ["第三页"]]), name="r.pdf")
    assert "第二页" not in document.text
    assert document.text.startswith("第一页") and "第三页" in document.text
    assert [w.code for w in document.warnings] == ["ingest.pdf_page_error"]
    assert (
        "page 2 could not be read (ValueError: bad content stream)" in document.warnings[0].message
    )


def test_no_readable_page_is_an_error(monkeypatch):
    def always_fails(page, number, *limits):
        raise ValueError("bad content stream")

    monkeypatch.setattr(nlp.ingest.pdf, "page_layout", always_fails)
    with pytest.raises(ReadError, match="none of the 2 pages of the PDF could be read"):
        load(pdf_bytes([["第一页"], ["第二页"]]), name="r.pdf")
