"""The checks against the generator's extra kinds (nlp.corpus.inject.EXTRA_KINDS): every injected
change, combined metric and list of parts in the new shapes is found as an error; every true
statement of those kinds (truth) yields no warning or error of its rule."""

from __future__ import annotations

import pandas as pd
import pytest

import nlp
from nlp.analysis import check_findings
from nlp.corpus import write_corpus
from nlp.corpus.inject import EXTRA_KINDS

NEW_KINDS = ("change", "combined", "shape")


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    root = write_corpus(
        tmp_path_factory.mktemp("extra"), 40, seed=5, inject=0.9, extra_kinds=tuple(EXTRA_KINDS)
    )
    reports = pd.read_parquet(root / "truth" / "reports.parquet")
    errors = pd.read_parquet(root / "truth" / "errors.parquet")
    read = {row.report_id: nlp.read(root / row.file) for row in reports.itertuples()}
    source = {report.source: report_id for report_id, report in read.items()}
    found: dict[str, list] = {}
    for finding in check_findings(list(read.values())):
        found.setdefault(source[finding.source], []).append(finding)
    return errors, found


def rules_of(found, report_id: str, severities) -> set[str]:
    return {
        f.rule.removesuffix(".parse_suspect")
        for f in found.get(report_id, [])
        if f.severity in severities
    }


def test_every_new_kind_of_error_is_injected_and_found_as_an_error(checked):
    errors, found = checked
    planted = errors[errors["kind"].isin(NEW_KINDS)]
    assert set(planted["kind"]) == set(NEW_KINDS)
    missed = [
        (e.report_id, e.rule, e.description)
        for e in planted.itertuples()
        if e.rule not in rules_of(found, e.report_id, ("error",))
    ]
    assert missed == []


def test_true_statements_of_the_new_kinds_yield_no_finding(checked):
    errors, found = checked
    truths = errors[errors["kind"] == "truth"]
    assert len(set(truths["rule"])) >= 5  # changes, combined metrics, statements, lists
    flagged = [
        (t.report_id, t.rule, t.description)
        for t in truths.itertuples()
        if t.rule in rules_of(found, t.report_id, ("error", "warning"))
    ]
    assert flagged == []
