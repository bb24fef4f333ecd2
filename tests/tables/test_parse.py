"""Label-anchored parsing on layouts written for these tests (labels are the official format's)."""

import pytest

from nlp.report import table_keys
from nlp.tables import detect_format, parse_tables
from nlp.tables.parse import parse_review, parse_rows, tokenize

OUTCOME_ROWS_2021 = """
三、收到和处理政府信息公开申请情况
(本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和)\t申请人情况\t\t\t\t\t\t总计
\t自然人\t法人或其他组织
\t\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他
一、本年新收政府信息公开申请数量\t\t{new}
二、上年结转政府信息公开申请数量\t\t{carried}
三、本年度办理结果\t(一) 予以公开\t{granted}
\t(二) 部分公开 (区分处理的, 只计这一情形, 不计其他情形)\t{zero}
\t\t1. 属于国家秘密\t{zero}
\t\t2. 其他法律行政止公开\t{zero}
\t\t3. 危及“三安全一稳定”\t{zero}
\t\t4. 保护第三方合法权益\t{zero}
\t(三) 不予公开
\t\t5. 属于三类内部事务信息\t{zero}
\t\t6. 属于四类过程性信息\t{zero}
\t\t7. 属于行政执法案卷\t{zero}
\t\t8. 属于行政查询事项\t{zero}
\t(四) 无法提供\t1. 本机关不掌握相关政府信息\t{not_held}
\t\t2. 没有现成信息需要另行制作\t{zero}
\t\t3. 补正后申请内容仍不明确\t{zero}
\t(五) 不予处理\t1. 信访举报投诉类申请\t{zero}
\t\t2. 重复申请\t{zero}
\t\t3. 要求提供公开出版物\t{zero}
\t\t4. 无正当理由大量反复申请\t{zero}
\t\t5. 要求行政机关确认或重新出具已获取信息\t{zero}
{other_block}
\t(七) 总计\t{handled}
四、结转下年度继续办理\t{forward}
"""
OTHER_2021 = (
    "\t(六) 其他处理\t1. 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请\t{zero}\n"
    "\t\t2. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请\t{zero}\n"
    "\t\t3. 其他\t{zero}"
)
OTHER_2019 = "\t(六) 其他处理\t{zero}"


def row(*numbers: int) -> str:
    return "\t".join(str(n) for n in numbers)


def requests_text(other_block: str, new=(5, 1, 0, 0, 0, 0, 6)) -> str:
    zero = row(0, 0, 0, 0, 0, 0, 0)
    fields = dict(
        new=row(*new),
        carried=row(1, 0, 0, 0, 0, 0, 1),
        granted=row(4, 1, 0, 0, 0, 0, 5),
        not_held=row(1, 0, 0, 0, 0, 0, 1),
        handled=row(5, 1, 0, 0, 0, 0, 6),
        forward=row(1, 0, 0, 0, 0, 0, 1),
        zero=zero,
    )
    return OUTCOME_ROWS_2021.format(other_block=other_block.format(zero=zero), **fields)


def cells_of(result) -> dict[tuple[str, str], float]:
    return {(r, c): float(v) for r, c, v, _ in result.cells if v is not None}


def test_revised_requests_table_is_read_by_labels():
    result = parse_rows("requests", requests_text(OTHER_2021), "2021")
    got = cells_of(result)
    assert len(result.cells) == len(table_keys("requests", "2021"))
    assert got[("new", "natural_person")] == 5
    assert got[("new", "commercial")] == 1
    assert got[("granted", "total")] == 5
    assert got[("unavailable.not_held", "total")] == 1
    assert got[("handled_total", "total")] == 6
    assert got[("carried_forward", "total")] == 1
    assert result.warnings == []


def test_ocr_slip_in_a_label_still_maps_to_its_row():
    result = parse_rows("requests", requests_text(OTHER_2021), "2021")
    assert "denied.prohibited" in result.rows_found


def test_group_label_printed_in_the_middle_of_its_block_is_skipped():
    result = parse_rows("requests", requests_text(OTHER_2021), "2021")
    for key in ("denied.third_party", "denied.internal"):
        assert key in result.rows_found


def test_trial_single_other_row():
    result = parse_rows("requests", requests_text(OTHER_2019), "2019")
    assert "other" in result.rows_found
    assert not any(r.startswith("other.") for r in result.rows_found)
    assert len(result.cells) == len(table_keys("requests", "2019"))


def test_revised_report_with_trial_other_row_is_flagged_mixed():
    sections = {
        "active": "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t0\t0\t0",
        "requests": requests_text(OTHER_2019),
        "review": "四、行政复议\n" + row(*([0] * 15)),
    }
    result = parse_tables(sections, 2023)
    assert result.format == "2021"
    assert result.mixed_layout
    assert "table.mixed_layout" in {w.code for w in result.warnings}
    assert "other.no_correction" not in {w.row for w in result.warnings}


def test_missing_row_is_warned_not_shifted():
    text = requests_text(OTHER_2021).replace("\t\t2. 重复申请\t0\t0\t0\t0\t0\t0\t0\n", "")
    result = parse_rows("requests", text, "2021")
    assert "not_processed.duplicate" not in result.rows_found
    got = cells_of(result)
    assert got[("handled_total", "total")] == 6  # the rows after it did not shift
    tables = parse_tables({"requests": text}, 2021)
    missing = [w for w in tables.warnings if w.code == "table.row_missing"]
    assert [w.row for w in missing] == ["not_processed.duplicate"]


def test_subtotal_column_is_dropped_by_arithmetic():
    text = requests_text(OTHER_2021).replace(
        "一、本年新收政府信息公开申请数量\t\t5\t1\t0\t0\t0\t0\t6",
        "一、本年新收政府信息公开申请数量\t\t5\t1\t1\t0\t0\t0\t0\t6",
    )
    result = parse_rows("requests", text, "2021")
    got = cells_of(result)
    assert got[("new", "commercial")] == 1
    assert got[("new", "total")] == 6
    assert "table.subtotal_column" in {w.code for w in result.warnings}


@pytest.mark.parametrize("marker", ["/", "-", "—", "无"])
def test_blank_markers_are_null_not_zero(marker):
    text = "规章\t0\t0\t0\n行政规范性文件\t2\t" + marker + "\t5\n"
    result = parse_rows("active", text, "2021")
    raw = {(r, c): (v, s) for r, c, v, s in result.cells}
    assert raw[("normative_docs", "repealed")] == (None, marker)
    assert raw[("normative_docs", "in_force")][0] == 5
    assert "table.blank_cell" in {w.code for w in result.warnings}


def test_flattened_requests_rows_are_recovered():
    zero = "0000000"
    text = (
        "申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
        "一、本年新收政府信息公开申请数量15130000154二、上年结转政府信息公开申请数量" + zero
    )
    result = parse_rows("requests", text, "2021")
    got = cells_of(result)
    assert got[("new", "natural_person")] == 151
    assert got[("new", "commercial")] == 3
    assert got[("new", "total")] == 154
    assert got[("carried_over", "total")] == 0
    assert "table.recovered" in {w.code for w in result.warnings}


def test_flattened_row_with_two_readings_says_so():
    text = "一、本年新收政府信息公开申请数量121000013"
    result = parse_rows("requests", text, "2021")
    ambiguous = [w for w in result.warnings if w.code == "table.ambiguous_split"]
    assert len(ambiguous) == 1
    assert ambiguous[0].row == "new"


def test_enumerator_glued_to_previous_numbers_is_not_a_number():
    text = "(三)不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开1000001"
    groups = tokenize(text)
    assert [g.tokens[0].raw for g in groups] == ["0000000", "1000001"]


def test_review_table_fifteen_numbers():
    text = "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n" + row(
        1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3
    )
    result = parse_review(text)
    got = cells_of(result)
    assert got[("review", "total")] == 2
    assert got[("litigation_direct", "upheld")] == 1
    assert got[("litigation_after_review", "total")] == 3


def test_notes_with_units_are_not_cells():
    text = "行政复议\n注：含上年度结转 2 件。\n" + row(*([0] * 14), 0)
    result = parse_review(text)
    assert len(result.cells) == 15
    assert all(v == 0 for _, _, v, _ in result.cells)


def test_format_from_header_words_beats_the_year():
    assert detect_format("信息内容\t本年新制作数量\t本年新公开数量", 2021) == "2019"
    assert detect_format("信息内容\t本年制发件数\t本年废止件数", 2020) == "2021"
    assert detect_format("", 2020) == "2019"
    assert detect_format("", None) is None


def test_bare_page_number_after_a_row_is_not_a_cell():
    text = requests_text(OTHER_2021).replace(
        "四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1\n",
        "四、结转下年度继续办理\t1\t0\t0\t0\t0\t0\t1\n\n2\n",
    )
    result = parse_rows("requests", text, "2021")
    assert cells_of(result)[("carried_forward", "total")] == 1
    assert "table.orphan_numbers" in {w.code for w in result.warnings}


def test_bare_page_number_before_the_review_block_is_skipped():
    text = "行政复议\t行政诉讼\n3\n" + row(1, 0, 0, 0, 1, *([0] * 10))
    result = parse_review(text)
    assert cells_of(result)[("review", "total")] == 1
    assert "table.extra_numbers" in {w.code for w in result.warnings}


def test_format_by_year_is_the_one_in_force_then():
    assert detect_format("", 2018) == "2019"  # older than every format: read as the first
    assert detect_format("", 2019) == "2019"
    assert detect_format("", 2021) == "2021"
    assert detect_format("", 2025) == "2021"


def test_a_run_of_separators_is_kept_whole_in_the_label_text():
    """Tabs, pipes and line breaks in a row are one gap: the label keeps them as printed, a
    blank mark between them stays a blank cell, a line break starts a line."""
    groups = tokenize("甲\t\t\t1\t\t2\n\n乙\t|\t3\t\t/\t4")
    got = [(g.label_text, [(t.raw, t.separated, t.line_start) for t in g.tokens]) for g in groups]
    assert got == [
        ("甲\t\t\t", [("1", True, True), ("2", True, False)]),
        ("\t\t\n\n乙\t|\t", [("3", True, True), ("/", True, False), ("4", True, False)]),
    ]
