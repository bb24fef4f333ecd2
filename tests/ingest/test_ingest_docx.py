"""Word documents: paragraphs and tables in document order, merged cells emitted once."""

from __future__ import annotations

import io

import docx
import pytest

import nlp.ingest.docx
from nlp.ingest import load
from nlp.report import ReadError


def build_report() -> bytes:
    document = docx.Document()
    document.add_heading("某某局2021年政府信息公开工作年度报告", level=1)
    document.add_paragraph("一、总体情况")
    document.add_paragraph("本年度共收到申请 2 件。")
    table = document.add_table(rows=4, cols=4)
    values = [
        ["信息内容", "", "本年制发件数", "现行有效件数"],
        ["第二十条", "规章", "0", "0"],
        ["", "行政规范性文件", "3", "8"],
        ["合计", "", "3", "3"],
    ]
    for row, texts in zip(table.rows, values, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    table.cell(0, 0).merge(table.cell(0, 1))  # horizontal: one cell spanning two columns
    table.cell(1, 0).merge(table.cell(2, 0))  # vertical: the label spans two rows
    table.cell(3, 1).paragraphs[0].add_run("说明")
    table.cell(3, 1).add_paragraph("文字")
    document.add_paragraph("二、主动公开政府信息情况")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_paragraphs_and_table_rows_in_document_order(tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(build_report())
    document = load(path)
    assert document.kind == "docx"
    assert document.text.split("\n") == [
        "某某局2021年政府信息公开工作年度报告",
        "一、总体情况",
        "本年度共收到申请 2 件。",
        "信息内容\t本年制发件数\t现行有效件数",
        "第二十条\t规章\t0\t0",
        "行政规范性文件\t3\t8",
        "合计\t说明文字\t3\t3",
        "二、主动公开政府信息情况",
    ]
    assert document.warnings == []


def test_equal_neighbouring_values_are_different_cells():
    # "3" and "3" in the last row are two cells: de-duplicating them would lose a number.
    rows = load(build_report(), name="r.docx").text.split("\n")
    assert rows[6].endswith("\t3\t3")


def test_docx_bytes_are_recognised_without_a_name():
    assert load(build_report()).kind == "docx"


def test_empty_docx_has_no_text():
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with pytest.raises(ReadError, match="no text found in the docx file"):
        load(buffer.getvalue(), name="empty.docx")


def test_docx_that_expands_too_much_is_refused(monkeypatch):
    # The cap is on bytes actually inflated (issue 18), no longer on the declared size.
    data = build_report()
    monkeypatch.setattr(nlp.ingest.docx, "MAX_PART_BYTES", 1000)
    with pytest.raises(ReadError, match=r"unpacks to far more data than a report holds"):
        load(data, name="r.docx")
