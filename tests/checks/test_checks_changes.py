"""Change claims (比上年增加 N 件, 同比增长 p%, 提高 N 个百分点) against the same agency's
previous report, never against this year's stock."""

from __future__ import annotations

import pytest

from nlp.analysis import check_findings
from tests.checks.test_checks_narrative import report

NEW = "requests/new/total"
CARRIED = "requests/carried_over/total"


def change_findings(text: str, now: dict, before: dict, year: int = 2022):
    reports = [report("上年度报告。", before, year=year - 1), report(text, now, year=year)]
    return [f for f in check_findings(reports) if f.rule == "claim.change"]


@pytest.mark.parametrize(
    ("text", "stated"),
    [
        ("全年收到政府信息公开申请15件，比上年增加3件。", "true"),
        ("全年收到政府信息公开申请15件，比上年增加5件。", "false"),
        ("全年收到政府信息公开申请15件，比上年减少3件。", "false"),  # the wrong direction
        ("收到政府信息公开申请同比增长25%。", "true"),
        ("收到政府信息公开申请同比增长50%。", "false"),
        ("2022年收到政府信息公开申请比2021年增加3件。", "true"),
        ("2022年收到政府信息公开申请比2021年增加9件。", "false"),
        ("收到政府信息公开申请比上年增加约3件。", "true"),
    ],
)
def test_a_change_is_checked_against_last_years_report(text, stated):
    found = change_findings(text, {NEW: 15}, {NEW: 12})
    if stated == "true":
        assert found == []
    else:
        (finding,) = found
        assert finding.severity == "error" and finding.kind == "claim"
        assert "12" in finding.message and "15" in finding.message


def test_the_finding_has_both_years_cells():
    (finding,) = change_findings("收到政府信息公开申请比上年增加5件。", {NEW: 15}, {NEW: 12})
    assert sorted((c["year"], c["value"]) for c in finding.cells) == [(2021, 12), (2022, 15)]
    assert finding.claim["name"] == "requests_new.change" and finding.claim["value"] == 5


def test_without_last_years_report_a_change_is_not_checked():
    only_this_year = report("收到政府信息公开申请比上年增加5件。", {NEW: 15}, year=2022)
    assert [f for f in check_findings([only_this_year]) if f.kind == "claim"] == []


def test_a_change_of_another_years_report_is_not_paired():
    reports = [
        report("报告。", {NEW: 12}, year=2020),
        report("收到政府信息公开申请比上年增加5件。", {NEW: 15}, year=2022),
    ]
    assert [f for f in check_findings(reports) if f.rule == "claim.change"] == []


def test_a_change_in_another_scope_is_a_warning_with_the_arithmetic():
    # 收到 = 新收 + 上年结转: 17 − 13 = 4, while 新收 changed by 3
    now, before = {NEW: 15, CARRIED: 2}, {NEW: 12, CARRIED: 1}
    (finding,) = change_findings("收到政府信息公开申请比上年增加4件。", now, before)
    assert finding.severity == "warning" and "上年结转" in finding.message
    assert change_findings("收到政府信息公开申请比上年增加7件。", now, before)[0].severity == (
        "error"
    )


RATE_CELLS = {"requests/handled_total/total": 9, NEW: 10, CARRIED: 0}
RATE_BEFORE = {"requests/handled_total/total": 8, NEW: 10, CARRIED: 0}


@pytest.mark.parametrize(("points", "found"), [(10, False), (20, True)])
def test_a_change_of_a_rate_in_points_is_computed_from_both_tables(points, found):
    text = f"全年共办结政府信息公开申请9件，办结率比上年提高{points}个百分点。"
    findings = change_findings(text, RATE_CELLS, RATE_BEFORE)
    assert bool(findings) == found
    assert all(f.severity == "warning" for f in findings)  # a rate's denominator is the report's


def test_a_change_is_still_never_compared_with_this_years_stock_across_years():
    text = "全年收到政府信息公开申请比上年减少3件。"  # stock 40; 43 → 40 is −3
    reports = [report("报告。", {NEW: 43}, year=2021), report(text, {NEW: 40}, year=2022)]
    assert [f for f in check_findings(reports) if f.kind == "claim"] == []
