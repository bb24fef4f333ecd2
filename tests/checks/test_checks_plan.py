"""The compiled table rules: cell values, comparisons per layout, the screen, bulk predicates."""

from __future__ import annotations

import math
import random

import pandas as pd
import pytest
from checks_support import APPLICANTS, full_cells, make_report

from nlp.checks import check_tables
from nlp.checks.cells import LayoutValues, cell_values
from nlp.checks.engine import BULK_PREDICATES, PREDICATES, _layout_keys
from nlp.checks.plan import Screen, compile_rule
from nlp.checks.rules import load_rules
from nlp.checks.selectors import THIS
from nlp.report import CELL_COLUMNS, Report, table_keys

FORMATS = ["2019", "2021"]


def domain_of(fmt: str, mixed: bool = False):
    def domain(slot, table):
        if mixed:
            return table_keys(table, fmt, mixed=True)
        return list(_layout_keys(table, fmt))

    return domain


def equation_rules(fmt: str):
    return [
        r for r in load_rules() if r.kind == "table" and r.for_each != "cell" and r.applies_to(fmt)
    ]


@pytest.mark.parametrize("mixed", [False, True])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_table_rule_compiles_for_every_layout(fmt, mixed):
    rules = equation_rules(fmt)
    assert {r.id for r in rules} == {
        "table.requests_row_total",
        "table.requests_balance",
        "table.requests_handled_total",
        "table.review_row_total",
    }
    for rule in rules:
        plan = compile_rule(rule, domain_of(fmt, mixed))
        assert plan.slot == THIS
        assert len(plan.comparisons) >= 3, rule.id
        assert all(len(c.terms) >= 2 for c in plan.comparisons), rule.id
        assert len(plan.keys) == sum(len(c.terms) for c in plan.comparisons)
        if rule.id == "table.requests_handled_total":
            (total,) = [c for c in plan.comparisons if c.bindings == {"col": "total"}]
            # A mixed table 三 prints the trial format's single （六）其他处理 row.
            assert ("other" in [ref.row for _, ref in total.terms]) == (mixed or fmt == "2019")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_row_total_comparison_is_the_hand_computed_sum(fmt):
    (rule,) = [r for r in load_rules() if r.id == "table.requests_row_total"]
    plan = compile_rule(rule, domain_of(fmt))
    (granted,) = [c for c in plan.comparisons if c.bindings == {"row": "granted"}]
    assert [ref.col for _, ref in granted.terms] == ["total", *APPLICANTS]
    assert [sign for sign, _ in granted.terms] == [1] + [-1] * len(APPLICANTS)
    values = {("requests", "granted", col): float(i) for i, col in enumerate(APPLICANTS, 1)}
    values[("requests", "granted", "total")] = 20.0
    row = granted.values({THIS: values})
    assert row == [20.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert granted.sides(row) == (20.0, 21.0)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_handled_total_sums_the_formats_outcome_rows(fmt):
    (rule,) = [r for r in load_rules() if r.id == "table.requests_handled_total"]
    plan = compile_rule(rule, domain_of(fmt))
    (total,) = [c for c in plan.comparisons if c.bindings == {"col": "total"}]
    rows = [ref.row for _, ref in total.terms]
    assert rows[0] == "handled_total" and "new" not in rows
    other_rows = [row for row in rows if row.startswith("other")]
    assert other_rows == (
        ["other"] if fmt == "2019" else ["other.no_correction", "other.no_fee", "other.other"]
    )


def _screen(fmt: str) -> tuple[list, Screen]:
    rules = equation_rules(fmt)
    plans = [compile_rule(rule, domain_of(fmt)) for rule in rules]
    return plans, Screen(plans, [rule.tolerance for rule in rules])


def _exact_doubts(plans, values) -> list[list[int]]:
    """What the rules themselves say: a blank cell, or sides farther apart than the tolerance."""
    doubts = []
    for plan in plans:
        indices = []
        for i, comparison in enumerate(plan.comparisons):
            row = comparison.values({THIS: values})
            if None in row:
                indices.append(i)
                continue
            lhs, rhs = comparison.sides(row)
            if not abs(lhs - rhs) <= 1e-9:
                indices.append(i)
        doubts.append(indices)
    return doubts


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_consistent_report_leaves_nothing_in_doubt(fmt):
    _, screen = _screen(fmt)
    assert screen.doubtful(cell_values(make_report(fmt))) == [[] for _ in screen.bounds]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_changed_cell_and_a_blank_cell_put_their_comparisons_in_doubt(fmt):
    plans, screen = _screen(fmt)
    values = dict(cell_values(make_report(fmt, changes={("requests", "granted", "total"): 4})))
    values[("review", "review", "upheld")] = None
    doubtful = screen.doubtful(values)
    assert doubtful == _exact_doubts(plans, values)
    row_total, _, handled, review = doubtful
    assert [plans[0].comparisons[i].bindings for i in row_total] == [{"row": "granted"}]
    assert {"col": "total"} in [plans[2].comparisons[i].bindings for i in handled]
    assert [plans[3].comparisons[i].bindings for i in review] == [{"row": "review"}]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_screen_never_passes_what_the_rules_would_not(fmt):
    plans, screen = _screen(fmt)
    rng = random.Random(7)
    base = cell_values(make_report(fmt))
    for _ in range(200):
        values = dict(base)
        for key in rng.sample(sorted(values), 4):
            values[key] = rng.choice(
                [None, math.inf, 0.1, 0.2, 0.3, 1e15 + 1, rng.randint(0, 50) + 0.0]
            )
        doubtful = screen.doubtful(values)
        for plan, screened, exact in zip(
            plans, doubtful, _exact_doubts(plans, values), strict=True
        ):
            # Every comparison the rules would flag is screened in (more may be, never fewer).
            assert set(exact) <= set(screened)
            assert len(screened) <= len(plan.comparisons)


@pytest.mark.parametrize("value", [0.0, -0.0, 3.0, 1.5, -1.0, -0.5, math.inf, -math.inf, 1e300])
def test_the_bulk_predicate_agrees_with_the_single_one(value):
    import numpy as np

    single = PREDICATES["non_negative_integer"](value)
    bulk = BULK_PREDICATES["non_negative_integer"](np.array([value]))
    assert bool(bulk[0]) == single


@pytest.mark.parametrize("fmt", FORMATS)
def test_findings_are_the_same_with_values_given_or_read(fmt):
    report = make_report(
        fmt,
        changes={("requests", "granted", "total"): 4, ("active", "licensing", "decisions"): -2},
        drop=(("review", "review", "upheld"),),
    )
    read = check_tables(report)
    given = check_tables(report, values=cell_values(report))
    assert [f.fingerprint for f in read] == [f.fingerprint for f in given]
    assert {f.rule for f in read} >= {"table.requests_row_total", "table.non_negative_count"}


def test_cell_values_keep_the_first_readable_value_and_blank_nan():
    frame = pd.DataFrame(
        [
            ("requests", "new", "total", float("nan"), ""),
            ("requests", "new", "total", 5.0, "5"),
            ("requests", "new", "total", 6.0, "6"),
            ("review", "review", "total", float("nan"), ""),
        ],
        columns=list(CELL_COLUMNS),
    )
    values = cell_values(Report(source="x.txt", cells=frame))
    assert values == {("requests", "new", "total"): 5.0, ("review", "review", "total"): None}


def test_cell_values_of_a_column_that_is_not_float():
    frame = pd.DataFrame(
        [("requests", "new", "total", "7", "7"), ("requests", "granted", "total", "x", "x")],
        columns=list(CELL_COLUMNS),
    ).astype({"value": object})
    values = cell_values(Report(source="x.txt", cells=frame))
    assert values == {("requests", "new", "total"): 7.0, ("requests", "granted", "total"): None}


def test_cell_values_of_a_full_report_are_its_cells():
    cells = full_cells("2021")
    assert cell_values(make_report("2021")) == {k: float(v) for k, v in cells.items()}


def test_only_the_cells_the_bulk_test_fails_are_tested_one_by_one():
    from nlp.checks.engine import _may_fail

    (rule,) = [r for r in load_rules() if r.id == "table.non_negative_count"]
    values = {
        ("requests", "new", "total"): 3.0,
        ("active", "fees", "amount"): 1.5,
        ("requests", "granted", "total"): None,
        ("review", "review", "total"): -1.0,
        ("requests", "partial", "total"): math.inf,
    }
    expected = [
        (k, v) for k, v in values.items() if v is not None and not PREDICATES[rule.predicate](v)
    ]
    assert _may_fail(rule, values) == expected
    assert [k[0] for k, _ in expected] == ["active", "review", "requests"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_cell_values_are_the_same_whether_keys_match_the_layout_or_not(fmt):
    # A full report has its layout's keys in printed order (read by comparing columns); the
    # same cells reordered, or one missing, are read key by key: the values agree.
    report = make_report(fmt, changes={("requests", "granted", "total"): float("nan")})
    values = cell_values(report)
    shuffled = report.cells.sample(frac=1.0, random_state=3).reset_index(drop=True)
    reordered = cell_values(Report(source="x.txt", format=fmt, cells=shuffled))
    assert reordered == values
    assert values[("requests", "granted", "total")] is None
    partial = cell_values(Report(source="x.txt", format=fmt, cells=shuffled.iloc[1:]))
    assert partial == {key: value for key, value in values.items() if key in partial}
    assert len(partial) == len(values) - 1


def test_cell_values_of_a_layout_report_keep_the_first_of_a_repeated_key():
    # Keys equal to the layout's except one repeated: not the layout, so duplicates are handled.
    report = make_report("2021")
    frame = report.cells.copy()
    frame.loc[1, ["table", "row", "col"]] = frame.loc[0, ["table", "row", "col"]].tolist()
    values = cell_values(Report(source="x.txt", format="2021", cells=frame))
    assert values[tuple(frame.loc[0, ["table", "row", "col"]])] == frame.loc[0, "value"]
    assert len(values) == len(frame) - 1


def test_values_read_from_the_layout_are_the_cells_as_a_dict():
    # A full report is read from its value column (LayoutValues); as a dict, key by key, the
    # checks see the same values, and the screen puts the same comparisons in doubt. (The
    # revised format's test report has its layout's keys in printed order.)
    fmt = "2021"
    blank, changed = ("review", "review", "upheld"), ("requests", "granted", "total")
    report = make_report(fmt, changes={changed: 4, blank: float("nan")})
    values = cell_values(report)
    assert isinstance(values, LayoutValues)
    as_dict = {
        (row.table, row.row, row.col): None if math.isnan(row.value) else row.value
        for row in report.cells.itertuples()
    }
    assert values == as_dict and list(values) == list(as_dict)
    assert values.get(blank, "absent") is None and values[changed] == 4.0
    assert values.get(("requests", "nothing", "total"), "absent") == "absent"
    assert ("requests", "nothing", "total") not in values and blank in values
    plans, screen = _screen(fmt)
    assert screen.doubtful(values) == screen.doubtful(as_dict) == _exact_doubts(plans, as_dict)
    with pytest.raises(TypeError):
        values[changed] = 5.0  # type: ignore[index]
    with pytest.raises(ValueError):
        values.numbers[0] = 5.0  # the report's own column


@pytest.mark.parametrize("fmt", FORMATS)
def test_cell_values_are_the_same_read_through_series(fmt, monkeypatch):
    # The columns are taken from pandas' own `_get_column_array`; without it, through Series.
    report = make_report(fmt, changes={("requests", "granted", "total"): float("nan")})
    values = cell_values(report)
    monkeypatch.delattr(pd.DataFrame, "_get_column_array")
    through_series = cell_values(report)
    assert type(through_series) is type(values)
    assert through_series == values and list(through_series) == list(values)
