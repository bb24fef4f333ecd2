"""The composed analysis: frames of sentences, claims and findings; the real corpus."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import nlp
from nlp.checks.findings import FRAME_COLUMNS
from nlp.data import SAMPLE_CORPUS
from nlp.report import Report
from tests.conftest import real_file


def small_report() -> Report:
    cells = pd.DataFrame(
        [("requests", "new", "total", 15.0, "15")], columns=["table", "row", "col", "value", "raw"]
    )
    text = "一、总体情况\n2021年，本机关共收到政府信息公开申请12件。全年发布信息260条。"
    return Report(
        source="t.txt",
        agency="某市某局",
        year=2021,
        format="2021",
        sections={"overall": text},
        cells=cells,
    )


def test_frames_are_exported_lazily():
    assert nlp.check is nlp.analysis.check
    assert callable(nlp.claims_frame) and callable(nlp.sentences_frame)


def test_sentences_frame_has_one_row_per_sentence():
    frame = nlp.sentences_frame(small_report())
    assert list(frame["text"]) == [
        "一、总体情况",
        "2021年，本机关共收到政府信息公开申请12件。",
        "全年发布信息260条。",
    ]
    assert set(frame["section"]) == {"overall"}


def test_claims_frame_links_what_speaks_of_the_table():
    frame = nlp.claims_frame(small_report()).set_index("text")
    assert frame.loc["12件", "metric"] == "requests_new"
    assert frame.loc["12件", "cells"] == "requests/new/total"
    assert bool(frame.loc["12件", "strong"])
    assert pd.isna(frame.loc["260条", "metric"])


def test_check_returns_the_tidy_findings_frame():
    frame = nlp.check(small_report())
    assert list(frame.columns) == list(FRAME_COLUMNS)
    claims = frame[frame["kind"] == "claim"]
    assert list(claims["rule"]) == ["claim.requests_new"]
    assert list(claims["severity"]) == ["error"]


def test_dismissed_fingerprints_are_left_out():
    frame = nlp.check(small_report())
    dismissed = set(frame["fingerprint"])
    assert nlp.check(small_report(), dismissed=dismissed).empty


def test_a_line_break_is_a_paragraph_boundary():
    # ingest joins hard-wrapped lines; a line break left in the text ends the sentence
    report = Report(source="t", sections={"overall": "受理申请 17 件，均已\n答复。"})
    assert list(nlp.sentences_frame(report)["text"]) == ["受理申请 17 件，均已", "答复。"]


def test_sentences_and_claims_point_into_the_report_text():
    report = small_report()
    report = Report(
        source="t.txt",
        year=2021,
        format="2021",
        sections={"preamble": "前言。", "overall": report.sections["overall"], "other": "无。"},
        cells=report.cells,
    )
    sentences = nlp.sentences_frame(report)
    for row in sentences.itertuples():
        assert report.text[row.start : row.end] == row.text
    claims = nlp.claims_frame(report)
    assert list(claims["sentence"]) == [1, 2]
    named = sentences.set_index(["section", "index"])
    for claim in claims.itertuples():
        assert report.text[claim.start : claim.end] == claim.text
        sentence = named.loc[(claim.section, claim.sentence)]
        assert sentence["start"] <= claim.start < claim.end <= sentence["end"]


def test_marks_alone_are_not_sentences():
    report = Report(source="t", sections={"overall": "正文一。\n、\n##\n|\n正文二。"})
    assert list(nlp.sentences_frame(report)["index"]) == [0, 1]
    assert list(nlp.sentences_frame(report)["text"]) == ["正文一。", "正文二。"]


def test_finding_evidence_points_into_the_report_text():
    report = small_report()
    findings = [f for f in nlp.analyse(report).findings if f.kind == "claim"]
    assert findings
    for finding in findings:
        assert report.text[finding.evidence_start : finding.evidence_end] == finding.evidence


def test_hongze_2024_seventeen_against_ninety_five_is_a_scope_warning():
    frame = nlp.check(real_file("kirogovcompare/hzq2024_working.pdf"))
    hit = frame[frame["rule"] == "claim.requests_new"]
    assert len(hit) == 1
    finding = hit.iloc[0]
    assert finding["severity"] == "warning"
    assert json.loads(finding["claim"])["value"] == 17  # structured columns are JSON text
    assert json.loads(finding["cells"])[0]["value"] == 95
    assert "区政府办" in finding["message"] and "代表" in finding["message"]


@pytest.mark.parametrize(
    "relative", ["seeds/000_9eb6a65c53a7db1b.txt", "seeds/002_6791af29304a63d7.txt"]
)
def test_seeds_have_no_error_finding(relative):
    frame = nlp.check(real_file(relative))
    assert frame[frame["severity"] == "error"].empty, frame[["rule", "message"]]


def test_claims_frame_reuses_the_sentences_analyse_found():
    from nlp.analysis import analyse, claims_frame

    report = nlp.read(SAMPLE_CORPUS / "a0004_2020.txt")
    given = claims_frame(report, analyse(report).sentences)
    pd.testing.assert_frame_equal(given, claims_frame(report))
    assert not given.empty


@pytest.fixture(scope="module")
def generated_reports(tmp_path_factory) -> list[Report]:
    from nlp.corpus import write_corpus

    root = write_corpus(tmp_path_factory.mktemp("generated"), 10, seed=5, inject=1.0)
    return [nlp.read(path) for path in sorted(root.glob("*.txt"))]


@pytest.mark.parametrize("batch_size", [1, 3, 10, 100])
def test_analyse_many_gives_what_analyse_gives_one_by_one(generated_reports, batch_size):
    first_finding = next(f for r in generated_reports for f in nlp.analyse(r).findings)
    dismissed = {first_finding.fingerprint}
    alone = [nlp.analyse(report, dismissed) for report in generated_reports]
    together = list(nlp.analyse_many(generated_reports, dismissed, batch_size=batch_size))
    assert [id(a.report) for a in together] == [id(report) for report in generated_reports]
    assert [a.sentences for a in together] == [a.sentences for a in alone]
    assert [a.findings for a in together] == [a.findings for a in alone]
    assert sum(bool(a.findings) for a in alone) >= 3  # errors were injected
    assert dismissed.isdisjoint(f.fingerprint for a in together for f in a.findings)


def test_analyse_many_rejects_a_batch_size_below_one_when_called():
    with pytest.raises(ValueError, match="batch_size"):
        nlp.analyse_many([small_report()], batch_size=0)
