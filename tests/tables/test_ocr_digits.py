"""OCR table cells judged by the table's arithmetic (nlp/tables/ocr_digits.py): a unique other
reading that makes the rules hold is taken and said, several are said and not taken, a doubtful
cell no rule covers is flagged, and findings on such rows are parse suspects, not errors."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import pytest

from nlp.checks import check_tables
from nlp.report import CELL_COLUMNS, ParseWarning, Report, table_keys
from nlp.tables import ocr_digits
from nlp.tables.ocr_digits import Traced, candidates, judge

SURE, DOUBTFUL, FAIRLY_SURE = 0.999, 0.5, 0.97


def consistent_requests() -> dict[tuple[str, str], Decimal]:
    """A revised-format table 三 whose row totals and column rules hold."""
    applicants = {"new": [4, 1], "carried_over": [1, 0], "granted": [2, 1]}
    applicants |= {"denied.internal": [1, 0], "other.no_fee": [1, 0], "handled_total": [4, 1]}
    applicants |= {"carried_forward": [1, 0]}
    values = {}
    for row, col in table_keys("requests", "2021"):
        first, second = applicants.get(row, [0, 0])
        by_col = {"natural_person": first, "commercial": second, "total": first + second}
        values[(row, col)] = Decimal(by_col.get(col, 0))
    return values


def traced_as(values, sure=SURE, **doubtful: tuple[str, float]) -> dict:
    """Every cell traced with confidence `sure`; `doubtful` maps "row/col" to (text, confidence)."""
    out = {key: Traced(str(value), sure) for key, value in values.items()}
    for where, (text, confidence) in doubtful.items():
        out[tuple(where.split("/"))] = Traced(text, confidence)
    return out


def read_as(values, **texts: str):
    return {**values, **{tuple(k.split("/")): Decimal(v) for k, v in texts.items()}}


def test_consistent_table_has_rules_and_nothing_to_say():
    values = consistent_requests()
    assert all(rule.holds(values) for rule in ocr_digits.rules("requests", list(values)))
    assert judge("requests", values, traced_as(values)).warnings == []


def test_a_misread_digit_the_arithmetic_alone_fits_is_corrected_with_both_readings():
    values = read_as(consistent_requests(), **{"granted/total": "8"})  # printed 3
    traced = traced_as(values, **{"granted/total": ("8", DOUBTFUL)})
    outcome = judge("requests", values, traced)
    assert outcome.fixed == {("granted", "total"): (Decimal(3), "3")}
    [warning] = outcome.warnings
    assert (warning.code, warning.table, warning.row) == (
        "table.ocr_corrected",
        "requests",
        "granted",
    )
    assert "识别为 8" in warning.message and "读作 3" in warning.message


def test_a_dropped_digit_is_put_back():
    truth = consistent_requests()  # ten more new requests, all granted: 14 new
    for row in ("new", "handled_total", "granted"):
        for col in ("natural_person", "total"):
            truth[(row, col)] += 10
    read = {**truth, ("new", "natural_person"): Decimal(4)}  # "14" read as "4"
    outcome = judge("requests", read, traced_as(read, **{"new/natural_person": ("4", DOUBTFUL)}))
    assert outcome.fixed == {("new", "natural_person"): (Decimal(14), "14")}


def test_two_readings_that_both_fit_are_said_and_not_taken():
    # Two doubtful cells of one row, either of which mends its total: 7 + 7 ≠ 8.
    values = {k: v for k, v in consistent_requests().items() if k[0] == "new"}
    values = read_as(values, **{"new/natural_person": "7", "new/commercial": "7", "new/total": "8"})
    traced = traced_as(
        values, **{"new/natural_person": ("7", DOUBTFUL), "new/commercial": ("7", DOUBTFUL)}
    )
    outcome = judge("requests", values, traced)
    assert outcome.fixed == {}
    assert [w.code for w in outcome.warnings] == ["table.ambiguous_ocr"]


def test_a_sure_cell_is_tried_only_when_no_doubtful_one_mends_the_rule():
    values = read_as(consistent_requests(), **{"granted/total": "8"})
    fairly = judge("requests", values, traced_as(values, sure=FAIRLY_SURE))
    assert fairly.fixed == {("granted", "total"): (Decimal(3), "3")}
    # Every cell read with certainty: the sum that fails is the agency's, not the reader's.
    sure = judge("requests", values, traced_as(values, sure=SURE))
    assert sure.fixed == {} and sure.warnings == []


def test_a_doubtful_cell_the_arithmetic_confirms_is_not_flagged():
    values = consistent_requests()
    traced = traced_as(values, **{"granted/natural_person": ("2", DOUBTFUL)})
    assert judge("requests", values, traced).warnings == []


def test_a_doubtful_cell_no_rule_covers_is_flagged():
    values = {("regulations", "made"): Decimal(1), ("regulations", "published"): Decimal(3)}
    traced = {
        ("regulations", "made"): Traced("1", DOUBTFUL),
        ("regulations", "published"): Traced("3", SURE),
    }
    [warning] = judge("active", values, traced).warnings
    assert (warning.code, warning.row) == ("table.ocr_uncertain", "regulations")
    assert "made 1" in warning.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8", {"0", "3", "6", "9", "18", "88", "80"}),
        ("100", {"10", "700", "180"}),
        ("71", {"7", "1"}),
    ],
)
def test_candidates_hold_confusions_dropped_and_extra_digits(text, expected):
    assert expected <= set(candidates(Traced(text, DOUBTFUL)))


def test_engine_alternatives_come_first():
    assert candidates(Traced("35", DOUBTFUL, alternatives=("36",)))[0] == "36"


@pytest.mark.parametrize("code", ["table.ocr_uncertain", "table.ambiguous_ocr"])
def test_findings_on_a_doubtful_ocr_row_are_parse_suspects_not_errors(code):
    cells = {
        (row, col): float(value)
        for (row, col), value in read_as(consistent_requests(), **{"granted/total": "4"}).items()
    }
    frame = pd.DataFrame(
        [("requests", r, c, v, str(int(v))) for (r, c), v in cells.items()],
        columns=list(CELL_COLUMNS),
    )
    warning = ParseWarning(code, "扫描件识别", table="requests", row="granted")
    report = Report(source="scan.pdf", format="2021", year=2021, cells=frame, warnings=[warning])
    broken = [f for f in check_tables(report) if f.severity != "info"]  # 表四 skipped: info
    assert {f.rule for f in broken} == {
        "table.requests_row_total.parse_suspect",
        "table.requests_handled_total.parse_suspect",
    }
    assert all(f.severity == "warning" for f in broken)
