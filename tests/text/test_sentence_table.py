"""One sentence table per report, used everywhere: offsets into `report.text`, claims inside the
sentence they name, no line fragments, and the same sentences in `nlp.analyse`, `nlp.themes`,
`sentences_frame`, the batch `sentences` table and compare (generated and real reports)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import nlp
from nlp.analysis import claims_frame, sentences_frame
from nlp.report import NARRATIVE_SECTIONS, Report
from tests.conftest import REAL_CORPUS

SUFFIXES = {".txt", ".md", ".html", ".pdf", ".docx"}
KEYS = ["section", "index", "text", "start", "end"]
_CJK = re.compile(r"[\u4e00-\u9fff]")
_HEADING = re.compile(r"^[（(]?[一二三四五六七八九十\d]{1,3}[、.．)）]")
# A one-character answer is a sentence of its own in 六、其他需要报告的事项.
_SHORT_SENTENCES = {"无。", "无"}


def generated_reports() -> list[Report]:
    from nlp.corpus import generate

    return [
        Report(
            source=g.report_id,
            agency=g.agency,
            year=g.year,
            format=g.format,
            sections=dict(g.sections),
            cells=g.cells,
        )
        for g in generate(12, seed=7, inject=0.5)
    ]


def real_reports() -> list[Report]:
    if not REAL_CORPUS.is_dir():
        return []
    out = []
    for path in sorted(REAL_CORPUS.rglob("*")):
        if path.suffix.lower() in SUFFIXES:
            try:
                out.append(nlp.read(path))
            except nlp.ReadError:
                continue
    return out


@pytest.fixture(scope="module", params=["generated", "real"])
def reports(request) -> list[Report]:
    found = generated_reports() if request.param == "generated" else real_reports()
    if not found:
        pytest.skip(f"real corpus not found at {REAL_CORPUS}")
    kinds = {Path(r.source).suffix for r in found}
    if request.param == "real":
        assert {".pdf", ".txt"} <= kinds  # the PDFs and txt files are among them
    return found


def is_fragment(text: str) -> bool:
    if not re.search(r"[^\W_]", text):
        return True  # marks only
    short = len(_CJK.findall(text)) < 2
    return short and not _HEADING.match(text) and text not in _SHORT_SENTENCES


def test_every_section_and_sentence_offset_gives_back_its_text(reports):
    for report in reports:
        for key, (start, end) in report.spans.items():
            assert report.text[start:end] == report.sections[key], (report.source, key)
        for sentence in report.sentences:
            assert report.text[sentence.start : sentence.end] == sentence.text
            start, end = report.spans[sentence.section]
            assert start <= sentence.start < sentence.end <= end


def test_every_claim_lies_inside_the_sentence_it_names(reports):
    total = 0
    for report in reports:
        named = sentences_frame(report).set_index(["section", "index"])
        claims = claims_frame(report)
        total += len(claims)
        for claim in claims.itertuples():
            assert report.text[claim.start : claim.end] == claim.text
            sentence = named.loc[(claim.section, claim.sentence)]
            assert sentence["start"] <= claim.start < claim.end <= sentence["end"], (
                report.source,
                claim.text,
                sentence["text"],
            )
    assert total > 0


def test_no_narrative_sentence_is_a_line_fragment(reports):
    fragments = [
        (report.source, s.text)
        for report in reports
        for s in report.sentences
        if is_fragment(s.text)
    ]
    assert fragments == []


def test_finding_evidence_points_into_the_report_text(reports):
    seen = 0
    for report in reports:
        for finding in nlp.analyse(report).findings:
            if finding.evidence_start is not None:
                seen += 1
                text = report.text[finding.evidence_start : finding.evidence_end]
                assert text == finding.evidence
    assert seen > 0


def test_analyse_themes_and_sentences_frame_give_the_same_sentences(reports):
    themed = nlp.themes(reports)
    for report in reports:
        frame = sentences_frame(report)[KEYS]
        analysed = pd.DataFrame(
            [(s.section, s.index, s.text, s.start, s.end) for s in nlp.analyse(report).sentences],
            columns=KEYS,
        )
        mine = themed[themed["source"] == report.source][KEYS].reset_index(drop=True)
        pd.testing.assert_frame_equal(analysed, frame, check_dtype=False)
        pd.testing.assert_frame_equal(mine, frame, check_dtype=False)
        assert set(frame["section"]) <= set(NARRATIVE_SECTIONS)


@pytest.mark.real
def test_batch_tables_and_compare_give_the_same_sentences(real_corpus, tmp_path):
    from nlp.batch import load
    from nlp.batch.inputs import content_id
    from nlp.batch.work import process_chunk
    from nlp.compare.similarity import narrative_sentences
    from nlp.compare.themes import theme_profiles

    files = sorted(
        p
        for p in real_corpus.rglob("*")
        if p.suffix.lower() in {".pdf", ".txt"} and "section3" not in p.name
    )
    process_chunk([(str(p), content_id(p)) for p in files], str(tmp_path))
    tables = load(tmp_path)
    batch_sentences = tables["sentences"]
    for path in files:
        report = nlp.read(path)
        rows = batch_sentences[batch_sentences["report_id"] == content_id(path)]
        expected = sentences_frame(report)[KEYS]
        pd.testing.assert_frame_equal(
            rows[KEYS].reset_index(drop=True), expected, check_dtype=False
        )
        named = expected.set_index(["section", "index"])
        claims = tables["claims"][tables["claims"]["report_id"] == content_id(path)]
        for claim in claims.itertuples():
            sentence = named.loc[(claim.section, claim.sentence)]
            assert sentence["start"] <= claim.start < claim.end <= sentence["end"]
    # compare counts and quotes the batch's sentences, never sentences of its own
    profiles = theme_profiles(tables)
    counted = profiles.groupby("report_id")["n"].sum()
    assert counted.to_dict() == batch_sentences.groupby("report_id").size().to_dict()
    quoted = narrative_sentences(tables)[["report_id", "section", "index", "text"]]
    joined = quoted.merge(batch_sentences, on=["report_id", "section", "index", "text"])
    assert len(joined) == len(quoted) > 0
