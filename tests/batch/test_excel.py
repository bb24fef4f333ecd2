"""`nlp.batch.to_excel` and `xxgk export`: the workbook read back with openpyxl."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

import nlp.batch
from nlp.batch.excel import settings
from nlp.cli import app
from tests.compare.compare_frames import cell, finding, report, written

FINGERPRINT = "f" * 40


def batch_tables(tmp_path):
    cells = [{"table": "requests", "row": "new", "col": "total", "value": 9.0}]
    return written(
        tmp_path,
        reports=[
            report("r1", "甲县教育局", 2021, confidence=1.0),
            report("r2", "甲县教育局", 2022, confidence=0.9),
            report("r3", "乙县卫健委", 2022, confidence=0.8),
        ],
        cells=[cell("r1", "requests/new/total", 9.0), cell("r3", "active/regulations/issued", 1)],
        findings=[
            finding("r2", "claim.requests_new", "本年度共收到申请5件。", cells=cells)
            | {"fingerprint": FINGERPRINT},
            finding("r2", "table.requests_balance", "", kind="table", cells=cells)
            | {"fingerprint": "a" * 40},
            finding("r3", "claim.requests_new", "收到申请3件。", severity="warning")
            | {"fingerprint": "b" * 40, "agency": "乙县卫健委"},
        ],
    )


def test_workbook_sheets_headers_summary_and_findings(tmp_path):
    path = nlp.batch.to_excel(batch_tables(tmp_path), tmp_path / "out.xlsx", dismissed=["a" * 40])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [s["name"] for s in settings()["sheets"]]
    summary = book["机关汇总"]
    header = [c.value for c in summary[1]]
    assert header[:3] == ["机关", "层级", "报告数"]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in summary.iter_rows(2, values_only=True)}
    assert rows["甲县教育局"]["报告数"] == 2 and rows["甲县教育局"]["年度范围"] == "2021–2022"
    assert rows["甲县教育局"]["错误数"] == 1 and rows["甲县教育局"]["已忽略数"] == 1
    assert rows["乙县卫健委"]["警告数"] == 1
    findings = book["问题"]
    names = [c.value for c in findings[1]]
    assert {"说明", "message (English)", "原文证据", "单元格", "指纹", "已忽略"} <= set(names)
    first = dict(zip(names, next(findings.iter_rows(2, values_only=True)), strict=True))
    assert first["原文证据"] == "本年度共收到申请5件。"
    assert "本年新收政府信息公开申请数量" in first["单元格"]
    cells = book["表格数据"]
    assert {"表名", "行名", "列名"} <= {c.value for c in cells[1]}
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:")
        assert sheet.column_dimensions["A"].width >= 6


def test_export_command_writes_the_workbook(tmp_path):
    batch_tables(tmp_path)
    out = tmp_path / "book.xlsx"
    result = CliRunner().invoke(app, ["export", str(tmp_path / "batch"), "--xlsx", str(out)])
    assert result.exit_code == 0, result.output
    assert "问题" in openpyxl.load_workbook(out).sheetnames


def test_export_refuses_a_folder_that_is_not_a_batch(tmp_path):
    result = CliRunner().invoke(app, ["export", str(tmp_path), "--xlsx", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2
