"""Dismissals as a file: read and written as YAML or CSV; through `check`, `batch` (kept in its
output) and `compare`; counted and showable, never silently lost."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nlp.checks.dismissed import (
    DismissedFileError,
    add_dismissed,
    find_dismissed,
    load_dismissed,
)
from nlp.checks.findings import Finding
from nlp.cli import app
from tests.test_cli_check import write_report as write_bare
from tests.test_cli_linter import REVIEW_HEADING, REVIEW_ZEROS

runner = CliRunner()


def write_report(folder, name, claimed, printed):
    path = write_bare(folder, name, claimed=claimed, printed=printed)
    text = path.read_text(encoding="utf-8").replace(REVIEW_HEADING, REVIEW_HEADING + REVIEW_ZEROS)
    path.write_text(text, encoding="utf-8")
    return path


def a_finding(rule="claim.requests_new") -> Finding:
    cells = [{"table": "requests", "row": "new", "col": "total", "value": 5}]
    return Finding(
        rule, "claim", "error", "叙述称9件，表三为5", agency="某局", year=2021, cells=cells
    )


@pytest.mark.parametrize("name", ["xxgk-dismissed.yaml", "xxgk-dismissed.csv"])
def test_add_then_load_round_trips_and_splits(tmp_path, name):
    found = [a_finding(), a_finding("claim.requests_granted")]
    path = tmp_path / name
    assert add_dismissed(path, found[:1], reason="口径不同") == 1
    assert add_dismissed(path, found) == 1  # the first is there already
    dismissals = load_dismissed(path)
    assert len(dismissals) == 2 and dismissals.reason(found[0].fingerprint) == "口径不同"
    entry = dismissals.entries[found[0].fingerprint]
    assert entry["rule"] == "claim.requests_new" and entry["when"] and "who" in entry
    kept, dismissed = dismissals.split([*found, a_finding("table.x")])
    assert [f.rule for f in kept] == ["table.x"] and len(dismissed) == 2
    assert find_dismissed([tmp_path]) == [path]


def test_a_file_without_fingerprints_is_refused(tmp_path):
    path = tmp_path / "d.yaml"
    path.write_text("dismissed:\n  - rule: claim.x\n", encoding="utf-8")
    with pytest.raises(DismissedFileError, match="fingerprint"):
        load_dismissed(path)


def test_check_add_dismissed_then_default_file_beside_the_inputs(tmp_path):
    path = write_report(tmp_path, "bad.txt", claimed=9, printed=5)
    first = runner.invoke(app, ["check", str(path), "--json"])
    assert first.exit_code == 1
    count = len(json.loads(first.stdout)["findings"])
    baseline = tmp_path / "xxgk-dismissed.yaml"
    added = runner.invoke(app, ["check", str(path), "--add-dismissed", str(baseline)])
    assert added.exit_code == 0 and f"{count} findings added" in added.stderr
    again = runner.invoke(app, ["check", str(path), "--json"])  # found beside the input
    assert again.exit_code == 0, again.output
    body = json.loads(again.stdout)
    assert body["findings"] == [] and len(body["dismissed"]) == count
    assert f"{count} dismissed findings left out" in again.stderr
    shown = runner.invoke(app, ["check", str(path), "--show-dismissed"])
    assert "已忽略" in shown.stdout and body["dismissed"][0] in shown.stdout


def test_check_takes_a_csv_dismissals_file_elsewhere(tmp_path):
    path = write_report(tmp_path, "bad.txt", claimed=9, printed=5)
    elsewhere = tmp_path / "lists" / "mine.csv"
    elsewhere.parent.mkdir()
    runner.invoke(app, ["check", str(path), "--select", "claim", "--add-dismissed", str(elsewhere)])
    assert elsewhere.read_bytes().startswith(b"\xef\xbb\xbf")
    result = runner.invoke(app, ["check", str(path), "--dismissed", str(elsewhere), "--json"])
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"]}
    assert not any(rule.startswith("claim") for rule in rules)


def test_compare_leaves_dismissed_findings_out_and_counts_them(tmp_path):
    from tests.compare.compare_frames import cell, finding, report, written

    written(
        tmp_path,
        reports=[report("r1", "甲县教育局", 2022)],
        cells=[cell("r1", "requests/new/total", 5.0)],
        findings=[
            finding("r1", "claim.requests_new", "收到申请5件。", message="甲消息")
            | {"fingerprint": "d" * 40},
            finding("r1", "claim.requests_granted", "公开3件。", message="乙消息")
            | {"fingerprint": "e" * 40},
        ],
    )
    baseline = tmp_path / "mine.yaml"
    baseline.write_text(f"dismissed:\n  - fingerprint: {'d' * 40}\n    reason: 已核实\n", "utf-8")
    out = tmp_path / "r.html"
    result = runner.invoke(
        app, ["compare", str(tmp_path / "batch"), "--out", str(out), "--dismissed", str(baseline)]
    )
    assert result.exit_code == 0, result.output
    assert "1 dismissed findings left out" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "乙消息" in html and "甲消息" not in html


def test_batch_keeps_its_dismissals_and_export_marks_them(tmp_path, capsys):
    import openpyxl

    from nlp.cli import BATCH_DISMISSED, _keep_dismissals
    from tests.compare.compare_frames import finding, report, written

    written(
        tmp_path,
        reports=[report("r1", "甲县教育局", 2022)],
        findings=[
            finding("r1", "claim.requests_new", "收到申请5件。") | {"fingerprint": "d" * 40},
            finding("r1", "claim.requests_granted", "公开3件。") | {"fingerprint": "e" * 40},
        ],
    )
    out = tmp_path / "batch"
    beside = tmp_path / "xxgk-dismissed.yaml"
    add_dismissed(beside, [{"fingerprint": "d" * 40, "rule": "claim.requests_new"}], "已核实")
    _keep_dismissals(out, load_dismissed(beside))  # what `xxgk batch --dismissed` does at the end
    assert "1 findings dismissed" in capsys.readouterr().err
    assert load_dismissed(out / BATCH_DISMISSED).reason("d" * 40) == "已核实"
    book = tmp_path / "book.xlsx"
    result = runner.invoke(app, ["export", str(out), "--xlsx", str(book)])  # finds the batch's copy
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(book)["问题"]
    header = [c.value for c in sheet[1]]
    marks = {
        row[header.index("指纹")]: row[header.index("已忽略")]
        for row in sheet.iter_rows(2, values_only=True)
    }
    assert marks == {"d" * 40: True, "e" * 40: False}
