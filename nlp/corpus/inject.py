"""Planted inconsistencies in the tables: each breaks exactly one rule of report-format.md.

Every change is paired so that the other rules still hold (a row total moved with its cell, a
carried-forward count moved with the carried-over one), which is what lets a truth file say
which single rule a checker must report.
"""

from __future__ import annotations

import random
from fnmatch import fnmatchcase
from typing import Any

from nlp.corpus.tables import Values, applicant_cols, outcome_rows

TABLE_RULES = (
    "table.requests_row_sum",
    "table.requests_balance",
    "table.requests_outcomes",
    "table.review_row_sum",
)

# Kinds injected only when asked for (`generate(extra_kinds=...)`), with their weights beside
# generate.ERROR_KINDS: they are off by default so that a seed writes what it always wrote.
# statement: a qualitative statement (全部办结, 均获维持) the table contradicts (phrases.yaml
# `statement_errors`); scope: a true total in another scope (收到 = 新收 + 上年结转,
# `scope_statements`), which a checker must explain as a warning, never report as an error;
# change: a change (比上年增加 N 件) last year's printed table contradicts (`change_statements`,
# only where a previous year exists); combined: a combined metric (予以公开和部分公开 N, 无法提供
# N, 不予公开 N) its cells contradict (`combined_statements`); shape: parts that do not add up in
# the shapes of `shape_templates` (分别为, 包括, 合计 after the list, N categories); truth (weight
# 0, never drawn as an error): every report without a narrative error also says true statements
# of those kinds (`true_statements`), recorded with kind `truth`, which must yield no finding.
EXTRA_KINDS = {
    "statement": 0.15,
    "scope": 0.1,
    "change": 0.12,
    "combined": 0.12,
    "shape": 0.12,
    "truth": 0.0,
}
TRUTH = "truth"
NEEDS_PREVIOUS = frozenset({"cross_year", "change"})  # kinds drawn only after a first year


def false_statements(values: Values, statements: dict[str, dict]) -> list[str]:
    """Names of the statements the printed table makes false: one of their cells is above 0."""
    return [name for name, spec in statements.items() if cells_above_zero(values, spec["cells"])]


def true_scopes(values: Values, scopes: dict[str, dict]) -> list[str]:
    """Names of the other-scope totals that differ from the cell alone: every cell above 0."""
    return [
        name
        for name, spec in scopes.items()
        if len(cells_above_zero(values, spec["cells"])) == len(spec["cells"])
    ]


def cells_above_zero(values: Values, cells: list[str]) -> list[str]:
    return [cell for cell in cells if values.get(tuple(cell.split("/")), 0) > 0]


def matching_cells(values: Values, cells: list[str]) -> list[tuple[str, str, str]]:
    """The keys of `values` the cells name; a row may be a glob (unavailable.*: every such row)."""
    keys = []
    for cell in cells:
        table, row, col = cell.split("/")
        if "*" in row:
            keys += [k for k in values if k[0] == table and k[2] == col and fnmatchcase(k[1], row)]
        elif (table, row, col) in values:
            keys.append((table, row, col))
    return keys


def cells_total(values: Values, cells: list[str]) -> float:
    return float(sum(values[key] for key in matching_cells(values, cells)))


def wrong_parts(rng: random.Random, parts: list[float], victim: int, closed: bool) -> float:
    """A printed value for part `victim` that makes the list a plain contradiction: parts above
    the whole for an open list (其中 may name only some parts, so fewer is no contradiction),
    either way for a closed one; never a gap equal to one printed part (that reads as a nested
    item, which a checker rightly only warns of)."""
    true = parts[victim]
    for _ in range(50):
        wrong = wrong_count(rng, true)
        gap = wrong - true
        others = [p for i, p in enumerate(parts) if i != victim] + [wrong]
        if (closed or gap > 0) and abs(gap) not in others:
            return wrong
    return true + next(gap for gap in range(1, 10**6) if gap not in parts)  # above the whole


def wrong_count(rng: random.Random, value: float) -> float:
    """A different count, far enough off that no rounding or qualifier excuses it."""
    spread = max(1, int(value * rng.uniform(0.1, 0.9)))
    wrong = value + rng.choice([-1, 1]) * rng.randint(max(1, int(value * 0.1)), spread + 1)
    if wrong < 0 or wrong == value:
        wrong = value + rng.randint(1, 5)
    return float(wrong)


def break_table(values: Values, fmt: str, rng: random.Random, rule: str) -> dict[str, Any]:
    """Change printed cells so that `rule` (and only it) fails; returns the error record."""
    return _BREAKERS[rule](values, fmt, rng)


def break_chain(values: Values, rng: random.Random) -> dict[str, Any]:
    """This year's carried_over no longer equals last year's carried_forward (one column).

    carried_forward moves by the same amount so that the year's own balance still holds.
    """
    col, step = rng.choice(applicant_cols()), rng.randint(1, 4)
    touched = _shift(
        values,
        step,
        [
            ("carried_over", col),
            ("carried_over", "total"),
            ("carried_forward", col),
            ("carried_forward", "total"),
        ],
    )
    return _error(
        "cross_year",
        "cross_year.carried_over",
        touched[:2],
        f"上年结转 ({col}) raised by {step}: differs from last year's 结转下年度",
    )


def _row_sum(values: Values, fmt: str, rng: random.Random) -> dict[str, Any]:
    col, step = rng.choice(applicant_cols()), rng.randint(1, 3)
    touched = _shift(values, step, [("new", col), ("carried_forward", col)])
    return _error(
        "table",
        "table.requests_row_sum",
        touched,
        f"{col} of rows new and carried_forward raised by {step}, their totals unchanged",
    )


def _balance(values: Values, fmt: str, rng: random.Random) -> dict[str, Any]:
    col, step = rng.choice(applicant_cols()), rng.randint(1, 3)
    touched = _shift(values, step, [("new", col), ("new", "total")])
    return _error(
        "table",
        "table.requests_balance",
        touched,
        f"new requests ({col}) raised by {step}: new + carried_over != handled + carried_forward",
    )


def _outcomes(values: Values, fmt: str, rng: random.Random) -> dict[str, Any]:
    row, col = rng.choice(outcome_rows(fmt)), rng.choice(applicant_cols())
    step = rng.randint(1, 3)
    touched = _shift(values, step, [(row, col), (row, "total")])
    return _error(
        "table",
        "table.requests_outcomes",
        touched,
        f"outcome {row} ({col}) raised by {step}: handled_total != sum of outcomes",
    )


def _review_sum(values: Values, fmt: str, rng: random.Random) -> dict[str, Any]:
    row, step = (
        rng.choice(["review", "litigation_direct", "litigation_after_review"]),
        rng.randint(1, 2),
    )
    values[("review", row, "total")] += step
    return _error(
        "table",
        "table.review_row_sum",
        [f"review/{row}/total"],
        f"review total of {row} raised by {step}: total != sum of results",
    )


def _shift(values: Values, step: int, cells: list[tuple[str, str]]) -> list[str]:
    for row, col in cells:
        values[("requests", row, col)] += step
    return [f"requests/{row}/{col}" for row, col in cells]


def _error(kind: str, rule: str, cells: list[str], description: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "rule": rule,
        "cells": cells,
        "sentence": None,
        "section": None,
        "description": description,
    }


_BREAKERS = {
    "table.requests_row_sum": _row_sum,
    "table.requests_balance": _balance,
    "table.requests_outcomes": _outcomes,
    "table.review_row_sum": _review_sum,
}
