"""Never silent about reading: confidence and warnings with each file's findings, a fragment said
in its header, and a file that is not a report an input error (exit 2), never "no findings"."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

import nlp
from nlp.checks.reading import FRAGMENT_RULE, NOT_A_REPORT_RULE, WARNINGS_RULE, reading_of
from nlp.cli import app

runner = CliRunner()

HEAD = "某市某局2021年政府信息公开工作年度报告\n一、总体情况\n2021年，我局共收到政府信息公开申请5件。\n"
TABLE_THREE = "\n".join(
    "\t".join([label, *values])
    for label, values in [
        ("本年新收政府信息公开申请数量", ["5", "0", "0", "0", "0", "0", "5"]),
        ("上年结转政府信息公开申请数量", ["0"] * 7),
        ("予以公开", ["5", "0", "0", "0", "0", "0", "5"]),
        ("总计", ["5", "0", "0", "0", "0", "0", "5"]),
        ("结转下年度继续办理", ["0"] * 7),
    ]
)
EMPTY_TABLE_SECTIONS = (
    HEAD + "二、主动公开政府信息情况\n\n三、收到和处理政府信息公开申请情况\n\n"
    "四、政府信息公开行政复议、行政诉讼情况\n\n五、存在的主要问题及改进情况\n仍有不足。\n"
    "六、其他需要报告的事项\n无。\n"
)
# The file breaks off inside table 三: sections 四 to 六 and table 四 are not there.
TRUNCATED = (
    HEAD + "二、主动公开政府信息情况\n（无）\n三、收到和处理政府信息公开申请情况\n" + TABLE_THREE
)
NOT_A_REPORT = "今天天气很好。我们去了3个公园，看了5场电影。\n"


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_text_that_is_no_report_exits_2_with_its_reason(tmp_path):
    path = _write(tmp_path, "news.txt", NOT_A_REPORT)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    assert "不像政府信息公开工作年度报告" in result.output
    assert "未发现问题" not in result.output


def test_a_text_that_is_no_report_says_why_in_json(tmp_path):
    path = _write(tmp_path, "news.txt", NOT_A_REPORT)
    result = runner.invoke(app, ["check", str(path), "--json"])
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert body["reading"]["rejected"] and body["error"] == body["reading"]["rejected"]
    assert "findings" not in body


def test_the_other_files_are_still_checked_beside_a_rejected_one(tmp_path):
    news = _write(tmp_path, "news.txt", NOT_A_REPORT)
    report = _write(tmp_path, "cut.txt", TRUNCATED)
    result = runner.invoke(app, ["check", str(news), str(report), "--json"])
    assert result.exit_code == 2
    bodies = [json.loads(line) for line in result.stdout.splitlines()]
    shapes = {Path(b["source"]).name: ("error" in b, "findings" in b) for b in bodies}
    assert shapes == {"news.txt": (True, False), "cut.txt": (False, True)}


def test_empty_table_sections_make_a_fragment_in_the_header(tmp_path):
    path = _write(tmp_path, "empty.txt", EMPTY_TABLE_SECTIONS)
    result = runner.invoke(app, ["check", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "片段" in result.output and "fragment" in result.output and "表三" in result.output
    assert "可信度 confidence" in result.output


def test_empty_table_sections_in_json(tmp_path):
    path = _write(tmp_path, "empty.txt", EMPTY_TABLE_SECTIONS)
    body = json.loads(runner.invoke(app, ["check", str(path), "--json"]).stdout)
    reading = body["reading"]
    assert reading["fragment"] and reading["rejected"] is None
    assert {"表二", "表三", "表四"} <= set(reading["missing"])
    assert {w["code"] for w in reading["warnings"]} >= {"table.not_found"}
    assert FRAGMENT_RULE in {f["rule"] for f in body["findings"]}


def test_a_truncated_file_says_which_parts_are_missing(tmp_path):
    path = _write(tmp_path, "cut.txt", TRUNCATED)
    result = runner.invoke(app, ["check", str(path)], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "片段" in result.output and "fragment" in result.output
    assert "第四部分" in result.output and "第六部分" in result.output
    assert "未发现问题" not in result.output.split("片段")[0]


def test_a_complete_report_is_no_fragment():
    report = nlp.read(
        (
            EMPTY_TABLE_SECTIONS.replace(
                "三、收到和处理政府信息公开申请情况\n\n",
                "三、收到和处理政府信息公开申请情况\n" + TABLE_THREE + "\n",
            )
        ).encode(),
        name="r.txt",
    )
    reading = reading_of(report)
    assert "表三" not in reading.missing and reading.rejected is None


def test_the_findings_frame_carries_confidence_and_the_reading(tmp_path):
    report = nlp.read(TRUNCATED.encode(), name="cut.txt")
    frame = nlp.check(report)
    assert len(frame) and frame["confidence"].eq(report.confidence).all()
    rules = set(frame["rule"])
    assert {FRAGMENT_RULE, WARNINGS_RULE} <= rules
    warned = frame[frame["rule"] == WARNINGS_RULE].iloc[0]
    assert f"{report.confidence:.2f}" in warned["message"]


def test_a_non_report_is_a_finding_in_the_frame_too():
    report = nlp.read(NOT_A_REPORT.encode(), name="news.txt")
    frame = nlp.check(report)
    assert NOT_A_REPORT_RULE in set(frame["rule"])
    assert FRAGMENT_RULE not in set(frame["rule"])


def test_a_badly_read_report_is_rejected_for_its_confidence():
    report = nlp.read(TRUNCATED.encode(), name="cut.txt")
    doubtful = [nlp.report.ParseWarning("table.row_unreadable", "x", "requests", "new")] * 8
    report.warnings = report.warnings + doubtful
    reading = reading_of(report)
    assert reading.rejected and "可信度" in reading.rejected
