"""The spaCy Language: jieba words and the same sentence boundaries as the fast path."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.text import nlp, sentences, tokenize
from nlp.text.pipeline import JiebaTokenizer
from nlp.text.sentences import is_sentence

# Written for the tests in the style of the reports.
REPORT_LIKE = (
    "一、总体情况\n"
    "2023年，本局认真落实《条例》要求，取得了明显成效。\n"
    "（一）主动公开情况。一是做好信息公开，发稿 120 余篇；二是做好解读，发布解读10篇！\n"
    "（二）依申请公开情况\n"
    "本年度未收到政府信息公开申请。“公开为常态。”此后继续推进\n"
    "二、主动公开政府信息情况 本年度制发规范性文件2件。"
)


def test_language_is_built_once():
    assert nlp() is nlp()
    assert isinstance(nlp(), Language)
    assert nlp().lang == "zh"
    assert isinstance(nlp().tokenizer, JiebaTokenizer)


def test_tokens_are_the_words_of_tokenize():
    text = "本年度共收到政府信息公开申请2件，上年结转1件。"
    doc = nlp()(text)
    assert doc.text == text
    assert [token.text for token in doc] == tokenize(text)


def test_whitespace_survives():
    text = "共收到申请 2 件\n（一）主动公开情况"
    assert nlp()(text).text == text


def _agree(text: str) -> None:
    doc = nlp()(text)
    spacy_sentences = [
        (span.start_char, span.text.strip()) for span in doc.sents if is_sentence(span.text.strip())
    ]
    fast = [(s.start, s.text) for s in sentences(text)]
    assert spacy_sentences == fast


def test_doc_sents_agree_with_the_fast_path():
    _agree(REPORT_LIKE)
    _agree(REPORT_LIKE.replace("\n（二）", "\n、\n##\n（二）"))  # spans of marks only


@pytest.mark.real
def test_doc_sents_agree_on_real_reports(real_corpus):
    for path in sorted((real_corpus / "seeds").glob("*.txt")):
        _agree(path.read_text(encoding="utf-8").strip())
