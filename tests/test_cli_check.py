"""`xxgk check`: exit codes 0/1/2 and the JSON shape of interfaces.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.cli import app

runner = CliRunner()

TABLE_THREE = "\n".join(
    "\t".join([label, *values])
    for label, values in [
        ("本年新收政府信息公开申请数量", ["{n}", "0", "0", "0", "0", "0", "{n}"]),
        ("上年结转政府信息公开申请数量", ["0"] * 7),
        ("予以公开", ["{n}", "0", "0", "0", "0", "0", "{n}"]),
        ("部分公开（区分处理的，只计这一情形，不计其他情形）", ["0"] * 7),
        ("总计", ["{n}", "0", "0", "0", "0", "0", "{n}"]),
        ("结转下年度继续办理", ["0"] * 7),
    ]
)


def write_report(folder: Path, name: str, claimed: int, printed: int) -> Path:
    text = (
        "某市某局2021年政府信息公开工作年度报告\n"
        "一、总体情况\n"
        f"2021年，我局共收到政府信息公开申请{claimed}件，均已按时答复。\n"
        "二、主动公开政府信息情况\n（无）\n"
        "三、收到和处理政府信息公开申请情况\n"
        + TABLE_THREE.replace("{n}", str(printed))
        + "\n四、政府信息公开行政复议、行政诉讼情况\n"
        "五、存在的主要问题及改进情况\n仍有不足。\n六、其他需要报告的事项\n无。\n"
    )
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_consistent_report_exits_0(tmp_path):
    path = write_report(tmp_path, "ok.txt", claimed=5, printed=5)
    result = runner.invoke(app, ["check", str(path), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["source"].endswith("ok.txt")
    assert all(f["severity"] != "error" for f in body["findings"])


def test_contradiction_exits_1_with_the_finding_in_json(tmp_path):
    path = write_report(tmp_path, "bad.txt", claimed=9, printed=5)
    result = runner.invoke(app, ["check", str(path), "--json"])
    assert result.exit_code == 1, result.output
    body = json.loads(result.stdout)
    (finding,) = [f for f in body["findings"] if f["rule"] == "claim.requests_new"]
    assert set(finding) >= {
        "rule",
        "kind",
        "severity",
        "message",
        "section",
        "evidence",
        "claim",
        "cells",
        "fingerprint",
    }
    assert finding["kind"] == "claim" and finding["severity"] == "error"
    assert finding["claim"]["metric"] == "requests/new/total"
    assert finding["claim"]["value"] == 9 and finding["claim"]["qualifier"] == "exact"
    assert finding["cells"] == [{"table": "requests", "row": "new", "col": "total", "value": 5}]
    assert "9件" in finding["evidence"]


def test_several_files_print_json_lines(tmp_path):
    paths = [write_report(tmp_path, f"r{i}.txt", claimed=5, printed=5) for i in range(2)]
    result = runner.invoke(app, ["check", *map(str, paths), "--json"])
    lines = result.stdout.strip().splitlines()
    assert [json.loads(line)["source"].rsplit("/", 1)[-1] for line in lines] == ["r0.txt", "r1.txt"]


def test_unreadable_file_exits_2(tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2


@pytest.mark.parametrize("claimed", [9])
def test_people_view_shows_the_sentence_and_the_cell(tmp_path, claimed):
    path = write_report(tmp_path, "bad.txt", claimed=claimed, printed=5)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert "claim.requests_new" in result.stdout
    assert f"共收到政府信息公开申请{claimed}件" in result.stdout
    assert "= 5" in result.stdout
