"""Run the rules of rules.yaml over reports and turn what breaks into findings.

A rule needing a cell that is blank or absent is skipped for that row/col (never a false
error); each table then gets one `info` finding listing what was skipped. A broken equation
is the report's inconsistency unless the parser doubted the reading of a row (or table) it uses
(nlp.checks.suspects): then it is a probable parse error (`.parse_suspect`, a warning).

The equations are compiled once per table layout (`nlp.checks.plan`); a report's cells are read
once into a mapping (`nlp.checks.cells`), which `analyse` shares with the claim checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

import numpy as np

from nlp.agency import agency_keys
from nlp.checks import rules as vocab
from nlp.checks import suspects
from nlp.checks.cells import CellKey, CellValues, LayoutValues, cell_values, layout_tables
from nlp.checks.changes import change_sentences, check_changes
from nlp.checks.findings import Finding
from nlp.checks.plan import Comparison, Layout, RulePlan, Screen, comparisons
from nlp.checks.rules import Rule, load_rules
from nlp.checks.selectors import PREV, THIS, CellRef, TableKeys, matches_any
from nlp.report import FORMATS, Report, table_keys
from nlp.text.sentences import Sentence

PREDICATES = {
    "non_negative_integer": lambda v: v >= 0 and float(v).is_integer(),
}
# The same tests over an array of values at once, to pass a report whose cells all hold.
BULK_PREDICATES = {
    "non_negative_integer": lambda a: (a >= 0) & np.isfinite(a) & (np.floor(a) == a),
}


def check_tables(
    report: Report, dismissed: Iterable[str] = frozenset(), *, values: CellValues | None = None
) -> list[Finding]:
    """Table-internal findings of one report, without those whose fingerprint is dismissed.

    `values`: the report's `cell_values`, when the caller has them already."""
    context = _Context({THIS: report}, None if values is None else {THIS: values})
    findings: list[Finding] = []
    absent: set[str] = set()
    rules = _table_rules(report.format)
    doubtful = _doubtful(rules, context)
    for rule in rules:
        if rule.for_each != "cell" and not context.has_table(THIS, rule.table):
            # A report of unknown format (an old layout) need not have the tables at all.
            if report.format is not None:
                absent.add(rule.table)
            continue
        indices = doubtful.get(id(rule))
        if indices == []:
            continue  # the screen found that every comparison of the rule holds
        findings.extend(_run(rule, context, indices))
    findings.extend(_absent_findings(report, sorted(absent)))
    findings.extend(context.skip_findings())
    return _without(findings, dismissed)


# The table rules of each format (a closed set of keys), with the rules they were taken from, so
# that a reloaded set of rules is not answered from an old one.
_TABLE_RULES: dict[str | None, tuple[tuple[Rule, ...], list[Rule]]] = {}


def _table_rules(fmt: str | None) -> list[Rule]:
    every = load_rules()
    kept = _TABLE_RULES.get(fmt)
    if kept is None or kept[0] is not every:
        rules = [r for r in every if r.kind == "table" and r.applies_to(fmt)]
        kept = _TABLE_RULES[fmt] = (every, rules)
    return kept[1]


def check_cross_year(
    reports: Iterable[Report],
    dismissed: Iterable[str] = frozenset(),
    narratives: Mapping[str, Sequence[Sentence]] | None = None,
) -> list[Finding]:
    """Findings between each report and the same agency's report of the year before: the
    cross-year rules, and the change claims of its narrative (nlp.checks.changes).

    `narratives`: the narrative sentences by report source, for reports rebuilt without their
    text (a batch's); by default each report's own `sentences`."""
    findings: list[Finding] = []
    for previous, current in consecutive_pairs(reports):
        context = _Context({THIS: current, PREV: previous})
        for rule in load_rules():
            if rule.kind != "cross_year":
                continue
            if _applies(rule, context):
                findings.extend(_run(rule, context))
        findings.extend(context.skip_findings())
        stated = None
        if narratives is not None:
            stated = change_sentences(current, narratives.get(current.source, ()))
        findings.extend(check_changes(previous, current, stated))
    return _without(findings, dismissed)


def _applies(rule: Rule, context: _Context) -> bool:
    """Every report the rule reads is of a format it holds for; of unknown format, has the table."""
    for selector in rule.lhs.selectors + rule.rhs.selectors:
        report = context.reports[selector.slot]
        if not rule.applies_to(report.format):
            return False
        if report.format is None and not context.has_table(selector.slot, selector.table):
            return False
    return True


def consecutive_pairs(reports: Iterable[Report]) -> list[tuple[Report, Report]]:
    """(last year's, this year's) reports of one agency; agencies matched by `agency_keys`."""
    reports = list(reports)
    keys = agency_keys(r.agency for r in reports)
    by_agency: dict[str, dict[int, list[Report]]] = defaultdict(lambda: defaultdict(list))
    for report in reports:
        agency = keys.get(report.agency, "")
        if agency and report.year is not None:
            by_agency[agency][report.year].append(report)
    pairs = []
    for years in by_agency.values():
        for year in sorted(years):
            for current in years[year]:
                pairs.extend((previous, current) for previous in years.get(year - 1, []))
    return pairs


@dataclass
class _Skip:
    rule: Rule
    bindings: dict[str, str]
    missing: list[CellRef]


class _Context:
    """The reports a rule reads (this year's, and last year's across years), and its skips."""

    def __init__(self, reports: dict[str, Report], values: dict[str, CellValues] | None = None):
        self.reports = reports
        self.skips: list[_Skip] = []
        values = values or {}
        self._values = {
            slot: values[slot] if slot in values else cell_values(report)
            for slot, report in reports.items()
        }
        self._tables: dict[str, set[str] | frozenset[str]] = {}
        self._found: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self.layout = _layout(reports)
        # The rows (and tables) of each report whose reading is in doubt (nlp.checks.suspects).
        self.doubts = {slot: suspects.doubts(r.warnings) for slot, r in self.reports.items()}

    @property
    def report(self) -> Report:
        return self.reports[THIS]

    def values(self, slot: str) -> CellValues:
        return self._values[slot]

    def value(self, ref: CellRef) -> float | None:
        return self._values[ref.slot].get((ref.table, ref.row, ref.col))

    def plan_values(self, plan: RulePlan) -> list[list[float | None]]:
        return plan.values(self._values)

    def comparison_values(self, comparison: Comparison) -> list[float | None]:
        return comparison.values(self._values)

    def has_table(self, slot: str, table: str) -> bool:
        if slot not in self._tables:
            values = self._values[slot]
            if isinstance(values, LayoutValues):
                self._tables[slot] = layout_tables(values.fmt)
            else:
                self._tables[slot] = set(map(itemgetter(0), values))
        return table in self._tables[slot]

    def domain(self, slot: str, table: str) -> Sequence[tuple[str, str]]:
        """Every (row, col) the table has: its layout's when the format is known."""
        report = self.reports[slot]
        if report.format in FORMATS:
            if report.mixed_layout:
                return _mixed_keys(table, report.format)
            return _layout_keys(table, report.format)
        # Rules ask for a table's keys once per selector: an unknown layout's are found once.
        if (slot, table) not in self._found:
            self._found[(slot, table)] = _found_keys(table, self._values[slot])
        return self._found[(slot, table)]

    def year_of(self, slot: str) -> int | None:
        return self.reports[slot].year

    def skip_findings(self) -> list[Finding]:
        by_table: dict[tuple[str, str], list[_Skip]] = defaultdict(list)
        for skip in self.skips:
            by_table[(skip.rule.kind, skip.rule.table)].append(skip)
        return [
            _skipped_finding(self, kind, table, skips) for (kind, table), skips in by_table.items()
        ]


def _layout(reports: dict[str, Report]) -> Layout | None:
    """What the reports' table keys depend on, or None when they depend on the cells found."""
    if any(report.format not in FORMATS for report in reports.values()):
        return None
    return tuple((slot, r.format, r.mixed_layout) for slot, r in reports.items())


def _found_keys(table: str, values: CellValues) -> TableKeys:
    """The keys both formats give the table, then any other the report has, in its order."""
    shared = _layout_keys(table, None)
    known = set(shared)
    return TableKeys(
        shared + tuple((r, c) for t, r, c in values if t == table and (r, c) not in known)
    )


@cache
def _layout_keys(table: str, fmt: str | None) -> TableKeys:
    """The table's (row, col) keys in a format; for an unknown format, those both formats share."""
    if fmt is not None:
        return TableKeys(table_keys(table, fmt))
    both = set(table_keys(table, FORMATS[1]))
    return TableKeys(k for k in table_keys(table, FORMATS[0]) if k in both)


@cache
def _mixed_keys(table: str, fmt: str) -> TableKeys:
    """The table as printed in its mixed layout (layouts.yaml `mixed_layout`)."""
    return TableKeys(table_keys(table, fmt, mixed=True))


# A screen per layout and set of rules; the rules are kept alongside, so that a rule whose id
# is another's that has gone is not taken for it.
_SCREENS: dict[tuple, tuple[list[Rule], Screen]] = {}


def _doubtful(rules: list[Rule], context: _Context) -> dict[int, list[int]]:
    """id(rule) → the comparisons of the rule the report's values leave in doubt (nlp.checks.plan
    `Screen`); a rule not listed has all of its comparisons worked out."""
    equations = [rule for rule in rules if rule.for_each != "cell"]
    if context.layout is None or not equations:
        return {}
    key = (context.layout, *map(id, equations))
    kept = _SCREENS.get(key)
    if kept is None or kept[0] != equations:
        plans = [comparisons(rule, context.layout, context.domain) for rule in equations]
        if any(plan.slot != THIS for plan in plans):
            return {}
        kept = _SCREENS[key] = (equations, Screen(plans, [r.tolerance for r in equations]))
    doubtful = kept[1].doubtful(context.values(THIS))
    return dict(zip(map(id, equations), doubtful, strict=True))


def _run(rule: Rule, context: _Context, doubtful: list[int] | None = None) -> list[Finding]:
    """The rule's findings; only the comparisons `doubtful` lists when it is given."""
    if rule.for_each == "cell":
        return _run_predicate(rule, context)
    findings = []
    plan = comparisons(rule, context.layout, context.domain)
    if doubtful is None:
        pairs = zip(plan.comparisons, context.plan_values(plan), strict=True)
    else:
        pairs = (
            (comparison, context.comparison_values(comparison))
            for comparison in (plan.comparisons[i] for i in doubtful)
        )
    for comparison, values in pairs:
        finding = _evaluate(rule, comparison, values, context)
        if finding is not None:
            findings.append(finding)
    return findings


def _evaluate(
    rule: Rule, comparison: Comparison, values: list, context: _Context
) -> Finding | None:
    if None in values:
        missing = [
            ref for (_, ref), value in zip(comparison.terms, values, strict=True) if value is None
        ]
        context.skips.append(_Skip(rule, comparison.bindings, list(dict.fromkeys(missing))))
        return None
    lhs, rhs = comparison.sides(values)
    if abs(lhs - rhs) <= rule.tolerance + 1e-9:
        return None
    valued = [
        (sign, ref, value) for (sign, ref), value in zip(comparison.terms, values, strict=True)
    ]
    return _violation(rule, comparison.bindings, context, lhs, rhs, valued)


def _violation(rule, bindings, context, lhs, rhs, valued) -> Finding:
    refs = list(dict.fromkeys(ref for _, ref, _ in valued))
    fields = _message_fields(rule, bindings, context) | {
        "lhs": _number(lhs),
        "rhs": _number(rhs),
        "diff": _number(abs(lhs - rhs)),
    }
    message = rule.message.format_map(fields)
    return _finding(rule, context, message, refs, _suspect_reasons(context, refs))


def _suspect_reasons(context: _Context, refs: list[CellRef]) -> list[str]:
    """The one clause saying which row's reading is in doubt and why, when one is."""
    by_slot: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for ref in refs:
        by_slot[ref.slot].append((ref.table, ref.row))
    for slot, rows in by_slot.items():
        clause = suspects.suspect_clause(rows, context.doubts[slot])
        if clause:
            return [clause]
    return []


def _run_predicate(rule: Rule, context: _Context) -> list[Finding]:
    test = PREDICATES[rule.predicate]
    selected = _selection(rule)
    findings = []
    for key, value in _may_fail(rule, context.values(THIS)):
        if value is None or test(value):
            continue
        if key not in selected:
            selected[key] = _selected(rule, *key)
        if not selected[key]:
            continue
        table, row, col = key
        ref = CellRef(THIS, table, row, col)
        fields = _message_fields(rule, {"row": row, "col": col}, context, table) | {
            "value": _number(value)
        }
        reasons = _suspect_reasons(context, [ref])
        findings.append(_finding(rule, context, rule.message.format_map(fields), [ref], reasons))
    return findings


def _may_fail(rule: Rule, values: CellValues) -> list[tuple[CellKey, float | None]]:
    """The cells, in order, that may fail the rule's predicate: those its bulk test (all cells
    at once) fails, or every cell when the predicate has no bulk test."""
    bulk = BULK_PREDICATES.get(rule.predicate)
    if bulk is None:
        return list(values.items())
    if isinstance(values, LayoutValues):
        numbers = values.numbers
    else:
        numbers = np.array(list(values.values()), dtype=float)  # None becomes NaN
    failing = np.flatnonzero(~(np.isnan(numbers) | bulk(numbers))).tolist()
    if not failing:
        return []
    keys = list(values)
    return [(keys[i], values[keys[i]]) for i in failing]


# Cell keys repeat across reports: whether a rule selects one is worked out once per rule and key.
_SELECTIONS: dict[int, tuple[Rule, dict[CellKey, bool]]] = {}


def _selection(rule: Rule) -> dict[CellKey, bool]:
    kept = _SELECTIONS.get(id(rule))
    if kept is None or kept[0] is not rule:
        kept = _SELECTIONS[id(rule)] = (rule, {})
    return kept[1]


def _selected(rule: Rule, table: str, row: str, col: str) -> bool:
    def hit(selector) -> bool:
        return (
            matches_any(table, [selector.table])
            and matches_any(row, selector.rows)
            and matches_any(col, selector.cols)
        )

    return hit(rule.select) and not any(hit(s) for s in rule.exclude)


def _message_fields(rule, bindings, context, table: str | None = None) -> dict[str, str]:
    table = table or rule.table
    row, col = bindings.get("row", ""), bindings.get("col", "")
    previous = context.reports.get(PREV)
    return {
        "table_label": vocab.table_label(table),
        "row": row,
        "col": col,
        "row_label": vocab.row_label(table, row) if row else "",
        "col_label": vocab.col_label(table, col) if col else "",
        "year": _text(context.report.year),
        "prev_year": _text(previous.year if previous else None),
    }


def _finding(rule: Rule, context: _Context, message: str, refs, reasons) -> Finding:
    rule_id, severity = rule.id, rule.severity
    if reasons:
        texts = vocab.config()["parse_suspect"]
        rule_id += texts["suffix"]
        severity = "info" if rule.severity == "info" else texts["severity"]
        message = texts["prefix"] + message + "；" + "；".join(reasons)
    return Finding(
        rule=rule_id,
        kind=rule.kind,
        severity=severity,
        message=message,
        section=refs[0].table if rule.for_each == "cell" else rule.table,
        evidence=_evidence(context, refs),
        cells=[_cell_dict(context, ref) for ref in refs],
        source=context.report.source,
        agency=context.report.agency,
        year=context.report.year,
    )


def _skipped_finding(context: _Context, kind: str, table: str, skips: list[_Skip]) -> Finding:
    texts = vocab.config()["skipped"]
    by_rule: dict[str, list[str]] = defaultdict(list)
    for skip in skips:
        ((name, key),) = skip.bindings.items()
        label = vocab.row_label(table, key) if name == "row" else vocab.col_label(table, key)
        by_rule[skip.rule.title].append(label)
    checks = "；".join(f"{title}（{'、'.join(labels)}）" for title, labels in by_rule.items())
    missing = list(dict.fromkeys(ref for skip in skips for ref in skip.missing))
    return Finding(
        rule=texts["id"].format(kind=kind),
        kind=kind,
        severity="info",
        message=texts["message"].format(
            table_label=vocab.table_label(table), count=len(skips), checks=checks
        ),
        section=table,
        evidence=_evidence(context, missing),
        cells=[_cell_dict(context, ref) for ref in missing],
        source=context.report.source,
        agency=context.report.agency,
        year=context.report.year,
    )


def _absent_findings(report: Report, tables: list[str]) -> list[Finding]:
    texts = vocab.config()["skipped"]
    return [
        Finding(
            rule=texts["id"].format(kind="table"),
            kind="table",
            severity="info",
            message=texts["table_absent"].format(table_label=vocab.table_label(table)),
            section=table,
            cells=[{"table": table, "row": "*", "col": "*", "value": None}],
            source=report.source,
            agency=report.agency,
            year=report.year,
        )
        for table in tables
    ]


def _cell_dict(context: _Context, ref: CellRef) -> dict:
    cell = {"table": ref.table, "row": ref.row, "col": ref.col, "value": context.value(ref)}
    if PREV in context.reports:
        cell["year"] = context.year_of(ref.slot)
    return cell


def _evidence(context: _Context, refs: list[CellRef]) -> str:
    """The cells as people read them: 表三：予以公开/总计=2，… (with years across years)."""
    groups: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ref in refs:
        value = context.value(ref)
        shown = "空" if value is None else _number(value)
        groups[(ref.slot, ref.table)].append(
            f"{vocab.cell_label(ref.table, ref.row, ref.col)}={shown}"
        )
    parts = []
    for (slot, table), cells in groups.items():
        year = f"{context.year_of(slot)}年" if PREV in context.reports else ""
        parts.append(f"{year}{vocab.table_label(table)}：{'，'.join(cells)}")
    return "；".join(parts)


def _without(findings: list[Finding], dismissed: Iterable[str]) -> list[Finding]:
    dismissed = set(dismissed)
    return [f for f in findings if f.fingerprint not in dismissed]


def _number(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _text(value) -> str:
    return "" if value is None else str(value)
