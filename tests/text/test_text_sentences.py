"""Sentences: boundaries, headings and offsets into the section text."""

from __future__ import annotations

import pytest

from nlp.report import Report
from nlp.text import Sentence, sentence_spans, sentences
from nlp.text.sentences import report_sentences, sentence_texts

TEXT = (
    "一、总体情况\n\n"
    "2023年，本局认真落实《条例》要求。（一）主动公开情况。一是做好信息公开，发稿 120 余篇；"
    "二是做好解读！是否及时？“公开为常态。”此后继续推进\n"
    "（二）依申请公开情况\n"
    " 二、主动公开政府信息情况 本年度制发规范性文件2件。  "
)


def test_offsets_point_into_the_text():
    found = sentences(TEXT)
    assert [s.index for s in found] == list(range(len(found)))
    for sentence in found:
        assert TEXT[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()


def test_boundaries():
    assert [s.text for s in sentences(TEXT)] == [
        "一、总体情况",
        "2023年，本局认真落实《条例》要求。",
        "（一）主动公开情况。",
        "一是做好信息公开，发稿 120 余篇；二是做好解读！",
        "是否及时？",
        "“公开为常态。”",
        "此后继续推进",
        "（二）依申请公开情况",
        "二、主动公开政府信息情况",
        "本年度制发规范性文件2件。",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甲。乙。", ["甲。", "乙。"]),
        ("甲！！乙", ["甲！！", "乙"]),
        ("甲；乙，丙。", ["甲；乙，丙。"]),  # ； keeps the 一是……；二是…… lists together
        ("甲\n乙", ["甲", "乙"]),
        ("他说“好。”然后", ["他说“好。”", "然后"]),
        ("（三）政府信息管理情况\n内容。", ["（三）政府信息管理情况", "内容。"]),
        ("正文。 （四）平台建设情况 正文二", ["正文。", "（四）平台建设情况", "正文二"]),
        ("数值3.5万条。", ["数值3.5万条。"]),  # a decimal point does not end a sentence
    ],
)
def test_splitting_rules(text, expected):
    assert [s.text for s in sentences(text)] == expected


def test_heading_inside_running_text_is_not_split():
    # a marker glued to the text before it is not a heading
    assert len(sentences("做好第（一）项工作")) == 1


@pytest.mark.parametrize("text", ["", "   ", "\n\n \n"])
def test_blank_text_has_no_sentences(text):
    assert sentences(text) == []


def test_sentence_is_a_value():
    assert sentences("甲。")[0] == Sentence(index=0, text="甲。", start=0, end=2)


def test_headings_of_one_line_web_dumps_are_cut_in_every_chunk():
    text = "一、总体情况 正文一。 （一）主动公开 正文二\n二、依申请公开 正文三。三、其他 "
    assert [s.text for s in sentences(text)] == [
        "一、总体情况",
        "正文一。",
        "（一）主动公开",
        "正文二",
        "二、依申请公开",
        "正文三。",
        "三、其他",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("甲 乙\t丙\n", ["甲 乙\t丙"]),  # spaces inside a sentence stay, those around it go
        ("甲  。 乙", ["甲  。", "乙"]),  # spaces before a terminator are inside the sentence
        ("甲\r\n乙\u3000\n\n", ["甲", "乙"]),
        ("正文二 三、其他 后文\n", ["正文二", "三、其他", "后文"]),  # a heading after spaces
        ("。一、标题 后文", ["。", "一、标题 后文"]),  # glued to a terminator: not a heading
        ("一、标题", ["一、标题"]),  # nothing after it: not cut out
        ("。！”", ["。！”"]),
    ],
)
def test_whitespace_and_headings_inside_a_line(text, expected):
    assert sentence_texts(text) == expected  # the boundaries, marks-only spans included


@pytest.mark.parametrize("text", ["、", "##", "|", "。！”", "— —", "**"])
def test_a_span_of_marks_only_is_not_a_sentence(text):
    assert sentence_texts(text)  # a boundary of its own …
    assert sentences(f"甲。\n{text}\n乙。") == [  # … but not a sentence, and not counted
        Sentence(0, "甲。", 0, 2),
        Sentence(1, "乙。", 4 + len(text), 6 + len(text)),
    ]


def test_report_sentences_are_cut_within_section_spans_of_the_report_text():
    overall = "一、总体情况\n本年度收到申请2件。已办结。"
    problems = "五、存在问题\n、\n人员不足。"
    text = f"标题\n{overall}\n{problems}"
    spans = {
        "overall": (text.index(overall), text.index(overall) + len(overall)),
        "problems": (text.index(problems), len(text)),
    }
    sections = {"overall": overall, "problems": problems}
    report = Report(source="r", text=text, sections=sections, spans=spans)
    found = report_sentences(report)
    assert [(s.section, s.index, s.text) for s in found] == [
        ("overall", 0, "一、总体情况"),
        ("overall", 1, "本年度收到申请2件。"),
        ("overall", 2, "已办结。"),
        ("problems", 0, "五、存在问题"),
        ("problems", 1, "人员不足。"),
    ]
    assert all(text[s.start : s.end] == s.text for s in found)
    assert report.sentences == found and report.sentences is report.sentences  # cut once


def test_a_span_that_is_not_its_section_is_an_error():
    report = Report(
        source="r", text="一二三四", sections={"overall": "一二"}, spans={"overall": (1, 3)}
    )
    with pytest.raises(ValueError, match="overall"):
        report_sentences(report)


@pytest.mark.parametrize("text", [TEXT, "", "甲。 （一）乙 丙\n丁", "  \n一、总体情况 正文。  "])
def test_sentence_texts_are_the_texts_of_the_spans(text):
    assert sentence_texts(text) == [text[start:end] for start, end in sentence_spans(text)]
