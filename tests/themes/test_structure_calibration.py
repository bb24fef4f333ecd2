"""Structure features, calibration, the uncertain mark, agency grouping and the variety bank."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nlp.report import Report
from nlp.themes.calibration import ece, fit_temperature, reliability, top
from nlp.themes.classifier import ThemeClassifier, tempered
from nlp.themes.features import heading_level, sentence_frame
from nlp.themes.training import agencies

# Written for these tests (not from any real report).
OVERALL = "\n".join(
    [
        "一、总体情况",
        "本机关坚持以人民为中心，扎实推进政务公开。",
        "（一）主动公开情况",
        "全年主动公开信息120条。",
        "及时公开预决算信息。",
        "1.平台建设",
        "主动公开情况",
        "一是完成网站改版。",
    ]
)


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("（一）主动公开情况", "2"),
        ("一、总体情况", "1"),
        ("1.平台建设", "3"),
        ("主动公开情况", "bare"),
        ("一是完成网站改版。", "item"),
        ("全年主动公开信息120条。", "no"),
    ],
)
def test_heading_level_follows_the_numbering_styles(text, level):
    from nlp.themes.baseline import is_heading

    assert heading_level(text, is_heading(text)) == level


def test_sentences_know_the_heading_they_sit_under_and_how_far_after_it():
    frame = sentence_frame(Report(source="t", sections={"overall": OVERALL}))
    rows = frame.set_index("text")
    assert rows.loc["本机关坚持以人民为中心，扎实推进政务公开。", "under_level"] == "1"
    assert rows.loc["本机关坚持以人民为中心，扎实推进政务公开。", "position"] == "1"
    assert rows.loc["及时公开预决算信息。", "under_level"] == "2"
    assert rows.loc["及时公开预决算信息。", "position"] == "2"
    assert rows.loc["一是完成网站改版。", "under_level"] == "bare"
    # a bare heading names the theme of what follows, as a numbered one does
    assert rows.loc["一是完成网站改版。", "heading_theme"] == "proactive"


def test_structure_markers_reach_the_model_and_can_be_switched_off():
    frame = sentence_frame(Report(source="t", sections={"overall": OVERALL}))
    labels = pd.DataFrame({"theme": ["general"] * len(frame), "function": ["framing"] * len(frame)})
    labels.loc[1::2, ["theme", "function"]] = ["proactive", "achievement"]
    with_structure = ThemeClassifier().fit(frame, labels)
    without = ThemeClassifier(structure=False).fit(frame, labels)
    terms = set(with_structure.vectorizer_.vocabulary_)
    assert {"§level=2", "§under=1", "§position=1"} <= terms
    assert not any(t.startswith("§level") for t in without.vectorizer_.vocabulary_)


def test_temperature_tames_overconfident_scores():
    rng = np.random.default_rng(0)
    truth = rng.integers(0, 3, 2000)
    logits = rng.normal(0, 1, (2000, 3))
    logits[np.arange(2000), truth] += 1.0  # right only part of the time
    proba = tempered(np.exp(logits * 4) / np.exp(logits * 4).sum(1, keepdims=True), 1.0)
    temperature = fit_temperature(proba, truth)
    assert temperature > 2
    assert ece(*top(tempered(proba, temperature), truth)) < ece(*top(proba, truth)) / 2


def test_reliability_covers_every_sentence_once():
    scores = np.array([0.35, 0.45, 0.55, 0.95, 0.99, 1.0])
    correct = np.array([False, True, False, True, True, True])
    table = reliability(scores, correct)
    assert table["sentences"].sum() == len(scores)
    assert table.iloc[-1]["accuracy"] == 1.0


def test_uncertain_marks_sentences_below_the_threshold():
    texts = ["全年主动公开信息120条。", "全年收到申请8件。", "组织培训2次。"] * 4
    labels = pd.DataFrame(
        {
            "theme": ["proactive", "on_request", "capacity"] * 4,
            "function": ["achievement", "achievement", "measure"] * 4,
        }
    )
    model = ThemeClassifier(uncertain_below=0.99).fit(texts, labels)
    frame = model.predict_frame(texts + ["本报告电子版可在网站下载。"])
    expected = frame[["theme_score", "function_score"]].min(axis=1) < 0.99
    assert frame["uncertain"].tolist() == expected.tolist()
    assert frame["uncertain"].iloc[-1]


def test_agencies_drop_the_manifest_notes(tmp_path):
    (tmp_path / "MANIFEST.csv").write_text(
        "file,agency\na.txt,淮安市洪泽区人民政府（洪泽区人民政府办公室编制）\nb.txt,淮安市洪泽区人民政府\n",
        encoding="utf-8",
    )
    assert set(agencies(tmp_path).values()) == {"淮安市洪泽区人民政府"}


def test_variety_reports_label_every_unit_and_number_headings_in_many_styles():
    from nlp.themes.variety import variety_examples

    frame = variety_examples(n=40, seed=1)
    headings = frame[frame["function"] == "framing"]
    assert frame["theme"].notna().all() and frame["function"].notna().all()
    assert headings["heading_level"].nunique() >= 3  # 1/2/3/bare… styles all occur
    openers = frame[(frame["section"] == "overall") & (frame["under_level"] == "1")]
    assert (openers.loc[openers["position"] == "1", "function"] == "framing").mean() > 0.5


def test_every_readable_report_with_narrative_of_the_real_corpus_is_annotated(real_corpus):
    import nlp
    from nlp.report import ReadError
    from nlp.themes import annotations
    from nlp.themes.training import real_files

    annotated = set(annotations.read_references()["file"])
    missing = []
    for file in real_files(real_corpus):
        try:
            report = nlp.read(real_corpus / file)
        except ReadError:
            continue
        if report.sentences and file not in annotated:
            missing.append(file)
    assert missing == []
