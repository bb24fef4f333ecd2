"""Narrative checks: claims against linked cells, and parts against their whole."""

from __future__ import annotations

import pandas as pd
import pytest

from nlp.analysis import analyse
from nlp.report import ParseWarning, Report


def report(text: str, cells: dict[str, float], agency="某市某局", year=2021, warnings=()):
    rows = [(*key.split("/"), value, str(value)) for key, value in cells.items()]
    frame = pd.DataFrame(rows, columns=["table", "row", "col", "value", "raw"])
    return Report(
        source="t.txt",
        agency=agency,
        year=year,
        format="2021",
        sections={"overall": text},
        cells=frame,
        warnings=list(warnings),
    )


def narrative_findings(r: Report):
    return [f for f in analyse(r).findings if f.kind in ("claim", "narrative")]


def test_a_matching_claim_yields_nothing():
    r = report("2021年，本机关共收到政府信息公开申请12件。", {"requests/new/total": 12})
    assert narrative_findings(r) == []


def test_a_contradicted_strong_claim_is_an_error_with_both_values():
    r = report("2021年，本机关共收到政府信息公开申请12件。", {"requests/new/total": 15})
    (finding,) = narrative_findings(r)
    assert finding.rule == "claim.requests_new"
    assert finding.severity == "error"
    assert "12件" in finding.message and "15" in finding.message and "相差3" in finding.message
    assert finding.claim["metric"] == "requests/new/total"
    assert finding.claim["value"] == 12 and finding.claim["qualifier"] == "exact"
    assert finding.cells == [{"table": "requests", "row": "new", "col": "total", "value": 15.0}]
    assert finding.evidence == "2021年，本机关共收到政府信息公开申请12件。"
    assert len(finding.fingerprint) == 40


def test_fingerprint_is_stable_across_runs_and_values():
    first = narrative_findings(
        report("本年度共收到政府信息公开申请12件。", {"requests/new/total": 15})
    )
    again = narrative_findings(
        report("本年度共收到政府信息公开申请12件。", {"requests/new/total": 30})
    )
    assert first[0].fingerprint == again[0].fingerprint


def test_at_least_is_an_error_only_when_the_table_is_below():
    text = "全年共收到政府信息公开申请200余件。"
    assert narrative_findings(report(text, {"requests/new/total": 230})) == []
    (finding,) = narrative_findings(report(text, {"requests/new/total": 150}))
    assert finding.severity == "error"


def test_about_tolerates_ten_percent():
    text = "全年共收到政府信息公开申请约100件。"
    assert narrative_findings(report(text, {"requests/new/total": 108})) == []
    assert narrative_findings(report(text, {"requests/new/total": 140}))[0].severity == "error"


@pytest.mark.parametrize(
    ("text", "cell"),
    [("全年共收到政府信息公开申请约100件。", 130), ("全年予以公开将近30件。", 24)],
)
def test_a_round_number_a_little_far_off_is_loosely_put_a_warning(text, cell):
    key = "requests/granted/total" if "予以公开" in text else "requests/new/total"
    (finding,) = narrative_findings(report(text, {key: cell}))
    assert finding.severity == "warning" and "约数" in finding.message


def test_negation_contradicted_by_a_nonzero_cell_is_an_error():
    r = report("2021年，本机关未收到政府信息公开申请。", {"requests/new/total": 3})
    (finding,) = narrative_findings(r)
    assert finding.rule == "claim.negation" and finding.severity == "error"
    assert (
        narrative_findings(report("本机关未收到政府信息公开申请。", {"requests/new/total": 0}))
        == []
    )


def test_scoped_sentence_is_a_warning_that_says_why():
    r = report(
        "2024年，区政府办代表区政府受理政府信息公开申请17件。",
        {"requests/new/total": 95},
        agency="淮安市洪泽区人民政府",
        year=2024,
    )
    (finding,) = narrative_findings(r)
    assert finding.severity == "warning"
    assert "代表" in finding.message and "17" in finding.message and "95" in finding.message


def test_weak_link_is_never_an_error():
    r = report("人大建议和政协提案，本年度共收到8件。", {"requests/new/total": 2})
    assert all(f.severity != "error" for f in narrative_findings(r))


def test_a_doubted_row_makes_a_parse_suspect_not_an_error():
    warning = ParseWarning("table.ambiguous_split", "两种拆法", table="requests", row="new")
    r = report("全年共收到政府信息公开申请12件。", {"requests/new/total": 21}, warnings=[warning])
    (finding,) = narrative_findings(r)
    assert finding.rule == "claim.requests_new.parse_suspect"
    assert finding.severity == "warning" and "疑似解析错误" in finding.message
    assert "“本年新收政府信息公开申请数量”行的读法存疑" in finding.message


def test_a_row_recovered_with_one_reading_is_a_read_value():
    warning = ParseWarning("table.recovered", "row recovered", table="requests", row="new")
    r = report("全年共收到政府信息公开申请12件。", {"requests/new/total": 21}, warnings=[warning])
    (finding,) = narrative_findings(r)
    assert (finding.rule, finding.severity) == ("claim.requests_new", "error")


def test_sum_of_granted_and_partial():
    text = "在已办结的申请中，予以公开及部分公开15件。"
    cells = {"requests/granted/total": 10, "requests/partial/total": 5}
    assert narrative_findings(report(text, cells)) == []
    cells["requests/partial/total"] = 7
    assert narrative_findings(report(text, cells))[0].rule == "claim.requests_disclosed"


def test_parts_that_add_up_yield_nothing():
    text = "全年累计公开信息263件，其中局网站173件，新媒体90件。"
    assert narrative_findings(report(text, {})) == []


def test_parts_that_exceed_the_whole_are_an_error():
    text = "全年累计公开信息263件，其中局网站183件，新媒体90件。"
    (finding,) = narrative_findings(report(text, {}))
    assert finding.rule == "narrative.parts_sum" and finding.kind == "narrative"
    assert finding.severity == "error"
    assert "273" in finding.message and "相差10" in finding.message


def test_parts_short_of_the_whole_are_a_warning():
    text = "全年累计公开信息263件，其中局网站163件，新媒体90件。"
    (finding,) = narrative_findings(report(text, {}))
    assert finding.severity == "warning"


def test_parts_followed_by_other_things_are_not_a_contradiction():
    text = "全年受理申请81件，其中予以公开42件，不予公开39件；行政复议案件2件、行政诉讼案件7件。"
    assert [f for f in narrative_findings(report(text, {})) if f.kind == "narrative"] == []


def test_unavailable_is_the_sum_of_every_unavailable_row():
    text = "因信息不存在等原因无法提供12件。"
    cells = {
        "requests/unavailable.not_held/total": 9,
        "requests/unavailable.needs_creation/total": 2,
        "requests/unavailable.unclear/total": 1,
    }
    assert narrative_findings(report(text, cells)) == []
    cells["requests/unavailable.unclear/total"] = 4
    (finding,) = narrative_findings(report(text, cells))
    assert finding.rule == "claim.requests_unavailable" and "相差3" in finding.message
    assert len(finding.cells) == 3


def test_denied_is_the_sum_of_every_denied_row():
    text = "在已办结的申请中，不予公开4件。"
    cells = {"requests/denied.state_secret/total": 1, "requests/denied.internal/total": 3}
    assert narrative_findings(report(text, cells)) == []
    cells["requests/denied.internal/total"] = 1
    assert narrative_findings(report(text, cells))[0].rule == "claim.requests_denied"


def test_a_change_is_never_compared_with_this_years_stock():
    text = "全年收到政府信息公开申请比上年减少3件。"
    assert narrative_findings(report(text, {"requests/new/total": 40})) == []
    stock = "全年收到政府信息公开申请3件。"
    assert narrative_findings(report(stock, {"requests/new/total": 40}))[0].severity == "error"


def test_a_nested_item_that_closes_the_gap_is_a_warning_that_says_so():
    text = "网站全年发布信息2139条，其中动态信息1744条，政务信息393条，解读信息21条，热点回应2条。"
    (finding,) = narrative_findings(report(text, {}))
    assert finding.rule == "narrative.parts_sum" and finding.severity == "warning"
    assert "去掉“21条”恰好等于总数" in finding.message


def test_parts_that_close_no_gap_by_one_item_are_an_error():
    text = "网站全年发布信息2139条，其中动态信息1744条，政务信息393条，解读信息25条。"
    (finding,) = narrative_findings(report(text, {}))
    assert finding.severity == "error"


def test_parts_counting_another_noun_are_not_summed():
    text = "共办理信息30条，其中建议12条、提案25条、信息18条、信息12条。"
    assert narrative_findings(report(text, {})) == []


def statement_findings(text: str, cells: dict[str, float]):
    return [f for f in narrative_findings(report(text, cells)) if f.rule.startswith("claim.all_")]


def test_all_handled_against_requests_carried_forward():
    text = "本年度收到的申请均已按时办结。"
    assert statement_findings(text, {"requests/carried_forward/total": 0}) == []
    (finding,) = statement_findings(text, {"requests/carried_forward/total": 2})
    assert (finding.rule, finding.severity) == ("claim.all_handled", "error")
    assert finding.cells == [
        {"table": "requests", "row": "carried_forward", "col": "total", "value": 2}
    ]


def test_not_all_handled_is_no_statement_of_all_handled():
    text = "部分申请未全部办结，已结转下年度。"
    assert statement_findings(text, {"requests/carried_forward/total": 2}) == []


def test_all_upheld_against_corrected_or_pending_reviews():
    text = "行政复议案件均获维持。"
    held = {"review/review/corrected": 0, "review/review/other": 0, "review/review/pending": 0}
    assert statement_findings(text, held) == []
    (finding,) = statement_findings(text, held | {"review/review/corrected": 1})
    assert finding.rule == "claim.all_upheld" and "表四" in finding.message


def test_within_the_legal_time_limit_is_not_checked():
    text = "所有申请均在法定期限内答复。"
    assert statement_findings(text, {"requests/carried_forward/total": 3}) == []


def test_received_equal_to_new_plus_carried_over_is_a_warning_with_the_arithmetic():
    text = "全年共收到政府信息公开申请75件。"
    cells = {"requests/new/total": 74, "requests/carried_over/total": 1}
    (finding,) = narrative_findings(report(text, cells))
    assert (finding.rule, finding.severity) == ("claim.requests_new", "warning")
    assert "75 = 本年新收政府信息公开申请数量74 + 上年结转政府信息公开申请数量1" in finding.message


def test_received_equal_to_no_other_scope_stays_an_error():
    text = "全年共收到政府信息公开申请78件。"
    cells = {"requests/new/total": 74, "requests/carried_over/total": 1}
    assert narrative_findings(report(text, cells))[0].severity == "error"


def test_all_handled_about_proposals_says_nothing_of_requests():
    text = "共承办人大代表建议和政协委员提案12件，均已按期办结。"
    assert statement_findings(text, {"requests/carried_forward/total": 2}) == []


# ------------------------------------------------------------- wholes and parts in every shape


@pytest.mark.parametrize(
    ("true", "false", "severity"),
    [
        (  # 分别为: an open list, parts above the whole
            "全年发布信息263条，分别为门户网站173条、新媒体90条。",
            "全年发布信息263条，分别为门户网站183条、新媒体90条。",
            "error",
        ),
        (  # 其中…分别为: one list
            "全年办理建议提案21件，其中人大代表建议和政协委员提案分别为12件、9件。",
            "全年办理建议提案20件，其中人大代表建议和政协委员提案分别为12件、9件。",
            "error",
        ),
        (  # 包括…和…
            "全年发布信息263条，包括门户网站173条和新媒体90条。",
            "全年发布信息263条，包括门户网站183条和新媒体90条。",
            "error",
        ),
        (  # a total after its parts: closed, so fewer is an error too
            "门户网站发布信息173条、政务新媒体发布信息90条，合计263条。",
            "门户网站发布信息173条、政务新媒体发布信息90条，合计273条。",
            "error",
        ),
        (
            "承办人大代表建议12件、政协委员提案9件，共计21件。",
            "承办人大代表建议12件、政协委员提案9件，共计25件。",
            "error",
        ),
        (  # a list of N categories with a stated total: closed
            "全年公开信息300条，主要包括三类：政策文件100条、工作动态110条、公示公告90条。",
            "全年公开信息300条，主要包括三类：政策文件100条、工作动态100条、公示公告90条。",
            "error",
        ),
        (  # an open list short of its whole may list only some parts
            "全年发布信息263条，包括门户网站173条和新媒体90条。",
            "全年发布信息263条，包括门户网站163条和新媒体90条。",
            "warning",
        ),
    ],
)
def test_parts_in_every_shape(true, false, severity):
    assert narrative_findings(report(true, {})) == []
    (finding,) = narrative_findings(report(false, {}))
    assert (finding.rule, finding.severity) == ("narrative.parts_sum", severity)


def test_a_part_counting_a_kind_of_the_whole_is_summed():
    # 政策文件 counts 文件, a kind of 信息: it is a part, and the parts exceed the whole
    text = "全年公开信息300条，其中政策文件100条、工作动态110条、公示公告100条。"
    (finding,) = narrative_findings(report(text, {}))
    assert finding.severity == "error" and "310" in finding.message


def test_a_nested_item_in_a_closed_list_is_still_a_warning():
    text = "动态信息1744条、政务信息393条、解读信息21条，合计2137条。"
    (finding,) = narrative_findings(report(text, {}))
    assert finding.severity == "warning" and "去掉" in finding.message


def test_counts_before_an_unrelated_total_are_no_list():
    text = "全年收到申请12件，办结10件，共计答复10件。"
    assert narrative_findings(report(text, {})) == []
