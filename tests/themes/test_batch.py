"""The fast paths give what the plain ones give: batch `themes`, cue counts, TF-IDF, probabilities."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import nlp
from nlp.corpus import generate
from nlp.report import NARRATIVE_SECTIONS, ReadError, Report
from nlp.text import tokenize
from nlp.themes import baseline
from nlp.themes.api import COLUMNS
from nlp.themes.classifier import probabilities, shipped_classifier, tempered
from nlp.themes.features import (
    context_terms,
    documents,
    report_columns,
    sentence_frame,
    token_lists,
    words,
)
from nlp.themes.matrix import tfidf, token_tfidf
from nlp.themes.training import real_files

# Written for these tests (not from any real report).
FIRST = Report(
    source="a.txt",
    sections={
        "overall": "（一）主动公开情况\n全年公开信息10条。",
        "other": "本年度未收取信息处理费。",
    },
)
SECOND = Report(
    source="b.txt", sections={"overall": "全年收到申请2件。\n（二）平台建设\n网站改版。"}
)
# Cue words inside cue words (门户网站 ⊃ 网站), repeats, ties, none at all.
CUE_CASES = [
    "门户网站和政务新媒体、新媒体平台",
    "依申请公开答复书，答复2件，答复书3份",
    "培训培训培训，考核",
    "收费收费，提案提案",
    "",
    "没有任何线索的一句话",
    "APP和app",
]


@pytest.fixture(scope="module")
def generated_reports() -> list[Report]:
    return [Report(source=g.report_id, sections=dict(g.sections)) for g in generate(40, seed=3)]


def _texts(reports: list[Report]) -> list[str]:
    return report_columns(reports)["text"]


def test_batch_themes_equal_one_report_at_a_time(generated_reports):
    batch = nlp.themes(generated_reports)
    one_by_one = pd.concat([nlp.themes(r) for r in generated_reports], ignore_index=True)
    assert tuple(batch.columns) == COLUMNS
    pd.testing.assert_frame_equal(batch, one_by_one)
    assert batch["source"].unique().tolist() == [r.source for r in generated_reports]


def test_batch_keeps_report_order_and_tells_reports_apart():
    table = nlp.themes([FIRST, SECOND])
    assert table["source"].tolist() == ["a.txt"] * 3 + ["b.txt"] * 3
    assert table.loc[table["source"] == "b.txt", "index"].tolist() == [0, 1, 2]


def test_sub_heading_does_not_leak_into_the_next_report_or_section():
    frame = report_columns([FIRST, SECOND])
    assert frame["heading_theme"] == [
        "proactive",
        "proactive",
        "none",
        "none",
        "platform",
        "platform",
    ]


def test_batch_of_nothing_or_of_empty_reports_is_an_empty_frame():
    assert tuple(nlp.themes([]).columns) == COLUMNS
    assert nlp.themes([Report(source="x"), Report(source="y")]).empty


def test_batch_reads_paths_and_refuses_what_is_neither_a_report_nor_a_path():
    with pytest.raises(nlp.ReadError, match="a.txt"):
        nlp.themes(["a.txt"])  # a path is read: this one does not exist
    with pytest.raises(TypeError, match="Report"):
        nlp.themes([3.5])


@pytest.mark.parametrize("text", CUE_CASES)
def test_keyword_themes_count_as_str_count_does(text):
    assert baseline.keyword_themes([text]) == [baseline.keyword_theme(text)]


def test_keyword_themes_of_many_texts_equal_one_by_one(generated_reports):
    texts = _texts(generated_reports) + CUE_CASES
    assert baseline.keyword_themes(texts) == [baseline.keyword_theme(t) for t in texts]
    assert baseline.keyword_themes([]) == []


def _real_reports(root) -> list[Report]:
    reports = []
    for file in real_files(root):
        try:
            reports.append(nlp.read(root / file))
        except ReadError:
            continue
    return reports


def test_keyword_themes_equal_one_by_one_on_real_sentences(real_corpus):
    texts = _texts(_real_reports(real_corpus))
    assert len(texts) > 300
    assert baseline.keyword_themes(texts) == [baseline.keyword_theme(t) for t in texts]


def test_cached_words_equal_the_rule_applied_afresh():
    text = "2023年主动公开信息 120 条，公开信息120条。"
    fresh = [
        "<num>" if any(c.isdigit() for c in w) else w
        for w in tokenize(text)
        if w.strip() and not all(c in "，。 " for c in w)
    ]
    assert words(text) == words(text) == fresh
    assert fresh.count("<num>") == 3


def _assert_same_matrix(fast, plain):
    assert fast.shape == plain.shape and fast.dtype == plain.dtype
    assert (fast.indptr == plain.indptr).all() and (fast.indices == plain.indices).all()
    assert np.allclose(fast.data, plain.data, atol=1e-6)


def test_fast_tfidf_equals_the_vectorizer(generated_reports):
    vectorizer = shipped_classifier().vectorizer_
    docs = documents(sentence_frame(generated_reports[0].sections)) + [["从未见过的词"], []]
    fast = tfidf(vectorizer, docs)
    _assert_same_matrix(fast, vectorizer.transform(docs))
    assert fast[-1].nnz == 0


def _token_tfidf_equals_the_vectorizer(columns):
    vectorizer = shipped_classifier().vectorizer_
    tokens, markers = token_lists(columns), context_terms(columns)
    plain = vectorizer.transform(documents(columns))
    _assert_same_matrix(token_tfidf(vectorizer, tokens, markers), plain)


def test_bigrams_from_token_ids_equal_the_vectorizer(generated_reports):
    columns = report_columns(generated_reports)
    # sentences without tokens, unseen tokens, a repeated bigram, at the edges of the batch
    for name, value in (("tokens", []), ("tokens", ["从未", "见过"]), ("tokens", ["公开"] * 4)):
        for edge in (0, len(columns[name])):
            for key in columns:
                columns[key].insert(edge, columns[key][1])
            columns[name][edge] = value
    _token_tfidf_equals_the_vectorizer(columns)


def test_bigrams_from_token_ids_equal_the_vectorizer_on_real_sentences(real_corpus):
    _token_tfidf_equals_the_vectorizer(report_columns(_real_reports(real_corpus)))


def test_model_predicts_the_same_from_frames_and_columns(generated_reports):
    model = shipped_classifier()
    columns = report_columns(generated_reports[:5])
    frame = pd.DataFrame(columns)
    by_columns, by_frame = model.predict_columns(columns), model.predict_frame(frame)
    assert by_frame["theme"].tolist() == by_columns["theme"].tolist()
    plain = model.estimators_[0].predict_proba(model.vectorizer_.transform(documents(frame)))
    calibrated = tempered(plain, model.temperatures_[0])  # the scores are calibrated
    assert np.allclose(by_columns["theme_score"], calibrated.max(axis=1), atol=1e-6)


def test_fast_probabilities_equal_predict_proba(generated_reports):
    model = shipped_classifier()
    frame = sentence_frame(generated_reports[1].sections, which=NARRATIVE_SECTIONS)
    matrix = model.vectorizer_.transform(documents(frame))
    for estimator in model.estimators_:
        expected = estimator.predict_proba(matrix)
        assert np.allclose(probabilities(estimator, matrix), expected, atol=1e-6)
