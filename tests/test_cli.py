"""`xxgk parse` as users and scripts call it (interfaces.md)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from nlp.cli import app
from nlp.report import SECTION_KEYS
from tests.conftest import real_file

runner = CliRunner()

SMALL_REPORT = """某市某局2022年政府信息公开工作年度报告
一、总体情况
2022年，本局未收到政府信息公开申请。
二、主动公开政府信息情况
信息内容\t本年制发件数\t本年废止件数\t现行有效件数
规章\t0\t0\t0
行政规范性文件\t1\t0\t3
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0
四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0
四、政府信息公开行政复议、行政诉讼情况
0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0\t0
五、存在的主要问题及改进情况
公开意识有待加强。
六、其他需要报告的事项
本局未收取信息处理费。
"""


def test_parse_json_is_one_object_with_the_contract_keys(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(SMALL_REPORT, encoding="gb18030")
    result = runner.invoke(app, ["parse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    obj = json.loads(lines[0])
    for key in ("source", "agency", "year", "format", "sections", "cells", "warnings"):
        assert key in obj
    assert obj["source"] == str(path)
    assert obj["year"] == 2022
    assert obj["format"] == "2021"
    assert set(obj["sections"]) <= set(SECTION_KEYS)
    cell = next(c for c in obj["cells"] if c["row"] == "normative_docs" and c["col"] == "in_force")
    assert cell == {
        "table": "active",
        "row": "normative_docs",
        "col": "in_force",
        "value": 3,
        "raw": "3",
    }
    missing = {w["row"] for w in obj["warnings"] if w["code"] == "table.row_missing"}
    assert "granted" in missing


def test_parse_several_files_gives_json_lines(tmp_path):
    paths = []
    for name in ("a.txt", "b.txt"):
        path = tmp_path / name
        path.write_text(SMALL_REPORT, encoding="utf-8")
        paths.append(str(path))
    result = runner.invoke(app, ["parse", *paths, "--json"])
    assert result.exit_code == 0
    sources = [json.loads(line)["source"] for line in result.stdout.strip().splitlines()]
    assert sources == paths


def test_unreadable_file_exits_2_with_a_clear_message(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    result = runner.invoke(app, ["parse", str(path), "--json"])
    assert result.exit_code == 2
    assert "empty.txt" in result.stderr
    assert "Traceback" not in result.output


def test_readable_view_shows_tables_and_warnings(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(SMALL_REPORT, encoding="utf-8")
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0
    assert "normative_docs" in result.stdout
    assert "table.row_missing" in result.stdout


def test_parse_real_pdf_json():
    path = real_file("kirogovcompare/hzq2024_working.pdf")
    result = runner.invoke(app, ["parse", str(path), "--json"])
    assert result.exit_code == 0
    obj = json.loads(result.stdout)
    new_total = next(
        c["value"]
        for c in obj["cells"]
        if (c["table"], c["row"], c["col"]) == ("requests", "new", "total")
    )
    assert new_total == 95
    assert obj["year"] == 2024


def test_generate_writes_reports_and_truth(tmp_path):
    out = tmp_path / "corpus"
    result = runner.invoke(
        app, ["generate", "6", "--out", str(out), "--formats", "txt,html", "--seed", "3"]
    )
    assert result.exit_code == 0, result.output
    files = sorted(p.suffix for p in out.iterdir() if p.is_file())
    assert len(files) == 6
    assert set(files) == {".txt", ".html"}
    assert (out / "truth" / "cells.parquet").exists()


def test_generate_rejects_an_unknown_format(tmp_path):
    result = runner.invoke(app, ["generate", "2", "--out", str(tmp_path), "--formats", "xls"])
    assert result.exit_code == 2
    assert "xls" in result.stderr
