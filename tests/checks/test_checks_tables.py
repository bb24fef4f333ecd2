"""Table-internal rules on both formats: consistent, one cell changed, missing, parser-warned."""

from __future__ import annotations

import math

import pytest
from checks_support import OTHER_ROW, full_cells, make_report, requests_cells

from nlp.checks import check_tables
from nlp.report import ParseWarning, Report

FORMATS = ["2019", "2021"]


def by_rule(findings):
    return {f.rule: f for f in findings}


def rules_of(findings):
    return sorted(f.rule for f in findings)


@pytest.mark.parametrize("fmt", FORMATS)
def test_consistent_report_gives_no_finding(fmt):
    assert check_tables(make_report(fmt)) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_row_total_that_disagrees_with_applicants(fmt):
    findings = check_tables(make_report(fmt, changes={("requests", "granted", "total"): 4}))

    # The changed cell breaks its row and the 总计 column's outcome sum, nothing else.
    assert rules_of(findings) == ["table.requests_handled_total", "table.requests_row_total"]
    row = by_rule(findings)["table.requests_row_total"]
    assert row.message == "表三“予以公开”行：总计为4，但各类申请人之和为3，相差1"
    assert row.severity == "error"
    assert row.kind == "table"
    assert row.section == "requests"
    assert {"table": "requests", "row": "granted", "col": "total", "value": 4.0} in row.cells
    assert len(row.cells) == 7
    assert "予以公开/总计=4" in row.evidence
    column = by_rule(findings)["table.requests_handled_total"]
    assert column.message == "表三“总计”列：办理结果总计为5，但各项办理结果之和为6，相差1"


@pytest.mark.parametrize("fmt", FORMATS)
def test_balance_of_new_and_carried_over_against_handled_and_carried_forward(fmt):
    # Both cells of the row change, so the row stays consistent and only the balance breaks.
    changes = {
        ("requests", "carried_forward", "commercial"): 2,
        ("requests", "carried_forward", "total"): 3,
    }
    findings = check_tables(make_report(fmt, changes=changes))

    assert rules_of(findings) == ["table.requests_balance", "table.requests_balance"]
    messages = sorted(f.message for f in findings)
    assert messages == [
        "表三“商业企业”列：本年新收加上年结转为1，但办理结果总计加结转下年度为3，相差2",
        "表三“总计”列：本年新收加上年结转为6，但办理结果总计加结转下年度为8，相差2",
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_handled_total_counts_the_formats_other_rows(fmt):
    other = OTHER_ROW[fmt]
    changes = {("requests", other, "natural_person"): 0, ("requests", other, "total"): 0}
    findings = check_tables(make_report(fmt, changes=changes))

    assert rules_of(findings) == ["table.requests_handled_total"] * 2
    assert sorted(f.message for f in findings) == [
        "表三“总计”列：办理结果总计为5，但各项办理结果之和为4，相差1",
        "表三“自然人”列：办理结果总计为4，但各项办理结果之和为3，相差1",
    ]
    assert all(f.severity == "error" for f in findings)


@pytest.mark.parametrize("fmt", FORMATS)
def test_handled_total_counts_every_denied_row(fmt):
    changes = {
        ("requests", "denied.query", "research"): 3,
        ("requests", "denied.query", "total"): 3,
    }
    findings = check_tables(make_report(fmt, changes=changes))

    research = [f for f in findings if "“科研机构”列" in f.message]
    assert len(research) == 1
    assert research[0].message == "表三“科研机构”列：办理结果总计为0，但各项办理结果之和为3，相差3"


@pytest.mark.parametrize("fmt", FORMATS)
def test_review_row_total(fmt):
    findings = check_tables(make_report(fmt, changes={("review", "review", "total"): 3}))

    assert rules_of(findings) == ["table.review_row_total"]
    (finding,) = findings
    assert finding.message == (
        "表四“行政复议”：总计为3，但结果维持、结果纠正、其他结果与尚未审结之和为2，相差1"
    )
    assert finding.section == "review"
    assert finding.severity == "error"


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("bad", [-1, 2.5])
def test_counts_must_be_non_negative_integers(fmt, bad):
    findings = check_tables(make_report(fmt, changes={("active", "licensing", "decisions"): bad}))

    assert rules_of(findings) == ["table.non_negative_count"]
    assert findings[0].message == (
        f"表二“行政许可”行“处理决定数量”列：数值为{bad}，但件数应为非负整数"
    )
    assert findings[0].section == "active"


def test_money_and_trial_change_may_be_fractional_or_negative():
    changes = {("active", "licensing", "change"): -17, ("active", "procurement", "amount"): 0.5}
    assert check_tables(make_report("2019", changes=changes)) == []
    assert check_tables(make_report("2021", changes={("active", "fees", "amount"): 3.25})) == []


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("how", ["absent", "blank"])
def test_missing_cell_skips_its_checks_without_error(fmt, how):
    key = ("requests", "granted", "natural_person")
    if how == "absent":
        report = make_report(fmt, drop=(key,))
    else:
        report = make_report(fmt, changes={key: math.nan})
    findings = check_tables(report)

    assert [f.severity for f in findings] == ["info"]
    (skipped,) = findings
    assert skipped.rule == "table.skipped"
    assert skipped.section == "requests"
    assert skipped.message.startswith("表三：因单元格缺失或空白，跳过2项检查：")
    assert "各行总计等于各类申请人之和（予以公开）" in skipped.message
    assert "办理结果总计等于各项办理结果之和（自然人）" in skipped.message
    assert skipped.cells == [
        {"table": "requests", "row": "granted", "col": "natural_person", "value": None}
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_cells_in_two_tables_give_one_info_each(fmt):
    drop = (
        ("requests", "new", "total"),
        ("requests", "granted", "total"),
        ("review", "review", "upheld"),
    )
    findings = check_tables(make_report(fmt, drop=drop))

    assert sorted((f.rule, f.section, f.severity) for f in findings) == [
        ("table.skipped", "requests", "info"),
        ("table.skipped", "review", "info"),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_missing_cell_does_not_hide_other_errors(fmt):
    report = make_report(
        fmt,
        drop=(("requests", "granted", "natural_person"),),
        changes={("review", "review", "total"): 3},
    )
    assert rules_of(check_tables(report)) == ["table.review_row_total", "table.skipped"]


def test_absent_table_is_reported_once():
    findings = check_tables(make_report("2021", drop_tables=("review",)))

    assert [(f.rule, f.severity, f.message) for f in findings] == [
        ("table.skipped", "info", "表四：未解析到该表，跳过其全部检查")
    ]


def test_unknown_format_without_tables_has_nothing_to_check():
    assert check_tables(make_report(None, cells={})) == []


def test_unknown_format_checks_the_tables_it_has():
    cells = requests_cells("2019")
    assert check_tables(make_report(None, cells=cells)) == []
    broken = make_report(None, cells=cells, changes={("requests", "new", "total"): 6})
    assert "table.requests_row_total" in rules_of(check_tables(broken))
    assert all(f.severity == "error" for f in check_tables(broken))


def test_unknown_format_missing_row_is_a_skip_not_a_false_error():
    cells = requests_cells("2019")
    gone = tuple(k for k in cells if k[1] == "denied.internal")
    findings = check_tables(make_report(None, cells=cells, drop=gone))
    assert [f.rule for f in findings] == ["table.skipped"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_row_the_parser_warned_about_is_a_probable_parse_error(fmt):
    warning = ParseWarning("table.ambiguous_split", "两种拆分均可", table="requests", row="granted")
    report = make_report(fmt, changes={("requests", "granted", "total"): 4}, warnings=[warning])
    findings = check_tables(report)

    assert rules_of(findings) == [
        "table.requests_handled_total.parse_suspect",
        "table.requests_row_total.parse_suspect",
    ]
    assert all(f.severity == "warning" for f in findings)
    row = by_rule(findings)["table.requests_row_total.parse_suspect"]
    assert row.message.startswith("疑似解析错误")
    assert "总计为4，但各类申请人之和为3，相差1" in row.message
    # One clause: which row, and why its reading is in doubt (not the parser's codes).
    assert row.message.endswith("；表三“予以公开”行的读法存疑（数字连写，有多种拆法）")
    assert "table.ambiguous_split" not in row.message


@pytest.mark.parametrize("code", ["table.recovered", "table.split_digit", "table.fuzzy_label"])
def test_a_row_read_without_doubt_leaves_the_error_the_reports(code):
    # One arithmetic reading, a digit joined back, a fuzzy label: read values (issue 14).
    warning = ParseWarning(code, "读法唯一", table="requests", row="granted")
    report = make_report("2021", changes={("requests", "granted", "total"): 4}, warnings=[warning])
    findings = check_tables(report)
    assert rules_of(findings) == ["table.requests_handled_total", "table.requests_row_total"]
    assert all(f.severity == "error" for f in findings)


def test_a_table_wide_doubt_names_the_table():
    warning = ParseWarning("table.orphan_numbers", "表中数字“3”找不到所属行", table="requests")
    report = make_report("2021", changes={("requests", "granted", "total"): 4}, warnings=[warning])
    row = by_rule(check_tables(report))["table.requests_row_total.parse_suspect"]
    assert row.message.endswith("；表三的读法存疑（表中有找不到所属行的数字）")


def test_several_doubted_rows_make_one_short_clause():
    warnings = [
        ParseWarning("table.ambiguous_split", "两种拆法", table="requests", row=row)
        for row in ("granted", "partial", "handled_total")
    ]
    report = make_report("2021", changes={("requests", "granted", "total"): 4}, warnings=warnings)
    handled = by_rule(check_tables(report))["table.requests_handled_total.parse_suspect"]
    assert handled.message.count("读法存疑") == 1
    assert handled.message.endswith("，另2行同样存疑")


@pytest.mark.parametrize("fmt", FORMATS)
def test_warning_on_another_row_leaves_the_error_an_error(fmt):
    warning = ParseWarning("table.row_sum", "行和不符", table="requests", row="carried_forward")
    report = make_report(fmt, changes={("review", "review", "total"): 3}, warnings=[warning])
    assert [f.severity for f in check_tables(report)] == ["error"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_value_a_digit_off_is_the_reports_error_when_the_reading_was_not_doubted(fmt):
    # 2 where 20 would balance: with no doubt from the parser, that is what the report printed.
    rows = {
        "new": [22, 0, 0, 0, 0, 0],
        "granted": [20, 0, 0, 0, 0, 0],
        "denied.internal": [2, 0, 0, 0, 0, 0],
        "handled_total": [22, 0, 0, 0, 0, 0],
    }
    cells = full_cells(fmt) | requests_cells(fmt, rows)
    assert check_tables(make_report(fmt, cells)) == []
    findings = check_tables(
        make_report(fmt, cells, changes={("requests", "granted", "natural_person"): 2})
    )

    assert rules_of(findings) == ["table.requests_handled_total", "table.requests_row_total"]
    assert all(f.severity == "error" for f in findings)
    row = by_rule(findings)["table.requests_row_total"]
    assert "总计为20，但各类申请人之和为2，相差18" in row.message


def test_real_yantai_2020_table_three_is_consistent():
    # Facts from the 烟台市大数据局 2020 report (trial format): 2 requests from natural persons,
    # one denied as internal affairs, one not held; nothing carried over or forward.
    rows = {
        "new": [2, 0, 0, 0, 0, 0],
        "denied.internal": [1, 0, 0, 0, 0, 0],
        "unavailable.not_held": [1, 0, 0, 0, 0, 0],
        "handled_total": [2, 0, 0, 0, 0, 0],
    }
    report = make_report("2019", full_cells("2019") | requests_cells("2019", rows))
    assert check_tables(report) == []


def test_real_pingtan_2021_table_three_is_consistent():
    # Facts from 平潭综合实验区 2021 (revised format): 70 new, 69 handled, 1 carried forward.
    rows = {
        "new": [64, 0, 0, 2, 0, 4],
        "granted": [27, 0, 0, 2, 0, 1],
        "partial": [5, 0, 0, 0, 0, 0],
        "denied.internal": [1, 0, 0, 0, 0, 0],
        "denied.enforcement_file": [6, 0, 0, 0, 0, 0],
        "denied.query": [1, 0, 0, 0, 0, 0],
        "unavailable.not_held": [22, 0, 0, 0, 0, 3],
        "other.other": [1, 0, 0, 0, 0, 0],
        "handled_total": [63, 0, 0, 2, 0, 4],
        "carried_forward": [1, 0, 0, 0, 0, 0],
    }
    report = make_report("2021", full_cells("2021") | requests_cells("2021", rows))
    assert check_tables(report) == []


def test_report_with_default_empty_cells():
    assert check_tables(Report(source="empty.txt")) == []


def test_negative_count_in_a_doubted_row_is_a_parse_suspect():
    warning = ParseWarning("table.row_unreadable", "读不全", table="active", row="licensing")
    report = make_report(
        "2021", changes={("active", "licensing", "decisions"): -1}, warnings=[warning]
    )
    (finding,) = check_tables(report)
    assert finding.rule == "table.non_negative_count.parse_suspect"
    assert finding.severity == "warning"


def test_mixed_layout_other_row_counts_and_nothing_is_skipped():
    import nlp
    from nlp.checks import check_tables
    from tests.conftest import real_file

    report = nlp.read(real_file("kirogovcompare/hzq2024_working.pdf"))
    assert report.mixed_layout
    findings = check_tables(report)
    assert [f.rule for f in findings] == []
