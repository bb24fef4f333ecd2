"""Cross-year rules: carried-over chain and in-force documents, one agency, consecutive years."""

from __future__ import annotations

from checks_support import full_cells, make_report, requests_cells

from nlp.checks import check_cross_year, consecutive_pairs
from nlp.report import ParseWarning

# This year's normative documents: 7 issued, 2 repealed, 40 in force; so last year had 35.
LAST_YEAR_IN_FORCE = {("active", "normative_docs", "in_force"): 35}


def previous_report(fmt="2021", changes=None, **kw):
    year = 2020 if fmt == "2019" else 2021
    changes = (LAST_YEAR_IN_FORCE if fmt == "2021" else {}) | (changes or {})
    return make_report(fmt, changes=changes, year=year, source="old.txt", **kw)


def current_report(previous, changes=None, **kw):
    return make_report("2021", changes=changes, year=previous.year + 1, source="new.txt", **kw)


def rules_of(findings):
    return sorted(f.rule for f in findings)


def test_chain_that_holds_gives_no_finding():
    for fmt in ("2019", "2021"):
        previous = previous_report(fmt)
        assert check_cross_year([previous, current_report(previous)]) == []


def test_carried_over_that_differs_from_last_years_carried_forward():
    previous = previous_report(
        "2019",
        changes={
            ("requests", "carried_forward", "natural_person"): 3,
            ("requests", "carried_forward", "total"): 3,
        },
    )
    current = current_report(previous)
    findings = check_cross_year([current, previous])  # order of the input does not matter

    assert rules_of(findings) == ["cross_year.requests_carried_over"] * 2
    natural = findings[0]
    assert natural.message == (
        "表三“自然人”列：2021年报告上年结转为1，但2020年报告结转下年度继续办理为3，相差2"
    )
    assert natural.kind == "cross_year"
    assert natural.severity == "error"
    assert natural.section == "requests"
    assert (natural.source, natural.year) == ("new.txt", 2021)
    assert natural.cells == [
        {
            "table": "requests",
            "row": "carried_over",
            "col": "natural_person",
            "value": 1.0,
            "year": 2021,
        },
        {
            "table": "requests",
            "row": "carried_forward",
            "col": "natural_person",
            "value": 3.0,
            "year": 2020,
        },
    ]
    assert natural.evidence == (
        "2021年表三：上年结转政府信息公开申请数量/自然人=1；2020年表三：结转下年度继续办理/自然人=3"
    )


def test_in_force_mismatch_is_a_warning():
    previous = previous_report(changes={("active", "normative_docs", "in_force"): 36})
    findings = check_cross_year([previous, current_report(previous)])

    assert rules_of(findings) == ["cross_year.active_in_force"]
    (finding,) = findings
    assert finding.severity == "warning"
    assert finding.message == (
        "表二“行政规范性文件”：2022年现行有效件数为40，"
        "但2021年现行有效件数加本年制发减本年废止为41，相差1"
    )


def test_in_force_rule_needs_the_revised_format_both_years():
    # The trial format has no in_force column: nothing to compare, and no skip either.
    previous = previous_report("2019")
    assert check_cross_year([previous, current_report(previous)]) == []


def test_only_consecutive_years_are_compared():
    previous = previous_report(changes={("requests", "carried_forward", "total"): 9})
    later = make_report("2021", year=2023, source="later.txt")
    assert check_cross_year([previous, later]) == []
    assert consecutive_pairs([previous, later]) == []


def test_agencies_are_matched_by_normalised_name():
    changes = {("requests", "carried_forward", "total"): 9}
    previous = previous_report(changes=changes, agency="淮安市洪泽区人民政府（区政府办公室编制）")
    current = current_report(previous, agency="淮安市洪泽区人民政府")
    other = current_report(previous, agency="淮安市金湖县人民政府")
    pairs = consecutive_pairs([previous, current, other])
    assert pairs == [(previous, current)]
    assert rules_of(check_cross_year([previous, current, other])) == [
        "cross_year.requests_carried_over"
    ]


def test_reports_without_agency_or_year_are_not_paired():
    previous = previous_report(agency=None)
    assert consecutive_pairs([previous, current_report(previous, agency=None)]) == []


def test_missing_last_year_table_gives_one_skip_info():
    previous = previous_report(drop_tables=("requests",))
    findings = check_cross_year([previous, current_report(previous)])

    assert [(f.rule, f.severity, f.section) for f in findings] == [
        ("cross_year.skipped", "info", "requests")
    ]
    assert findings[0].message.startswith("表三：因单元格缺失或空白，跳过7项检查：")


def test_doubted_row_makes_a_cross_year_break_a_parse_suspect():
    warning = ParseWarning(
        "table.ambiguous_split", "两种拆法", table="requests", row="carried_forward"
    )
    previous = previous_report(
        changes={("requests", "carried_forward", "total"): 4}, warnings=[warning]
    )
    findings = check_cross_year([previous, current_report(previous)])
    assert rules_of(findings) == ["cross_year.requests_carried_over.parse_suspect"]
    assert findings[0].severity == "warning"
    assert findings[0].message.startswith("疑似解析错误")
    assert findings[0].message.endswith(
        "表三“结转下年度继续办理”行的读法存疑（数字连写，有多种拆法）"
    )


def test_a_split_digit_joined_back_is_a_read_value_so_the_break_is_an_error():
    # Issue 14: a digit joined back (table.split_digit) is how the row was read, not a doubt.
    warning = ParseWarning(
        "table.split_digit", "按合计读作", table="requests", row="carried_forward"
    )
    previous = previous_report(
        changes={("requests", "carried_forward", "total"): 4}, warnings=[warning]
    )
    findings = check_cross_year([previous, current_report(previous)])
    assert [(f.rule, f.severity) for f in findings] == [
        ("cross_year.requests_carried_over", "error")
    ]


def test_real_pingtan_2021_to_2022_chain_holds():
    # Facts from 平潭综合实验区: 2021 carried forward 1 (natural person), 2022 carried over 1;
    # normative documents 665 in force in 2021, 88 issued and 55 repealed in 2022, 698 in force.
    agency = "平潭综合实验区管委会（全区汇总）"
    rows_2021 = {
        "new": [1, 0, 0, 0, 0, 0],
        "handled_total": [0] * 6,
        "carried_forward": [1, 0, 0, 0, 0, 0],
    }
    rows_2022 = {
        "carried_over": [1, 0, 0, 0, 0, 0],
        "handled_total": [1, 0, 0, 0, 0, 0],
        "granted": [1, 0, 0, 0, 0, 0],
    }

    def active(issued, repealed, in_force):
        return {
            ("active", "normative_docs", "issued"): issued,
            ("active", "normative_docs", "repealed"): repealed,
            ("active", "normative_docs", "in_force"): in_force,
            ("active", "regulations", "in_force"): 0,
        }

    base = full_cells("2021")
    report_2021 = make_report(
        "2021",
        base | requests_cells("2021", rows_2021) | active(69, 3, 665),
        year=2021,
        agency=agency,
    )
    report_2022 = make_report(
        "2021",
        base | requests_cells("2021", rows_2022) | active(88, 55, 698),
        year=2022,
        agency=agency,
    )
    assert check_cross_year([report_2021, report_2022]) == []
    wrong = make_report(
        "2021",
        base | requests_cells("2021", rows_2022) | active(88, 55, 699),
        year=2022,
        agency=agency,
    )
    assert [f.message for f in check_cross_year([report_2021, wrong])] == [
        "表二“行政规范性文件”：2022年现行有效件数为699，"
        "但2021年现行有效件数加本年制发减本年废止为698，相差1"
    ]


def test_old_layout_report_without_tables_is_not_compared():
    # A pre-2019 report of unknown format has no table 三: nothing to compare, no skip noise.
    previous = make_report(None, cells={}, year=2018)
    current = make_report("2019", year=2019)
    assert consecutive_pairs([previous, current]) == [(previous, current)]
    assert check_cross_year([previous, current]) == []
