"""The generator: determinism, table rules, cross-year chains, planted errors, claim truth."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from nlp.corpus import generate
from nlp.corpus.narrative import bank
from nlp.report import FUNCTION_KEYS, THEME_KEYS
from tests.corpus.rules import broken_rules, carried, wide

THEMES = set(THEME_KEYS)
FUNCTIONS = set(FUNCTION_KEYS)


@pytest.fixture(scope="module")
def clean():
    return generate(120, seed=11)


@pytest.fixture(scope="module")
def injected():
    return generate(300, seed=12, inject=0.6)


def _key(report):
    return (
        report.report_id,
        report.sections,
        report.cells.to_dict("list"),
        report.sentences,
        report.claims,
        report.errors,
        report.noise,
    )


def test_same_seed_same_reports_and_other_seed_differs():
    first, again, other = (
        generate(25, seed=3, inject=0.3),
        generate(25, seed=3, inject=0.3),
        generate(25, seed=4),
    )
    assert [_key(r) for r in first] == [_key(r) for r in again]
    assert [r.sections for r in first] != [r.sections for r in other]


def test_n_counts_reports_and_agencies_span_consecutive_years(clean):
    assert len(clean) == 120
    assert len({r.report_id for r in clean}) == 120
    by_agency = {}
    for r in clean:
        by_agency.setdefault(r.agency, []).append(r.year)
    assert len(by_agency) < 60  # several years per agency
    for years in by_agency.values():
        assert years == list(range(years[0], years[0] + len(years)))
        assert years[0] >= 2019 and years[-1] <= 2025


def test_format_follows_the_year(clean):
    for r in clean:
        assert r.format == ("2019" if r.year <= 2020 else "2021")
        rows = set(r.cells.loc[r.cells["table"] == "requests", "row"])
        assert ("other" in rows) == (r.format == "2019")
        assert ("other.no_fee" in rows) == (r.format == "2021")


def test_clean_reports_obey_every_table_rule(clean):
    for r in clean:
        assert broken_rules(r.cells) == set(), r.report_id
        counts = r.cells[~r.cells["col"].isin(["change", "amount"])]["value"]
        assert (counts >= 0).all() and (counts == counts.round()).all()


def test_cross_year_chain_holds_when_not_injected(clean):
    pairs = 0
    for before, after in zip(clean, clean[1:], strict=False):
        if before.agency == after.agency:
            pairs += 1
            assert (
                carried(after.cells, "carried_over") == carried(before.cells, "carried_forward")
            ).all()
    assert pairs > 50


def test_magnitudes_are_mostly_small_with_a_few_large(clean):
    new = pd.Series([wide(r.cells, "requests").loc["new", "total"] for r in clean])
    assert (new <= 30).mean() > 0.6
    assert new.max() >= 100


def test_sentence_offsets_and_labels(clean):
    for r in clean[:40]:
        for s in r.sentences:
            assert r.sections[s["section"]][s["start"] : s["end"]] == s["text"]
            assert s["theme"] in THEMES and s["function"] in FUNCTIONS
        assert [s["index"] for s in r.sentences] == list(range(len(r.sentences)))


def test_claims_point_at_their_words_and_true_claims_are_true(clean):
    seen_qualifiers, seen_negations, seen_chinese = set(), 0, 0
    for r in clean:
        values = {f"{x.table}/{x.row}/{x.col}": x.value for x in r.cells.itertuples()}
        for c in r.claims:
            assert r.sections[c["section"]][c["start"] : c["end"]] == c["text"]
            assert not c["planted"]
            seen_qualifiers.add(c["qualifier"])
            seen_chinese += any(ch in c["text"] for ch in "一两二三四五六七八九十")
            if c["metric"]:
                assert c["true_value"] == values[c["metric"]]
            if c["negated"]:
                seen_negations += 1
                assert c["true_value"] == 0
            _assert_qualified_truth(c)
    assert seen_qualifiers == {"exact", "at_least", "about", "at_most"}
    assert seen_negations > 5 and seen_chinese > 5


def _assert_qualified_truth(claim):
    value, truth = claim["value"], claim["true_value"]
    if claim["qualifier"] == "exact":
        assert value == truth
    elif claim["qualifier"] == "at_least":
        assert truth > value
    elif claim["qualifier"] == "at_most":
        assert truth < value
    else:
        assert abs(truth - value) <= 0.1 * truth


def test_every_report_states_its_new_requests(clean):
    for r in clean:
        assert any(c["metric"] == "requests/new/total" for c in r.claims), r.report_id


def test_parts_add_up_in_clean_reports(clean):
    groups = pd.DataFrame([c for r in clean for c in r.claims if c["group"]])
    assert len(groups) > 20
    for _, group in groups.groupby("group"):
        whole = group.loc[group["role"] == "whole", "value"].sum()
        assert group.loc[group["role"] == "part", "value"].sum() == whole


def test_injected_errors_break_exactly_their_rule(injected):
    by_id = {r.report_id: r for r in injected}
    kinds = set()
    for r in injected:
        assert len(r.errors) <= 1
        for error in r.errors:
            kinds.add(error["kind"])
            _assert_breaks(r, error, by_id)
        if not r.errors or r.errors[0]["kind"] != "table":
            assert broken_rules(r.cells) == set(), r.report_id
    assert kinds == {"table", "claim", "negation", "narrative", "cross_year"}
    share = sum(bool(r.errors) for r in injected) / len(injected)
    assert 0.4 < share < 0.75


def _assert_breaks(report, error, by_id):
    values = {f"{x.table}/{x.row}/{x.col}": x.value for x in report.cells.itertuples()}
    planted = [c for c in report.claims if c["planted"]]
    if error["kind"] == "table":
        assert broken_rules(report.cells) == {error["rule"]}
    elif error["kind"] == "cross_year":
        year, number = report.report_id.split("_")[1], report.report_id.split("_")[0]
        previous = by_id[f"{number}_{int(year) - 1}"]
        assert (
            carried(report.cells, "carried_over") != carried(previous.cells, "carried_forward")
        ).any()
    elif error["kind"] == "claim":
        (claim,) = planted
        assert error["rule"].startswith("claim.") and claim["value"] != values[claim["metric"]]
        assert error["sentence"] == claim["sentence"]
    elif error["kind"] == "negation":
        (claim,) = planted
        assert (
            error["rule"] == "claim.negation" and claim["negated"] and values[claim["metric"]] != 0
        )
    else:
        (claim,) = planted
        group = [c for c in report.claims if c["group"] == claim["group"]]
        whole = sum(c["value"] for c in group if c["role"] == "whole")
        assert error["rule"] == "narrative.parts_sum"
        assert sum(c["value"] for c in group if c["role"] == "part") != whole


def test_awkward_true_claims_exist_so_unusual_is_not_wrong(injected):
    awkward_true = [
        c
        for r in injected
        for c in r.claims
        if not c["planted"] and r.sentences[c["sentence"]]["awkward"]
    ]
    awkward_false = [
        c
        for r in injected
        for c in r.claims
        if c["planted"] and r.sentences[c["sentence"]]["awkward"]
    ]
    assert len(awkward_true) > 20
    assert len(awkward_true) > len(awkward_false)


def test_phrase_banks_have_many_phrasings():
    for theme, functions in bank()["themes"].items():
        for function, templates in functions.items():
            assert len(templates) >= 6, (theme, function)
    assert yaml.safe_dump(bank(), allow_unicode=True)


@pytest.fixture(scope="module")
def extra():
    return generate(160, seed=41, inject=0.9, extra_kinds=("statement", "scope"))


def test_extra_kinds_are_off_by_default_and_checked():
    default = generate(30, seed=5, inject=0.6)
    assert [_key(r) for r in default] == [
        _key(r) for r in generate(30, seed=5, inject=0.6, extra_kinds=())
    ]
    with pytest.raises(ValueError, match="extra_kinds"):
        generate(3, extra_kinds=("typo",))


def test_false_statements_are_contradicted_by_a_cell_above_zero(extra):
    seen = set()
    for r in extra:
        values = {f"{x.table}/{x.row}/{x.col}": x.value for x in r.cells.itertuples()}
        for error in (e for e in r.errors if e["kind"] == "statement"):
            seen.add(error["rule"])
            assert error["cells"] and all(values[c] > 0 for c in error["cells"])
            sentence = r.sentences[error["sentence"]]["text"]
            assert any(cue in sentence for cue in ("办结", "维持")), sentence
            assert broken_rules(r.cells) == set()
    assert seen == {"claim.all_handled", "claim.all_upheld"}


def test_scope_statements_are_true_totals_of_other_cells(extra):
    count = 0
    for r in extra:
        values = {f"{x.table}/{x.row}/{x.col}": x.value for x in r.cells.itertuples()}
        for error in (e for e in r.errors if e["kind"] == "scope"):
            count += 1
            (claim,) = [c for c in r.claims if c["sentence"] == error["sentence"]]
            total = sum(values[c] for c in error["cells"])
            assert claim["value"] == claim["true_value"] == total
            assert total != values["requests/new/total"]  # the cell alone says less
            assert not claim["planted"] and broken_rules(r.cells) == set()
    assert count > 3
