"""Tables read from grids: rows by their labels, columns by their headers (labels are the
official format's; the grids are built here as HTML/Word/PDF readers expand them)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nlp.ingest.model import Cell, Grid, SourceCell, expand_spans
from nlp.report import table_keys
from nlp.tables import parse_tables
from nlp.tables.grid import GridUnmapped, cell_value, read_grids
from nlp.tables.parse import parse_rows

S = SourceCell
SEVEN = ("natural_person", "commercial", "research", "social_welfare", "legal_service")
SEVEN = (*SEVEN, "other_org", "total")
FIVE = ("upheld", "corrected", "other", "pending", "total")
BLANK_MARKS = {"", "/", "-", "—", "无"}


def grid(rows, header_rows: int = 0) -> Grid:
    cells = expand_spans([[c if isinstance(c, SourceCell) else S(c) for c in row] for row in rows])
    return Grid(tuple(tuple(row) for row in cells), header_rows)


def exact(result) -> dict[tuple[str, str], tuple[Decimal | None, str]]:
    return {(r, c): (v, raw) for r, c, v, raw in result.cells}


def codes(warnings) -> list[str]:
    return [w.code for w in warnings]


# --- table 三 -----------------------------------------------------------------------------------

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
REQUESTS_HEADER = [
    [S(NOTE, rowspan=3, colspan=3), S("申请人情况", colspan=7)],
    [S("自然人", rowspan=2), S("法人或其他组织", colspan=5), S("总 计", rowspan=2)],
    ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]
DENIED = [
    ("state_secret", "1.属于国家秘密"),
    ("prohibited", "2.其他法律行政法规禁止公开"),
    ("security", "3.危及“三安全一稳定”"),
    ("third_party", "4.保护第三方合法权益"),
    ("internal", "5.属于三类内部事务信息"),
    ("process", "6.属于四类过程性信息"),
    ("enforcement_file", "7.属于行政执法案卷"),
    ("query", "8.属于行政查询事项"),
]
UNAVAILABLE = [
    ("not_held", "1.本机关不掌握相关政府信息"),
    ("needs_creation", "2.没有现成信息需要另行制作"),
    ("unclear", "3.补正后申请内容仍不明确"),
]
NOT_PROCESSED = [
    ("petition", "1.信访举报投诉类申请"),
    ("duplicate", "2.重复申请"),
    ("publication", "3.要求提供公开出版物"),
    ("abusive", "4.无正当理由大量反复申请"),
    ("confirm", "5.要求行政机关确认或重新出具已获取信息"),
]
OTHER = [
    ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other", "3.其他"),
]
FILLED = {
    "new": ["5", "1", "0", "0", "0", "0", "6"],
    "carried_over": ["1", "0", "0", "0", "0", "0", "1"],
    "granted": ["4", "1", "0", "0", "0", "0", "5"],
    "unavailable.not_held": ["1", "0", "0", "0", "0", "0", "1"],
    "handled_total": ["5", "1", "0", "0", "0", "0", "6"],
    "carried_forward": ["1", "0", "0", "0", "0", "0", "1"],
}


def requests_rows(fmt="2021", values=None, skip=(), extra=None) -> list[list]:
    """The data rows of table 三 as printed: group labels span their rows."""
    values = {**FILLED, **(values or {})}
    extra = extra or {}

    def cells(key):
        return [*values.get(key, ["0"] * 7), *extra.get(key, [])]

    def group(title, prefix, entries):
        kept = [(k, label) for k, label in entries if f"{prefix}.{k}" not in skip]
        out = []
        for i, (k, label) in enumerate(kept):
            head = [S(title, rowspan=len(kept))] if i == 0 else []
            out.append([*head, label, *cells(f"{prefix}.{k}")])
        return out

    outcome_rows = [
        [S("（一）予以公开", colspan=2), *cells("granted")],
        [
            S("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", colspan=2),
            *cells("partial"),
        ],
        *group("（三）不予公开", "denied", DENIED),
        *group("（四）无法提供", "unavailable", UNAVAILABLE),
        *group("（五）不予处理", "not_processed", NOT_PROCESSED),
        *(
            group("（六）其他处理", "other", OTHER)
            if fmt == "2021"
            else [[S("（六）其他处理", colspan=2), *cells("other")]]
        ),
        [S("（七）总计", colspan=2), *cells("handled_total")],
    ]
    outcome_rows[0].insert(0, S("三、本年度办理结果", rowspan=len(outcome_rows)))
    return [
        [S("一、本年新收政府信息公开申请数量", colspan=3), *cells("new")],
        [S("二、上年结转政府信息公开申请数量", colspan=3), *cells("carried_over")],
        *outcome_rows,
        [S("四、结转下年度继续办理", colspan=3), *cells("carried_forward")],
    ]


def expected_requests(fmt="2021", values=None, mixed=False):
    values = {**FILLED, **(values or {})}
    keys = table_keys("requests", fmt)
    if mixed:
        keys = [k for k in keys if not k[0].startswith("other.")] + [("other", c) for c in SEVEN]
    out = {}
    for row, col in keys:
        raw = values.get(row, ["0"] * 7)[SEVEN.index(col)]
        out[(row, col)] = (None if raw in BLANK_MARKS else Decimal(raw), raw)
    return out


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_requests_grid_is_read_by_labels_and_headers(fmt):
    table = grid(REQUESTS_HEADER + requests_rows(fmt))
    result = read_grids("requests", [table], fmt)
    assert exact(result) == expected_requests(fmt)
    assert result.warnings == []


def test_header_rows_known_from_the_source_and_vertical_header_text():
    header = [row[:] for row in REQUESTS_HEADER]
    header[1] = [S("自\n然\n人", rowspan=2), S("法人或其他组织", colspan=5), S("总\n计", rowspan=2)]
    table = grid(header + requests_rows(), header_rows=3)
    assert exact(read_grids("requests", [table], "2021")) == expected_requests()


def test_only_natural_person_and_total_filled_the_rest_blank():
    blank = {key: [v[0], "", "", "", "", "", v[6]] for key, v in FILLED.items()}
    table = grid(REQUESTS_HEADER + requests_rows(values=blank))
    result = read_grids("requests", [table], "2021")
    got = exact(result)
    assert got == expected_requests(values=blank)
    assert got[("new", "natural_person")] == (Decimal(5), "5")
    assert got[("new", "commercial")] == (None, "")
    assert got[("new", "total")] == (Decimal(6), "6")
    assert codes(result.warnings).count("table.blank_cell") == 5 * len(blank)


def test_total_blank_on_every_outcome_row():
    outcomes = [k for k, _ in table_keys("requests", "2021") if k not in ("new", "carried_over")]
    values = {k: [*FILLED.get(k, ["0"] * 7)[:6], "—"] for k in outcomes}
    values = {k: v for k, v in values.items() if k != "carried_forward"}
    table = grid(REQUESTS_HEADER + requests_rows(values=values))
    got = exact(read_grids("requests", [table], "2021"))
    assert got == {
        **expected_requests(values=values),
        **{(k, "total"): (None, "—") for k in values},
    }
    assert got[("granted", "natural_person")] == (Decimal(4), "4")
    assert got[("carried_forward", "total")] == (Decimal(1), "1")


def test_subtotal_column_is_recognised_by_its_header_and_left_out():
    header = [
        [S(NOTE, rowspan=3, colspan=3), S("申请人情况", colspan=8)],
        [S("自然人", rowspan=2), S("法人或其他组织", colspan=6), S("总计", rowspan=2)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计"],
    ]
    rows = requests_rows()
    for row in rows:  # the subtotal cell sits before the last (total) cell
        subtotal = "1" if row[-1] == "6" and row[-6] == "1" else "0"
        row.insert(len(row) - 1, subtotal)
    result = read_grids("requests", [grid(header + rows)], "2021")
    assert exact(result) == expected_requests()
    assert "table.subtotal_column" in codes(result.warnings)


def test_subtotal_column_without_a_header_is_dropped_by_its_arithmetic():
    values = {}
    for key, _ in table_keys("requests", "2021"):
        printed = FILLED.get(key, ["0"] * 7)
        subtotal = str(sum(int(v) for v in printed[1:6]))
        values[key] = [printed[0], subtotal, *printed[1:]]  # 小计 right after 自然人
    result = read_grids("requests", [grid(requests_rows(values=values))], "2021")
    assert exact(result) == expected_requests()
    assert set(codes(result.warnings)) == {"table.subtotal_column"}


def test_requests_grid_without_header_is_read_by_position():
    result = read_grids("requests", [grid(requests_rows())], "2021")
    assert exact(result) == expected_requests()


def test_missing_row_is_warned_and_nothing_shifts():
    table = grid(REQUESTS_HEADER + requests_rows(skip={"denied.state_secret"}))
    tables = parse_tables(
        {"requests": "三、收到和处理政府信息公开申请情况"}, 2023, {"requests": [table]}
    )
    expected = {
        ("requests", *k): v for k, v in expected_requests().items() if k[0] != "denied.state_secret"
    }
    got = {
        (r.table, r.row, r.col): (Decimal(str(r.value)) if r.value == r.value else None, r.raw)
        for r in tables.cells.itertuples(index=False)
    }
    assert got == {k: (v[0], v[1]) for k, v in expected.items()}
    missing = [w.row for w in tables.warnings if w.code == "table.row_missing"]
    assert missing == ["denied.state_secret"]


def page_break(table: Grid, at: int) -> tuple[Grid, Grid]:
    """The grid cut before row `at` as a PDF prints it over two pages: a merged cell running
    over the break is blank on the second page."""
    second = []
    for r, row in enumerate(table.rows[at:]):
        cells = []
        for cell in row:
            origin_row, origin_col = cell.origin
            if origin_row < at:
                cells.append(Cell("", r, cell.col, (r, cell.col)))
            else:
                cells.append(Cell(cell.text, r, cell.col, (origin_row - at, origin_col)))
        second.append(tuple(cells))
    return Grid(table.rows[:at], table.header_rows), Grid(tuple(second))


def test_table_split_over_two_grids_continues_under_the_same_columns():
    first, second = page_break(grid(REQUESTS_HEADER + requests_rows()), 11)
    assert second.rows[0][1].text == ""  # （三）不予公开 was printed on the first page
    result = read_grids("requests", [first, second], "2021")
    assert exact(result) == expected_requests()


def test_misprinted_labels_are_found_fuzzily():
    rows = requests_rows()
    for row in rows:
        for i, cell in enumerate(row):
            if cell == "2.其他法律行政法规禁止公开":
                row[i] = "2.其他法律行政止公开"
            if cell == "4.保护第三方合法权益":
                row[i] = "4.保护第三方合法杈益"
    got = exact(read_grids("requests", [grid(REQUESTS_HEADER + rows)], "2021"))
    assert got == expected_requests()


def test_a_label_split_over_two_cells_is_joined():
    table = grid(
        [
            [S("信息内容", colspan=2), "本年制发件数", "本年废止件数", "现行有效件数"],
            [S("规章", colspan=2), "1", "0", "3"],
            [S("第二十条第（五）项", colspan=5)],
            [S("信息内容", colspan=2), S("本年处理决定数量", colspan=3)],
            ["行政", "许可", S("7", colspan=3)],
        ]
    )
    assert exact(read_grids("active", [table], "2021")) == {
        ("regulations", "issued"): (Decimal(1), "1"),
        ("regulations", "repealed"): (Decimal(0), "0"),
        ("regulations", "in_force"): (Decimal(3), "3"),
        ("licensing", "decisions"): (Decimal(7), "7"),
    }


def test_mixed_layout_single_other_row_in_a_revised_table():
    table = grid(REQUESTS_HEADER + requests_rows("2019"))
    sections = {"active": "本年制发件数", "requests": "三、收到和处理政府信息公开申请情况"}
    tables = parse_tables(sections, 2023, {"requests": [table]})
    assert tables.format == "2021"
    assert tables.mixed_layout
    assert "table.mixed_layout" in codes(tables.warnings)
    rows = set(tables.cells[tables.cells.table == "requests"].row)
    assert "other" in rows and not any(r.startswith("other.") for r in rows)
    assert not [w for w in tables.warnings if w.code == "table.row_missing"]


def test_unmappable_grid_is_a_warning_and_the_text_is_read():
    broken = [row[:-1] for row in requests_rows()]  # a column lost: six cells a row
    text = "\n".join(
        "\t".join(c.text if isinstance(c, SourceCell) else c for c in row)
        for row in requests_rows()
    )
    sections = {"requests": text}
    with_grid = parse_tables(sections, 2021, {"requests": [grid(broken)]})
    from_text = parse_tables(sections, 2021)
    unmapped = [w for w in with_grid.warnings if w.code == "table.grid_unmapped"]
    assert len(unmapped) == 1
    assert unmapped[0].table == "requests"
    assert "收到和处理政府信息公开申请情况" in unmapped[0].message
    assert "应为7个" in unmapped[0].message
    assert with_grid.cells.equals(from_text.cells)
    assert [w for w in with_grid.warnings if w not in unmapped] == from_text.warnings


def test_grid_without_row_labels_cannot_be_mapped():
    with pytest.raises(GridUnmapped, match="行标签"):
        read_grids("requests", [grid([["索引号", "发布机构"], ["1", "2"]])], "2021")


def test_text_in_a_value_cell_makes_the_row_unreadable_not_shifted():
    values = {"granted": ["4", "见附件", "0", "0", "0", "0", "5"]}
    result = read_grids("requests", [grid(REQUESTS_HEADER + requests_rows(values=values))], "2021")
    assert "granted" not in result.rows_found
    assert [w.row for w in result.warnings if w.code == "table.row_unreadable"] == ["granted"]
    assert exact(result)[("partial", "total")] == (Decimal(0), "0")


# --- cell values --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "raw"),
    [
        ("251000元", Decimal(251000), "251000"),
        ("1,234", Decimal(1234), "1,234"),
        ("１２", Decimal(12), "12"),
        ("12.5", Decimal("12.5"), "12.5"),
        ("-3", Decimal(-3), "-3"),
        ("3 件", Decimal(3), "3"),
        ("", None, ""),
        ("/", None, "/"),
        ("——", None, "——"),
        ("－", None, "-"),
        ("无", None, "无"),
    ],
)
def test_cell_values(text, value, raw):
    read = cell_value(text)
    assert (read.value, read.raw) == (value, raw)


def test_text_is_not_a_value():
    assert cell_value("1.属于国家秘密") is None
    assert cell_value("见附件") is None


def test_split_digit_inside_one_cell_is_one_number_with_a_warning():
    values = {"new": ["2 0", "1", "0", "0", "0", "0", "21"]}
    result = read_grids("requests", [grid(REQUESTS_HEADER + requests_rows(values=values))], "2021")
    assert exact(result)[("new", "natural_person")] == (Decimal(20), "20")
    split = [w for w in result.warnings if w.code == "table.split_digit"]
    assert [w.row for w in split] == ["new"]


# --- table 二 -----------------------------------------------------------------------------------


def active_2021(values) -> Grid:
    return grid(
        [
            [S("第二十条第（一）项", colspan=4)],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", *values["regulations"]],
            ["行政规范性文件", *values["normative_docs"]],
            [S("第二十条第（五）项", colspan=4)],
            ["信息内容", S("本年处理决定数量", colspan=3)],
            ["行政许可", S(values["licensing"], colspan=3)],
            [S("第二十条第（六）项", colspan=4)],
            ["信息内容", S("本年处理决定数量", colspan=3)],
            ["行政处罚", values["penalty"], "", ""],  # printed in the first of three cells
            ["行政强制", S(values["coercion"], colspan=3)],
            [S("第二十条第（八）项", colspan=4)],
            ["信息内容", S("本年收费金额（单位：万元）", colspan=3)],
            ["行政事业性收费", S(values["fees"], colspan=3)],
        ]
    )


def test_active_revised_grid_with_headers_between_blocks():
    values = {
        "regulations": ["0", "/", "５"],
        "normative_docs": ["2", "1", "1,234"],
        "licensing": "251000件",
        "penalty": "17",
        "coercion": "—",
        "fees": "12.5万元",
    }
    result = read_grids("active", [active_2021(values)], "2021")
    assert exact(result) == {
        ("regulations", "issued"): (Decimal(0), "0"),
        ("regulations", "repealed"): (None, "/"),
        ("regulations", "in_force"): (Decimal(5), "5"),
        ("normative_docs", "issued"): (Decimal(2), "2"),
        ("normative_docs", "repealed"): (Decimal(1), "1"),
        ("normative_docs", "in_force"): (Decimal(1234), "1,234"),
        ("licensing", "decisions"): (Decimal(251000), "251000"),
        ("penalty", "decisions"): (Decimal(17), "17"),
        ("coercion", "decisions"): (None, "—"),
        ("fees", "amount"): (Decimal("12.5"), "12.5"),
    }
    assert codes(result.warnings) == ["table.blank_cell", "table.blank_cell"]


def test_active_trial_grid():
    table = grid(
        [
            [S("第二十条第（一）项", colspan=4)],
            ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", "1", "1", "10"],
            ["规范性文件", "3", "2", "40"],
            [S("第二十条第（五）项", colspan=4)],
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政许可", "12", "-2", "300"],
            ["其他对外管理服务事项", "0", "0", "0"],
            [S("第二十条第（六）项", colspan=4)],
            ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"],
            ["行政处罚", "5", "1", "20"],
            ["行政强制", "0", "0", "0"],
            [S("第二十条第（八）项", colspan=4)],
            ["信息内容", "上一年项目数量", S("本年增/减", colspan=2)],
            ["行政事业性收费", "2", S("0", colspan=2)],
            [S("第二十条第（九）项", colspan=4)],
            ["信息内容", "采购项目数量", S("采购总金额", colspan=2)],
            ["政府集中采购", "5", S("2034.38", colspan=2)],
        ]
    )
    got = exact(read_grids("active", [table], "2019"))
    assert got == {
        ("regulations", "made"): (Decimal(1), "1"),
        ("regulations", "published"): (Decimal(1), "1"),
        ("regulations", "total_published"): (Decimal(10), "10"),
        ("normative_docs", "made"): (Decimal(3), "3"),
        ("normative_docs", "published"): (Decimal(2), "2"),
        ("normative_docs", "total_published"): (Decimal(40), "40"),
        ("licensing", "prev_items"): (Decimal(12), "12"),
        ("licensing", "change"): (Decimal(-2), "-2"),
        ("licensing", "decisions"): (Decimal(300), "300"),
        ("other_services", "prev_items"): (Decimal(0), "0"),
        ("other_services", "change"): (Decimal(0), "0"),
        ("other_services", "decisions"): (Decimal(0), "0"),
        ("penalty", "prev_items"): (Decimal(5), "5"),
        ("penalty", "change"): (Decimal(1), "1"),
        ("penalty", "decisions"): (Decimal(20), "20"),
        ("coercion", "prev_items"): (Decimal(0), "0"),
        ("coercion", "change"): (Decimal(0), "0"),
        ("coercion", "decisions"): (Decimal(0), "0"),
        ("fees", "prev_items"): (Decimal(2), "2"),
        ("fees", "change"): (Decimal(0), "0"),
        ("procurement", "items"): (Decimal(5), "5"),
        ("procurement", "amount"): (Decimal("2034.38"), "2034.38"),
    }


# --- table 四 -----------------------------------------------------------------------------------

REVIEW_VALUES = ["1", "1", "0", "0", "2", "1", "0", "", "0", "1", "2", "0", "1", "0", "3"]


def expected_review():
    rows = ("review", "litigation_direct", "litigation_after_review")
    return {
        (row, col): (Decimal(raw) if raw else None, raw)
        for (row, col), raw in zip([(r, c) for r in rows for c in FIVE], REVIEW_VALUES, strict=True)
    }


def test_review_grid_by_headers():
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    table = grid(
        [
            [S("行政复议", colspan=5), S("行政诉讼", colspan=10)],
            [S("", colspan=5), S("未经复议直接起诉", colspan=5), S("复议后起诉", colspan=5)],
            results * 3,
            REVIEW_VALUES,
        ]
    )
    result = read_grids("review", [table], "2021")
    assert exact(result) == expected_review()
    assert codes(result.warnings) == ["table.blank_cell"]


def test_review_grid_header_on_one_page_numbers_on_the_next():
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    header = grid(
        [
            [S("行政复议", colspan=5, rowspan=2), S("行政诉讼", colspan=10)],
            [S("未经复议直接起诉", colspan=5), S("复议后起诉", colspan=5)],
            results * 3,
        ]
    )
    got = exact(read_grids("review", [header, grid([REVIEW_VALUES])], "2021"))
    assert got == expected_review()


def test_review_grid_by_position():
    table = grid([[S("行政复议、行政诉讼情况", colspan=16)], ["数量", *REVIEW_VALUES]])
    assert exact(read_grids("review", [table], "2021")) == expected_review()


def test_review_grid_that_cannot_be_mapped_falls_back_to_text():
    table = grid([["行政复议"], ["1", "2"]])
    text = "四、行政复议\n" + "\t".join(REVIEW_VALUES[:7] + ["0"] + REVIEW_VALUES[8:])
    tables = parse_tables({"review": text}, 2021, {"review": [table]})
    assert [w.table for w in tables.warnings if w.code == "table.grid_unmapped"] == ["review"]
    assert len(tables.cells) == 15


# --- parse_tables -------------------------------------------------------------------------------


def test_grids_give_the_cells_the_text_gives():
    rows = requests_rows()
    text = "\n".join(
        "\t".join(c.text if isinstance(c, SourceCell) else c for c in row) for row in rows
    )
    from_text = parse_rows("requests", text, "2021")
    from_grid = read_grids("requests", [grid(REQUESTS_HEADER + rows)], "2021")
    assert from_grid.cells == from_text.cells
    assert from_grid.warnings == from_text.warnings
