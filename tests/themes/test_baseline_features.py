"""The keyword baseline and the sentence features."""

from __future__ import annotations

from nlp.report import Report
from nlp.themes import baseline
from nlp.themes.features import documents, sentence_frame, words
from nlp.themes.weak import weak_labels


def test_headings_are_short_numbered_lines():
    assert baseline.is_heading("（一）主动公开情况")
    assert baseline.is_heading("三、收到和处理政府信息公开申请情况")
    assert not baseline.is_heading(
        "一是加强组织领导，明确专人负责政务公开工作，压实各方责任到人到岗。"
    )


def test_keyword_rules_name_theme_and_function():
    assert baseline.keyword_theme("本年度未收取信息处理费。") == "fees"
    assert baseline.keyword_theme("办理人大代表建议3件。") == "proposals"
    assert baseline.keyword_function("（二）依申请公开情况", "overall") == "framing"
    assert baseline.keyword_function("下一步将加强培训。", "problems") == "measure"
    assert baseline.keyword_function("这方面很好。", "problems") == "problem"


def test_words_drop_punctuation_and_fold_numbers():
    tokens = words("主动公开信息 120 条。")
    assert "<num>" in tokens
    assert "。" not in tokens and " " not in tokens


def test_sentences_carry_the_nearest_sub_heading():
    text = "（一）主动公开情况\n全年公开信息10条。\n（二）依申请公开情况\n收到申请2件。"
    frame = sentence_frame({"overall": text}, which=("overall",))
    assert list(frame["heading_theme"]) == ["proactive", "proactive", "on_request", "on_request"]
    assert text[frame["start"][1] : frame["end"][1]] == "全年公开信息10条。"
    terms = documents(frame)[1]
    assert "§heading=proactive" in terms and "§section=overall" in terms


def test_weak_labels_follow_named_sub_headings_only():
    text = "一、总体情况\n今年工作有序。\n（一）主动公开情况\n全年公开信息10条。"
    labels = weak_labels(Report(source="x", sections={"overall": text}))
    assert list(labels["theme"]) == ["proactive", "proactive"]
    assert list(labels["function"]) == ["framing", "achievement"]
