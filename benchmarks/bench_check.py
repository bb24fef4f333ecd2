"""Recall of injected contradictions and error-severity false alarms of `nlp.check`.

Writes a generated corpus with injected errors (nlp.corpus.write_corpus) to a temporary folder,
reads every file with `nlp.read`, runs the whole check (table, claim, narrative, cross-year) and
compares the findings with the truth (`truth/errors.parquet`) report by report, per error rule:

- recall: an injected error is found when a finding of its report has the matching rule
  (a `.parse_suspect` variant counts) with severity error or warning; recall with severity
  error only is printed too;
- false alarms: error-severity findings on reports with no injected error, per 100 such
  reports; a cross-year error on a report whose previous year had an injected error is a true
  contradiction between the two reports and is printed apart, not counted;
- true statements: scope (收到 N 件 = 新收 + 上年结转) must be explained by a warning of their
  rule, never an error; truth (true 全部办结/均获维持, changes, combined metrics, lists of parts
  that add up) must yield no warning or error of their rule at all;
- false alarms are counted on reports with no injected error (true statements allowed).

`--extra-kinds` (default: all) turns on the generator's extra kinds
(nlp.corpus.inject.EXTRA_KINDS): qualitative statements the table contradicts (claim.all_handled,
claim.all_upheld), true totals in another scope, changes last year's table contradicts
(claim.change), combined metrics (claim.requests_disclosed/unavailable/denied), parts in the
shapes 分别为/包括/合计/N categories (narrative.parts_sum) and true statements of those kinds.

    .venv/bin/python benchmarks/bench_check.py [--n 300] [--inject 0.5] [--seed 7]
        [--formats txt,md,html,docx,pdf] [--extra-kinds statement,scope,change,...]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import nlp  # noqa: E402
from nlp.analysis import check_findings  # noqa: E402
from nlp.corpus import write_corpus  # noqa: E402
from nlp.corpus.inject import EXTRA_KINDS  # noqa: E402

# The generator's rule names for table and cross-year errors, as the checker names them.
RULE_OF_TRUTH = {
    "table.requests_row_sum": "table.requests_row_total",
    "table.requests_balance": "table.requests_balance",
    "table.requests_outcomes": "table.requests_handled_total",
    "table.review_row_sum": "table.review_row_total",
    "cross_year.carried_over": "cross_year.requests_carried_over",
}
FOUND = ("error", "warning")
# Truth kinds that are true statements: in another scope (found as a warning, never an error),
# or plainly true (no warning or error of their rule).
TRUE_KINDS = ("scope", "truth")


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        root = write_corpus(
            tmp,
            args.n,
            seed=args.seed,
            formats=tuple(args.formats.split(",")),
            inject=args.inject,
            extra_kinds=tuple(k for k in args.extra_kinds.split(",") if k),
        )
        root = Path(root) if root else Path(tmp)
        print(f"generated {args.n} reports in {time.perf_counter() - started:.1f} s")
        truth = _truth(root)
        started = time.perf_counter()
        reports, unreadable = _read_all(root, truth["reports"])
        findings = check_findings(list(reports.values()))
        seconds = time.perf_counter() - started
    print(f"read + checked {len(reports)} reports in {seconds:.1f} s ({unreadable} unreadable)")
    by_report = _findings_by_report(findings, reports)
    errors = truth["errors"]
    _print_recall(errors[~errors["kind"].isin(TRUE_KINDS)], by_report)
    _print_true_statements(errors[errors["kind"].isin(TRUE_KINDS)], by_report)
    _print_false_alarms(truth["reports"], truth["errors"], by_report)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--inject", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--formats", default="txt,md,html,docx,pdf")
    parser.add_argument(
        "--extra-kinds",
        default=",".join(EXTRA_KINDS),
        help="kinds of nlp.corpus.inject.EXTRA_KINDS to inject too ('' for none)",
    )
    return parser.parse_args()


def _truth(root: Path) -> dict[str, pd.DataFrame]:
    return {
        name: pd.read_parquet(root / "truth" / f"{name}.parquet") for name in ("reports", "errors")
    }


def _read_all(root: Path, reports: pd.DataFrame):
    read, unreadable = {}, 0
    for row in reports.itertuples(index=False):
        try:
            read[row.report_id] = nlp.read(root / row.file)
        except nlp.ReadError:
            unreadable += 1
    return read, unreadable


def _findings_by_report(findings, reports) -> dict[str, list]:
    id_of = {report.source: report_id for report_id, report in reports.items()}
    grouped = defaultdict(list)
    for finding in findings:
        grouped[id_of[finding.source]].append(finding)
    return grouped


def _base_rule(rule: str) -> str:
    return rule.removesuffix(".parse_suspect")


def _print_recall(errors: pd.DataFrame, by_report: dict[str, list]) -> None:
    found, found_as_error, total = Counter(), Counter(), Counter()
    missed, only_warned = [], []
    for error in errors.itertuples(index=False):
        wanted = RULE_OF_TRUTH.get(error.rule, error.rule)
        hits = [f for f in by_report.get(error.report_id, []) if _base_rule(f.rule) == wanted]
        total[error.rule] += 1
        if any(f.severity in FOUND for f in hits):
            found[error.rule] += 1
        else:
            missed.append((error.report_id, error.rule, error.description))
        if any(f.severity == "error" for f in hits):
            found_as_error[error.rule] += 1
        elif hits:
            warned = next((f for f in hits if f.severity in FOUND), hits[0])
            only_warned.append((error.report_id, error.rule, warned.message))
    print(f"\n{'injected error rule':<34}{'n':>5}{'recall':>9}{'as error':>10}")
    for rule in sorted(total):
        print(
            f"{rule:<34}{total[rule]:>5}{found[rule] / total[rule]:>9.3f}"
            f"{found_as_error[rule] / total[rule]:>10.3f}"
        )
    n = sum(total.values())
    print(
        f"{'ALL':<34}{n:>5}{sum(found.values()) / n:>9.3f}{sum(found_as_error.values()) / n:>10.3f}"
    )
    for report_id, rule, description in missed[:15]:
        print(f"  missed {report_id} {rule}: {description}")
    for report_id, rule, message in only_warned[:15]:
        print(f"  not as error {report_id} {rule}: {message[:140]}")


def _print_true_statements(truths: pd.DataFrame, by_report: dict[str, list]) -> None:
    """True statements: a scope total explained as a warning is right, any other warning on a
    true statement is a false warning, an error a false alarm."""
    warned, as_error, total = Counter(), Counter(), Counter()
    flagged = []
    for truth in truths.itertuples(index=False):
        hits = [f for f in by_report.get(truth.report_id, []) if _base_rule(f.rule) == truth.rule]
        key = f"{truth.kind}:{truth.rule}"
        total[key] += 1
        warned[key] += any(f.severity == "warning" for f in hits)
        as_error[key] += any(f.severity == "error" for f in hits)
        if truth.kind != "scope" and any(f.severity in FOUND for f in hits):
            flagged.append((truth.report_id, key, truth.description))
    print(f"\n{'true statement (scope: want warned)':<36}{'n':>5}{'warned':>9}{'as error':>10}")
    for key in sorted(total):
        print(
            f"{key:<36}{total[key]:>5}{warned[key] / total[key]:>9.3f}"
            f"{as_error[key] / total[key]:>10.3f}"
        )
    for report_id, key, description in flagged[:10]:
        print(f"  flagged true {report_id} {key}: {description[:100]}")


def _print_false_alarms(reports: pd.DataFrame, errors: pd.DataFrame, by_report) -> None:
    injected = set(errors.loc[~errors["kind"].isin(TRUE_KINDS), "report_id"])
    key = {r.report_id: (r.agency, r.year) for r in reports.itertuples(index=False)}
    injected_keys = {key[i] for i in injected}
    clean = [i for i in reports["report_id"] if i not in injected]
    alarms = Counter()
    after_injected = 0
    for report_id in clean:
        for finding in by_report.get(report_id, []):
            if finding.severity != "error":
                continue
            alarms[finding.rule] += 1
            agency, year = key[report_id]
            if (agency, year - 1) in injected_keys and finding.kind == "cross_year":
                after_injected += 1
            elif len(alarms) <= 10:
                print(f"  false alarm {report_id} {finding.rule}: {finding.message[:120]}")
    # A cross-year error after an injected previous year is a true contradiction between two
    # published reports (the later one is merely where it is reported), so it is no false alarm.
    total = sum(alarms.values())
    own = total - after_injected
    print(
        f"\nerror-severity false alarms on {len(clean)} clean reports: {own} "
        f"({100 * own / max(1, len(clean)):.2f} per 100)"
    )
    print(
        f"  not counted: {after_injected} cross-year errors against an injected previous year "
        f"(all error findings on clean reports: {total})"
    )
    for rule, count in alarms.most_common():
        print(f"  {rule:<40}{count:>5}")


if __name__ == "__main__":
    main()
