"""Run the rules of rules.yaml over reports and turn what breaks into findings.

A rule needing a cell that is blank or absent is skipped for that row/col (never a false
error); each table then gets one `info` finding listing what was skipped. A broken equation
that touches a row the parser warned about, or that a moved digit would mend, is reported as
a probable parse error (`.parse_suspect`, a warning), not as the agency's mistake.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from nlp.checks import rules as vocab
from nlp.checks import suspects
from nlp.checks.findings import Finding, normalise_agency
from nlp.checks.rules import Rule, load_rules
from nlp.checks.selectors import PREV, THIS, CellRef, matches_any
from nlp.report import FORMATS, Report, table_keys

PREDICATES = {
    "non_negative_integer": lambda v: v >= 0 and float(v).is_integer(),
}


def check_tables(report: Report, dismissed: Iterable[str] = frozenset()) -> list[Finding]:
    """Table-internal findings of one report, without those whose fingerprint is dismissed."""
    context = _Context({THIS: report})
    findings: list[Finding] = []
    absent: set[str] = set()
    for rule in load_rules():
        if rule.kind != "table" or not rule.applies_to(report.format):
            continue
        if rule.for_each != "cell" and not context.has_table(THIS, rule.table):
            # A report of unknown format (an old layout) need not have the tables at all.
            if report.format is not None:
                absent.add(rule.table)
            continue
        findings.extend(_run(rule, context))
    findings.extend(_absent_findings(report, sorted(absent)))
    findings.extend(context.skip_findings())
    return _without(findings, dismissed)


def check_cross_year(
    reports: Iterable[Report], dismissed: Iterable[str] = frozenset()
) -> list[Finding]:
    """Findings between each report and the same agency's report of the year before."""
    findings: list[Finding] = []
    for previous, current in consecutive_pairs(reports):
        context = _Context({THIS: current, PREV: previous})
        for rule in load_rules():
            if rule.kind != "cross_year":
                continue
            if _applies(rule, context):
                findings.extend(_run(rule, context))
        findings.extend(context.skip_findings())
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
    """(last year's, this year's) reports of one agency; agencies compared by normalised name."""
    by_agency: dict[str, dict[int, list[Report]]] = defaultdict(lambda: defaultdict(list))
    for report in reports:
        agency = normalise_agency(report.agency)
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


@dataclass
class _Context:
    """The reports a rule reads (this year's, and last year's across years), and its skips."""

    reports: dict[str, Report]
    skips: list[_Skip] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._values = {slot: _cell_values(r) for slot, r in self.reports.items()}
        self.warned: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for slot, report in self.reports.items():
            for w in report.warnings:
                if w.table and w.row and w.code not in self.warned[(slot, w.table, w.row)]:
                    self.warned[(slot, w.table, w.row)].append(w.code)

    @property
    def report(self) -> Report:
        return self.reports[THIS]

    def values(self, slot: str) -> dict[tuple[str, str, str], float | None]:
        return self._values[slot]

    def value(self, ref: CellRef) -> float | None:
        return self._values[ref.slot].get((ref.table, ref.row, ref.col))

    def has_table(self, slot: str, table: str) -> bool:
        return any(key[0] == table for key in self._values[slot])

    def domain(self, slot: str, table: str) -> list[tuple[str, str]]:
        """Every (row, col) the table has: its layout's when the format is known."""
        report = self.reports[slot]
        if report.format in FORMATS:
            if report.mixed_layout and table == "requests":
                return _mixed_requests_keys(report.format)
            return _layout_keys(table, report.format)
        present = [(r, c) for t, r, c in self._values[slot] if t == table]
        shared = _layout_keys(table, None)
        return list(shared) + [k for k in present if k not in shared]

    def year_of(self, slot: str) -> int | None:
        return self.reports[slot].year

    def skip_findings(self) -> list[Finding]:
        by_table: dict[tuple[str, str], list[_Skip]] = defaultdict(list)
        for skip in self.skips:
            by_table[(skip.rule.kind, skip.rule.table)].append(skip)
        return [
            _skipped_finding(self, kind, table, skips) for (kind, table), skips in by_table.items()
        ]


@cache
def _layout_keys(table: str, fmt: str | None) -> tuple[tuple[str, str], ...]:
    """The table's (row, col) keys in a format; for an unknown format, those both formats share."""
    if fmt is not None:
        return tuple(table_keys(table, fmt))
    both = set(table_keys(table, FORMATS[1]))
    return tuple(k for k in table_keys(table, FORMATS[0]) if k in both)


@cache
def _mixed_requests_keys(fmt: str) -> tuple[tuple[str, str], ...]:
    """A revised-format table 三 that prints the trial layout's single （六）其他处理 row."""
    trial_other = [k for k in table_keys("requests", "2019") if k[0] == "other"]
    keys = [k for k in table_keys("requests", fmt) if not k[0].startswith("other.")]
    at = next(i for i, k in enumerate(keys) if k[0] == "handled_total")
    return tuple(keys[:at] + trial_other + keys[at:])


def _cell_values(report: Report) -> dict[tuple[str, str, str], float | None]:
    values: dict[tuple[str, str, str], float | None] = {}
    cells = report.cells
    columns = (cells[name].tolist() for name in ("table", "row", "col", "value"))
    for table, row, col, value in zip(*columns, strict=True):
        number = None if value is None or _is_nan(value) else float(value)
        # A key the parser emitted twice keeps its first readable value.
        if values.get((table, row, col)) is None:
            values[(table, row, col)] = number
    return values


def _is_nan(value) -> bool:
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def _run(rule: Rule, context: _Context) -> list[Finding]:
    if rule.for_each == "cell":
        return _run_predicate(rule, context)
    findings = []
    for key in _iteration_keys(rule, context):
        finding = _evaluate(rule, {rule.for_each: key}, context)
        if finding is not None:
            findings.append(finding)
    return findings


def _iteration_keys(rule: Rule, context: _Context) -> list[str]:
    explicit = rule.rows if rule.for_each == "row" else rule.cols
    if explicit:
        return list(explicit)
    position = 0 if rule.for_each == "row" else 1
    return list(dict.fromkeys(k[position] for k in context.domain(THIS, rule.table)))


def _evaluate(rule: Rule, bindings: dict[str, str], context: _Context) -> Finding | None:
    left_constant, left = rule.lhs.expand(bindings, context.domain)
    right_constant, right = rule.rhs.expand(bindings, context.domain)
    terms = left + [(-sign, ref) for sign, ref in right]
    missing = [ref for _, ref in terms if context.value(ref) is None]
    if missing:
        context.skips.append(_Skip(rule, bindings, list(dict.fromkeys(missing))))
        return None
    lhs = left_constant + sum(sign * context.value(ref) for sign, ref in left)
    rhs = right_constant + sum(sign * context.value(ref) for sign, ref in right)
    if abs(lhs - rhs) <= rule.tolerance + 1e-9:
        return None
    valued = [(sign, ref, context.value(ref)) for sign, ref in terms]
    return _violation(rule, bindings, context, lhs, rhs, valued)


def _violation(rule, bindings, context, lhs, rhs, valued) -> Finding:
    refs = list(dict.fromkeys(ref for _, ref, _ in valued))
    fields = _message_fields(rule, bindings, context) | {
        "lhs": _number(lhs),
        "rhs": _number(rhs),
        "diff": _number(abs(lhs - rhs)),
    }
    message = rule.message.format_map(fields)
    reasons = _suspect_reasons(context, refs, valued, lhs, rhs)
    return _finding(rule, context, message, refs, reasons)


def _suspect_reasons(context, refs, valued, lhs, rhs) -> list[str]:
    texts = vocab.config()["parse_suspect"]
    reasons = [
        texts["warned"].format(
            row_label=vocab.row_label(ref.table, ref.row), codes="、".join(codes)
        )
        for ref, codes in suspects.warned_rows(refs, context.warned)
    ]
    for split in suspects.split_digit_cells(valued, lhs - rhs):
        reasons.append(
            texts["split_cell"].format(
                cell_label=vocab.cell_label(split.ref.table, split.ref.row, split.ref.col),
                value=_number(split.value),
                needed=_number(split.needed),
            )
        )
    if not reasons and suspects.digits_related(lhs, rhs):
        reasons.append(texts["split_sides"].format(lhs=_number(lhs), rhs=_number(rhs)))
    return reasons


def _run_predicate(rule: Rule, context: _Context) -> list[Finding]:
    test = PREDICATES[rule.predicate]
    findings = []
    for (table, row, col), value in context.values(THIS).items():
        if value is None or not _selected(rule, table, row, col) or test(value):
            continue
        ref = CellRef(THIS, table, row, col)
        fields = _message_fields(rule, {"row": row, "col": col}, context, table) | {
            "value": _number(value)
        }
        reasons = [
            vocab.config()["parse_suspect"]["warned"].format(
                row_label=vocab.row_label(table, row), codes="、".join(codes)
            )
            for _, codes in suspects.warned_rows([ref], context.warned)
        ]
        findings.append(_finding(rule, context, rule.message.format_map(fields), [ref], reasons))
    return findings


@cache  # rules are frozen and cell keys repeat across reports
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
