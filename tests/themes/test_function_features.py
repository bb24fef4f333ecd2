"""Features for a sentence's function: sub-headings in every numbering style, headings glued to
their first sentence, the part of 五 a unit sits in (a marker only the function estimator sees),
the baseline's tense cues, and the variety reports' additions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nlp.report import Report
from nlp.themes.baseline import is_heading, keyword_function
from nlp.themes.classifier import ThemeClassifier
from nlp.themes.features import heading_level, sentence_frame

# Written for these tests (not from any real report).
PROBLEMS = "\n".join(
    [
        "五、存在的主要问题及改进情况",
        "本局公开工作仍存在一些不足：一是解读形式单一。",
        "二是培训次数偏少。",
        "针对上述问题，本局坚持问题导向，逐项整改；",
        "一是丰富解读形式。",
        "（二）健全工作机制",
        "完善考核办法。",
    ]
)


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("（2）推进采购信息公开。", True),  # arabic in parentheses, closed by 。
        ("（一）信息透明，主动公开。", True),  # a sub-heading may pair two phrases
        ("（一）存在的主要问题：", True),
        ("六、其他需要报告的事项本年度未收取费用，特此说明。", False),  # section heading glued
        ("（二）改进措施：一是丰富解读形式。", False),  # runs on past its colon
        ("一是加强组织领导，明确专人负责。", False),
        ("全年主动公开信息120条。", False),
    ],
)
def test_a_heading_is_numbered_short_and_not_run_on(text, heading):
    assert is_heading(text) is heading


@pytest.mark.parametrize(
    "text",
    [
        "（一）主动公开",
        "## 1.平台",
        "  ①培训",
        "第二部分 概述",
        "(3)解读",
        "（１）培训",
        "十一、其他",
    ]
    + ["12.5%的信息", "一是加强", "全年公开信息10条。", "2023年，本局…"],
)
def test_numbering_in_one_match_equals_the_document_models(text):
    from nlp.ingest.model import numbering as documents_numbering
    from nlp.themes.features import numbering

    assert numbering(text) == documents_numbering(text)


def test_a_numbered_heading_run_on_into_a_sentence_is_glued():
    text = "（二）改进措施：一是丰富解读形式。"
    assert heading_level(text, is_heading(text)) == "glued"


def test_the_part_of_five_follows_what_the_units_announce():
    frame = sentence_frame(Report(source="t", sections={"problems": PROBLEMS}))
    part = dict(zip(frame["text"], frame["part"], strict=True))
    assert part["五、存在的主要问题及改进情况"] == "none"  # the title names both parts
    assert part["本局公开工作仍存在一些不足：一是解读形式单一。"] == "problem"
    assert part["二是培训次数偏少。"] == "problem"
    assert part["针对上述问题，本局坚持问题导向，逐项整改；"] == "measure"
    assert part["一是丰富解读形式。"] == "measure"
    assert part["完善考核办法。"] == "measure"  # an action-phrased heading keeps the part


def test_parts_belong_to_section_five_only():
    text = "一、总体情况\n存在的问题如下：\n全年公开信息10条。"
    frame = sentence_frame(Report(source="t", sections={"overall": text}))
    assert set(frame["part"]) == {"none"}


def test_baseline_tense_cues_tell_shortcomings_from_measures_and_facts():
    assert keyword_function("政策解读质量有待进一步提高。", "problems") == "problem"
    assert keyword_function("下一步将加强业务培训。", "problems") == "measure"
    # 情况 closes headings and zero results alike: no framing cue
    assert keyword_function("本年度无收取信息处理费情况。", "other") == "achievement"


def test_function_markers_reach_only_the_function_estimator():
    frame = sentence_frame(Report(source="t", sections={"problems": PROBLEMS}))
    labels = pd.DataFrame(
        {
            "theme": ["general", "interpretation", "capacity", "general"]
            + ["interpretation", "oversight", "oversight"],
            "function": ["framing", "problem", "problem", "measure", "measure", "framing"]
            + ["measure"],
        }
    )
    model = ThemeClassifier().fit(frame, labels)
    vocabulary = model.vectorizer_.vocabulary_
    columns = [i for term, i in vocabulary.items() if term.startswith("§part")]
    theme, function = model.estimators_
    assert columns
    assert np.all(theme.coef_[:, columns] == 0)
    assert np.any(function.coef_[:, columns] != 0)
    without = ThemeClassifier(function_markers=False).fit(frame, labels)
    assert not any(t.startswith("§part") for t in without.vectorizer_.vocabulary_)


def test_variety_glues_some_headings_to_their_sentence_labelled_by_content():
    from nlp.themes.variety import variety_examples

    frame = variety_examples(n=40, seed=1)
    glued = frame[frame["heading_level"] == "glued"]
    assert len(glued) > 0
    assert (glued["function"] != "framing").mean() > 0.8


def test_the_package_additions_join_the_variety_bank():
    from importlib import resources

    import yaml

    from nlp.themes.variety import variety_bank

    more = yaml.safe_load(resources.files("nlp.themes").joinpath("variety.yaml").read_text())
    bank = variety_bank()
    for theme, by_function in more["sentences"].items():
        for function, texts in by_function.items():
            assert set(texts) <= set(bank["sentences"][theme][function])
    for theme, headings in more["action_headings"].items():
        assert set(headings) <= set(bank["action_headings"][theme])
