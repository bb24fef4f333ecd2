"""The rules of `rules.yaml` as objects, and the Chinese labels their messages use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

import yaml

from nlp.checks.selectors import Expression, Selector, parse_expression, parse_selector
from nlp.report import FORMATS, layouts

ITERATIONS = ("row", "col", "cell")


class RuleError(ValueError):
    """A rule in rules.yaml that cannot be used: the message names the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    kind: str
    severity: str
    message: str
    applies: tuple[str, ...]
    for_each: str
    tolerance: float = 0.0
    lhs: Expression | None = None
    rhs: Expression | None = None
    rows: tuple[str, ...] = ()
    cols: tuple[str, ...] = ()
    select: Selector | None = None
    exclude: tuple[Selector, ...] = ()
    predicate: str | None = None

    @cached_property  # read for every report; frozen dataclasses keep it in __dict__
    def table(self) -> str:
        """The table the rule iterates over: the one its selection or left side names."""
        if self.select is not None:
            return self.select.table
        return self.lhs.selectors[0].table

    def applies_to(self, fmt: str | None) -> bool:
        """Unknown format: only rules that hold whatever the format."""
        if fmt is None:
            return set(FORMATS) <= set(self.applies)
        return fmt in self.applies


@cache
def config() -> dict[str, Any]:
    text = resources.files("nlp.checks").joinpath("rules.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@cache
def load_rules() -> tuple[Rule, ...]:
    return tuple(rule_from_dict(entry) for entry in config()["rules"])


def rule_from_dict(entry: dict[str, Any]) -> Rule:
    rule_id = entry.get("id", "?")
    try:
        rule = Rule(
            id=rule_id,
            title=entry.get("title", rule_id),
            kind=entry["kind"],
            severity=entry["severity"],
            message=entry["message"],
            applies=tuple(str(f) for f in entry.get("applies", FORMATS)),
            for_each=entry["for_each"],
            tolerance=float(entry.get("tolerance", 0)),
            lhs=_expression(entry.get("lhs")),
            rhs=_expression(entry.get("rhs")),
            rows=tuple(entry.get("rows", ())),
            cols=tuple(entry.get("cols", ())),
            select=parse_selector(entry["select"]) if "select" in entry else None,
            exclude=tuple(parse_selector(s) for s in entry.get("exclude", ())),
            predicate=entry.get("predicate"),
        )
    except (KeyError, ValueError) as error:
        raise RuleError(f"rule {rule_id}: {error}") from error
    _validate(rule)
    return rule


def _expression(text: str | None) -> Expression | None:
    return parse_expression(text) if text else None


def _validate(rule: Rule) -> None:
    if rule.for_each not in ITERATIONS:
        raise RuleError(f"rule {rule.id}: for_each must be one of {ITERATIONS}")
    if rule.for_each == "cell":
        if rule.select is None or rule.predicate is None:
            raise RuleError(f"rule {rule.id}: for_each cell needs select and predicate")
    elif rule.lhs is None or rule.rhs is None or not rule.lhs.selectors:
        raise RuleError(f"rule {rule.id}: needs lhs (with a cell) and rhs")


def table_label(table: str) -> str:
    return config()["table_labels"].get(table, table)


def row_label(table: str, row: str) -> str:
    return _row_labels(table).get(row, row)


@cache
def _row_labels(table: str) -> dict[str, str]:
    """row → label: the table's `row_labels`, else the first label of the row's entry."""
    spec = layouts()["tables"].get(table, {})
    labels: dict[str, str] = {}
    for entry in spec.get("rows", []):
        if isinstance(entry, dict) and "key" in entry:
            labels.setdefault(entry["key"], entry["labels"][0])
    return labels | spec.get("row_labels", {})


def col_label(table: str, col: str) -> str:
    return _col_labels(table).get(col) or col


@cache
def _col_labels(table: str) -> dict[str, str]:
    """col → label: the layout's `col_labels`, else those of rules.yaml."""
    layout = layouts()["tables"].get(table, {}).get("col_labels", {})
    extra = config()["col_labels"].get(table, {})
    return {col: layout.get(col) or extra.get(col) for col in {**extra, **layout}}


def cell_label(table: str, row: str, col: str) -> str:
    return f"{row_label(table, row)}/{col_label(table, col)}"
