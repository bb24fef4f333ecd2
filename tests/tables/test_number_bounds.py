"""Figures no report prints: a value a float cannot hold is an unreadable cell, never `inf`, and
JSON output never says NaN or Infinity."""

from __future__ import annotations

import json
import math

from typer.testing import CliRunner

import nlp
from nlp.cli import app

HEAD = "某县教育局2024年政府信息公开工作年度报告\n一、总体情况\n本年度工作平稳。\n"
ACTIVE = "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t{value}\n"
TAIL = "五、存在的主要问题及改进情况\n无。\n六、其他需要报告的事项\n无。\n"


def report_with(value: str):
    return nlp.read((HEAD + ACTIVE.format(value=value) + TAIL).encode(), name="r.txt")


def test_a_three_hundred_digit_number_is_an_unreadable_cell_with_a_warning():
    report = report_with("9" * 320)
    cell = report.cells.query("table == 'active' and row == 'regulations' and col == 'in_force'")
    assert cell["value"].isna().all() and cell["raw"].iloc[0] == "9" * 320
    assert "table.number_out_of_range" in {w.code for w in report.warnings}
    assert not any(math.isinf(v) for v in report.cells["value"].dropna())


def test_sixteen_significant_digits_are_refused_and_fifteen_kept():
    assert report_with("1234567890123456").value("active", "regulations", "in_force") is None
    assert report_with("123456789012345").value("active", "regulations", "in_force") == float(
        123456789012345
    )


def test_a_round_number_too_large_for_a_float_to_hold_is_refused():
    report = report_with("1" + "0" * 400)
    assert report.value("active", "regulations", "in_force") is None


def test_json_output_never_says_nan_or_infinity(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(HEAD + ACTIVE.format(value="9" * 320) + TAIL, encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", str(path), "--json"])
    assert result.exit_code == 0, result.output
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout
    data = json.loads(result.stdout, parse_constant=lambda name: pytest_fail(name))
    assert any(c["value"] is None for c in data["cells"])


def pytest_fail(name: str):
    raise AssertionError(f"JSON constant {name} in the output")


def test_json_safe_clears_every_non_finite_float():
    from nlp.report import json_safe

    assert json_safe({"a": [1.0, float("nan"), {"b": float("-inf")}], "c": "x"}) == {
        "a": [1.0, None, {"b": None}],
        "c": "x",
    }
