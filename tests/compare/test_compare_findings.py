"""Overview counts and the findings view with its evidence."""

from __future__ import annotations

import json

from compare_frames import (
    finding,
    report,
    written,
)

import nlp.compare as compare
from nlp.compare.finding_table import segments

CLAIM = {"metric": "requests/new/total", "value": 5, "text": "5件", "start": 8, "end": 10}
CELLS = [{"table": "requests", "row": "new", "col": "total", "value": 9}]


def test_findings_worst_first_with_claim_highlight_and_cells(tmp_path):
    tables = written(
        tmp_path,
        reports=[report("a", "甲县教育局", 2022), report("b", "乙县教育局", 2022)],
        findings=[
            finding(
                "a",
                "narrative.parts_sum",
                "累计公开263件，其中网站173件。",
                kind="narrative",
                severity="warning",
            ),
            finding("a", "table.skipped", "", kind="table", severity="info"),
            finding(
                "b",
                "claim.requests_new",
                "本年度共收到申请5件，均已办结。",
                claim=CLAIM,
                cells=CELLS,
                agency="乙县教育局",
            ),
        ],
    )
    frame = compare.findings(tables)
    assert frame["rule"].tolist() == ["claim.requests_new", "narrative.parts_sum"]  # no info
    first = frame.iloc[0]
    assert first["highlight"] == [(8, 10)]
    assert segments(first["evidence"], first["highlight"]) == [
        ("本年度共收到申请", False),
        ("5件", True),
        ("，均已办结。", False),
    ]
    assert first["cells"] == CELLS and first["claim"]["value"] == 5
    assert first["level"] == "county"
    # without a claim every number of the evidence is marked
    assert frame.iloc[1]["highlight"] == [(4, 7), (13, 16)]


def test_a_claim_whose_offsets_do_not_fit_is_found_by_its_words(tmp_path):
    claim = CLAIM | {"start": 0, "end": 2}
    tables = written(
        tmp_path,
        reports=[report("b", "乙县教育局", 2022)],
        findings=[finding("b", "claim.requests_new", "全年收到5件。", claim=claim)],
    )
    assert compare.findings(tables).iloc[0]["highlight"] == [(4, 6)]


def test_agencies_ranked_by_errors(tmp_path):
    tables = written(
        tmp_path,
        reports=[
            report("a1", "甲县教育局", 2021),
            report("a2", "甲县教育局", 2022),
            report("b", "乙县教育局", 2022),
            report("c", "丙县教育局", 2022),
        ],
        findings=[
            finding("a1", "r1", "x", agency="甲县教育局"),
            finding("a2", "r2", "x", agency="甲县教育局", severity="warning"),
            finding("b", "r1", "x", agency="乙县教育局"),
            finding("b", "r3", "x", agency="乙县教育局"),
        ],
    )
    frame = compare.agencies_by_findings(tables)
    assert frame[["agency", "reports", "errors", "warnings"]].values.tolist() == [
        ["乙县教育局", 1, 2, 0],
        ["甲县教育局", 2, 1, 1],
    ]
    assert frame.set_index("agency").at["甲县教育局", "per_report"] == 1.0


def test_overview_and_counts(tmp_path):
    warnings = [{"code": "table.row_missing", "message": "…"}, {"code": "table.blank_cell"}]
    tables = written(
        tmp_path,
        reports=[
            report(
                "a", "甲县教育局", 2021, n_parse_warnings=2, parse_warnings=json.dumps(warnings)
            ),
            report("b", "甲县教育局", 2022, input_format="html"),
            report("c", None, None, format=None),
        ],
        findings=[finding("a", "r", "x"), finding("b", "r", "x", kind="cross_year")],
        errors=[{"file": "bad.pdf", "stage": "read", "error": "ReadError", "reason": "scan"}],
    )
    measures = dict(compare.overview(tables).itertuples(index=False, name=None))
    assert measures["reports"] == 3 and measures["agencies"] == 1
    assert (measures["year_first"], measures["year_last"]) == (2021, 2022)
    assert measures["unreadable"] == 1 and measures["parse_warnings"] == 2
    assert measures["input_format.txt"] == 2 and measures["table_format.unknown"] == 1
    kinds = compare.findings_by_kind(tables).set_index(["kind", "severity"])["n"]
    assert kinds[("claim", "error")] == 1 and kinds[("cross_year", "error")] == 1
    assert kinds[("table", "warning")] == 0
    codes = compare.parse_warning_counts(tables)
    assert codes["code"].tolist() == ["table.blank_cell", "table.row_missing"]
    by_year = compare.reports_by_year(tables)
    assert by_year.values.tolist() == [[2021, "txt", 1], [2022, "html", 1]]
