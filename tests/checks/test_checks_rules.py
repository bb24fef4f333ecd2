"""The selector language and the rule file."""

from __future__ import annotations

import pytest

from nlp.checks.rules import RuleError, load_rules, rule_from_dict
from nlp.checks.selectors import (
    PREV,
    THIS,
    CellRef,
    ExpressionError,
    TableKeys,
    parse_expression,
    parse_selector,
)
from nlp.report import table_keys


def domain_2021(slot, table):
    return table_keys(table, "2021")


def domain_2019(slot, table):
    return table_keys(table, "2019")


def test_sum_with_globs_expands_to_the_formats_rows():
    expression = parse_expression(
        "sum(requests/[granted, partial, denied.*, unavailable.*, not_processed.*, other, other.*]/{col})"
    )
    _, revised = expression.expand({"col": "total"}, domain_2021)
    _, trial = expression.expand({"col": "total"}, domain_2019)

    revised_rows = [ref.row for _, ref in revised]
    trial_rows = [ref.row for _, ref in trial]
    assert len(revised_rows) == 2 + 8 + 3 + 5 + 3
    assert revised_rows[-3:] == ["other.no_correction", "other.no_fee", "other.other"]
    assert trial_rows[-1] == "other" and len(trial_rows) == 2 + 8 + 3 + 5 + 1
    assert "handled_total" not in revised_rows and "new" not in trial_rows


def test_signed_terms_constants_and_prev_slot():
    expression = parse_expression(
        "prev:active/{row}/in_force + active/{row}/issued - active/{row}/repealed + 2"
    )
    constant, cells = expression.expand({"row": "regulations"}, domain_2021)
    assert constant == 2
    assert cells == [
        (1, CellRef(PREV, "active", "regulations", "in_force")),
        (1, CellRef(THIS, "active", "regulations", "issued")),
        (-1, CellRef(THIS, "active", "regulations", "repealed")),
    ]


def test_a_named_cell_is_kept_even_when_the_layout_lacks_it():
    # So that a rule needing it is skipped for a missing cell, not computed without it.
    _, cells = parse_expression("requests/other/total").expand({}, domain_2021)
    assert cells == [(1, CellRef(THIS, "requests", "other", "total"))]


def test_a_report_s_own_keys_are_matched_afresh_in_their_order():
    # An unknown layout's domain is the report's own keys: two reports, two answers.
    expression = parse_expression("sum(requests/[new, denied.*]/{col})")

    def own_keys(*rows):
        return lambda slot, table: [(row, col) for row in rows for col in ("total", "x")]

    _, first = expression.expand({"col": "total"}, own_keys("denied.b", "new", "denied.a", "news"))
    _, second = expression.expand({"col": "total"}, own_keys("new", "denied.z"))
    assert [ref.row for _, ref in first] == ["denied.b", "new", "denied.a"]
    assert [ref.row for _, ref in second] == ["new", "denied.z"]
    assert {ref.col for _, ref in first + second} == {"total"}


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "requests/new/total * 2",
        "requests/new/total requests/carried_over/total",
        "requests/[new, carried_over]/total",
        "requests/denied.*/total",
        "sum(requests/new/total",
        "requests/new/total +",
        "",
    ],
)
def test_expressions_outside_the_language_are_refused(text):
    with pytest.raises(ExpressionError):
        parse_expression(text)


def test_unbound_placeholder_is_refused():
    with pytest.raises(ExpressionError, match="unbound"):
        parse_expression("requests/{row}/total").expand({"col": "total"}, domain_2021)


def test_rule_file_loads_every_rule_of_the_format():
    rules = {rule.id: rule for rule in load_rules()}
    assert {
        "table.requests_row_total",
        "table.requests_balance",
        "table.requests_handled_total",
        "table.review_row_total",
        "table.non_negative_count",
        "cross_year.requests_carried_over",
        "cross_year.active_in_force",
    } <= set(rules)
    assert rules["cross_year.active_in_force"].severity == "warning"
    assert rules["cross_year.active_in_force"].applies == ("2021",)
    assert all(rule.message for rule in rules.values())


@pytest.mark.parametrize(
    "entry, problem",
    [
        (
            {
                "id": "r",
                "kind": "table",
                "severity": "error",
                "message": "m",
                "for_each": "row",
                "lhs": "requests/{row}/total",
            },
            "needs lhs",
        ),
        (
            {
                "id": "r",
                "kind": "table",
                "severity": "error",
                "message": "m",
                "for_each": "page",
                "lhs": "a/b/c",
                "rhs": "a/b/d",
            },
            "for_each",
        ),
        ({"id": "r", "kind": "table", "severity": "error", "for_each": "row"}, "message"),
        (
            {
                "id": "r",
                "kind": "table",
                "severity": "error",
                "message": "m",
                "for_each": "row",
                "lhs": "requests/{row}/total",
                "rhs": "requests/{row}/total ** 2",
            },
            "cannot read",
        ),
    ],
)
def test_bad_rule_entries_are_named_errors(entry, problem):
    with pytest.raises(RuleError, match=problem):
        rule_from_dict(entry)


def test_table_keys_select_as_a_plain_sequence_of_keys_does():
    keys = [("denied.secret", "total"), ("granted", "total"), ("denied.law", "a"), ("x", "total")]
    selector = parse_selector("requests/[granted, denied.*]/{col}")
    for bindings in ({"col": "total"}, {"col": "a"}, {"col": "absent"}):
        as_table = selector.cells(bindings, lambda slot, table: TableKeys(keys))
        assert as_table == selector.cells(bindings, lambda slot, table: keys)
    table = TableKeys(keys)
    cells = selector.cells({"col": "total"}, lambda slot, table_name: table)
    assert [(c.row, c.col) for c in cells] == [("denied.secret", "total"), ("granted", "total")]
    assert table.selected(0, ("granted", "nowhere")) == {"granted"}  # a literal is not a glob
    assert table.selected(0, ("denied.*",)) == {"denied.secret", "denied.law"}
