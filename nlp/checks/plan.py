"""The equations of a rule compiled against a table layout, so a report only looks values up.

Every report of a known format has the same table keys, so a rule's iteration keys, its bound
placeholders and its expanded globs are the same for all of them: `comparisons(rule, layout,
domain)` works them out once per (rule, layout) and keeps them. Evaluating a report is then a
lookup of each comparison's cells in the report's `cell_values` and two sums.

Most reports balance: a `Screen` puts every comparison of a report's table rules in one matrix,
so that one product finds the few comparisons a report leaves in doubt (a blank cell, or sides
that may differ); only those are worked out one by one, exactly as the rules say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from operator import mul

import numpy as np

from nlp.checks.cells import LayoutValues, layout_positions
from nlp.checks.rules import Rule
from nlp.checks.selectors import THIS, CellRef, Domain

# What the table keys of every report a rule reads depend on: (slot, format, mixed_layout) each.
Layout = tuple[tuple[str, str, bool], ...]

_PLANS: dict[tuple[int, Layout], tuple[Rule, RulePlan]] = {}


@dataclass(frozen=True, slots=True)
class Comparison:
    """`lhs == rhs` of one rule for one binding of its iteration key, cells resolved.

    `terms` are the signed cells of the left side, then those of the right side with their sign
    flipped (the order findings list them in); `lookups` say where each term's value is found.
    """

    bindings: dict[str, str]
    left_constant: float
    right_constant: float
    terms: tuple[tuple[int, CellRef], ...]
    lookups: tuple[tuple[str, tuple[str, str, str]], ...]
    left_signs: tuple[int, ...]
    right_signs: tuple[int, ...]

    def values(self, values_by_slot: dict[str, dict]) -> list[float | None]:
        """The value of every term's cell (None when blank or absent), in `terms` order."""
        return [values_by_slot[slot].get(key) for slot, key in self.lookups]

    def sides(self, values: list[float]) -> tuple[float, float]:
        """(lhs, rhs) from the values of `values()`, none of them None."""
        split = len(self.left_signs)
        lhs = self.left_constant + sum(map(mul, self.left_signs, values[:split]))
        rhs = self.right_constant + sum(map(mul, self.right_signs, values[split:]))
        return lhs, rhs


@dataclass(frozen=True)
class RulePlan:
    """A rule's comparisons; when they all read one report, the cell keys of all their terms in
    one row, so that a report's values are looked up in one pass."""

    comparisons: tuple[Comparison, ...]
    slot: str | None
    keys: tuple[tuple[str, str, str], ...]

    def values(self, values_by_slot: dict[str, dict]) -> list[list[float | None]]:
        """`Comparison.values` of every comparison, in order."""
        if self.slot is None:
            return [c.values(values_by_slot) for c in self.comparisons]
        row = list(map(values_by_slot[self.slot].get, self.keys))
        values, start = [], 0
        for comparison in self.comparisons:
            stop = start + len(comparison.terms)
            values.append(row[start:stop])
            start = stop
        return values


class Screen:
    """The comparisons of several rules that read one report, as one matrix over its cells."""

    def __init__(self, plans: Sequence[RulePlan], tolerances: Sequence[float]):
        rows = [comparison for plan in plans for comparison in plan.comparisons]
        self.keys = tuple(dict.fromkeys(key for plan in plans for key in plan.keys))
        column = {key: i for i, key in enumerate(self.keys)}
        self.coefficients = np.zeros((len(rows), len(self.keys)))
        self.incidence = np.zeros((len(rows), len(self.keys)), dtype=bool)
        for i, comparison in enumerate(rows):
            for (sign, _), (_, key) in zip(comparison.terms, comparison.lookups, strict=True):
                self.coefficients[i, column[key]] += sign
                self.incidence[i, column[key]] = True
        self.rounding = 1e-12 * np.abs(self.coefficients)
        self.constants = np.array([c.left_constant - c.right_constant for c in rows])
        tolerances = np.repeat(
            np.array(tolerances, dtype=float) + 1e-9, [len(p.comparisons) for p in plans]
        )
        # What a comparison's sides may differ by, less the part of the margin for rounding
        # that does not depend on the report's values (`rounding` gives the rest).
        self.limits = tolerances - 1e-12 * (1.0 + np.abs(self.constants))
        ends = np.cumsum([len(plan.comparisons) for plan in plans]).tolist()
        self.bounds = list(zip([0, *ends[:-1]], ends, strict=True))
        self._positions: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}

    def _row(self, values: dict) -> np.ndarray:
        """The value of each of `keys` (NaN when blank or absent)."""
        if isinstance(values, LayoutValues):
            index, absent = self._layout_index(values.fmt)
            row = values.numbers[index]
            if absent is not None:
                row[absent] = np.nan
            return row
        return np.array(list(map(values.get, self.keys)), dtype=float)  # None becomes NaN

    def _layout_index(self, fmt: str) -> tuple[np.ndarray, np.ndarray | None]:
        """Where each of `keys` is among a layout's values, and which of them it lacks (None
        when it has them all)."""
        if fmt not in self._positions:
            positions = layout_positions(fmt)
            index = np.array([positions.get(key, 0) for key in self.keys], dtype=np.intp)
            absent = np.array([key not in positions for key in self.keys], dtype=bool)
            self._positions[fmt] = (index, absent if absent.any() else None)
        return self._positions[fmt]

    def doubtful(self, values: dict) -> list[list[int]]:
        """For each plan, the comparisons a report's values leave in doubt: one of their cells
        is blank, absent or not finite, or their sides may differ by more than the tolerance.
        Every other comparison holds."""
        row = self._row(values)
        finite = np.isfinite(row)
        all_finite = finite.all()
        known = row if all_finite else np.where(finite, row, 0.0)
        residual = np.abs(self.coefficients @ known + self.constants)
        # Summed in another order than the rules sum them: the margin covers the rounding.
        doubtful = residual > self.limits - self.rounding @ np.abs(known)
        if not all_finite:
            doubtful |= self.incidence[:, ~finite].any(axis=1)
        if not doubtful.any():  # the usual report: every comparison holds
            return [[] for _ in self.bounds]
        rows = np.flatnonzero(doubtful).tolist()
        return [[i - start for i in rows if start <= i < end] for start, end in self.bounds]


def comparisons(rule: Rule, layout: Layout | None, domain: Domain) -> RulePlan:
    """The rule's comparisons over `domain`; kept per layout when there is one (known formats)."""
    if layout is None:
        return compile_rule(rule, domain)
    key = (id(rule), layout)
    kept = _PLANS.get(key)
    if kept is None or kept[0] is not rule:
        # The rule itself is kept alongside, so that its id cannot be reused by another rule.
        kept = _PLANS[key] = (rule, compile_rule(rule, domain))
    return kept[1]


def compile_rule(rule: Rule, domain: Domain) -> RulePlan:
    """One comparison per key the rule iterates over (row or col of its table)."""
    compiled = []
    for key in iteration_keys(rule, domain):
        bindings = {rule.for_each: key}
        left_constant, left = rule.lhs.expand(bindings, domain)
        right_constant, right = rule.rhs.expand(bindings, domain)
        terms = tuple(left + [(-sign, ref) for sign, ref in right])
        compiled.append(
            Comparison(
                bindings=bindings,
                left_constant=left_constant,
                right_constant=right_constant,
                terms=terms,
                lookups=tuple((ref.slot, (ref.table, ref.row, ref.col)) for _, ref in terms),
                left_signs=tuple(sign for sign, _ in left),
                right_signs=tuple(sign for sign, _ in right),
            )
        )
    slots = {slot for comparison in compiled for slot, _ in comparison.lookups}
    return RulePlan(
        comparisons=tuple(compiled),
        slot=slots.pop() if len(slots) == 1 else None,
        keys=tuple(key for comparison in compiled for _, key in comparison.lookups),
    )


def iteration_keys(rule: Rule, domain: Domain) -> list[str]:
    """The rows (or cols) the rule names, else every one its table has, in printed order."""
    explicit = rule.rows if rule.for_each == "row" else rule.cols
    if explicit:
        return list(explicit)
    position = 0 if rule.for_each == "row" else 1
    return list(dict.fromkeys(k[position] for k in domain(THIS, rule.table)))
