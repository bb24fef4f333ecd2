"""Words: rjieba with the domain dictionary, jieba as the fallback, both giving jieba's words."""

from __future__ import annotations

import sys

import jieba
import pytest

from nlp.text import backend, domain_terms, tokenize
from nlp.text import words as words_module

SAMPLES = [
    "2023年，本局未收到依申请公开申请，上年结转政府信息公开申请2件。",
    "本年度未发生政府信息公开行政复议、行政诉讼，未制定规范性文件。",
    "在门户网站发稿 250 余篇\n（一）主动公开情况",
    "全年发布政策解读35篇，回应社会关切，组织政府开放日活动两次。",
]


def test_domain_dictionary_has_the_terms_of_the_field():
    words = [word for word, _, _ in domain_terms()]
    assert len(words) >= 80
    assert len(set(words)) == len(words)
    for term in ("政府信息公开", "依申请公开", "行政复议", "上年结转"):
        assert term in words


def test_every_domain_term_is_one_word():
    split = [word for word, _, _ in domain_terms() if tokenize(word) != [word]]
    assert split == []


@pytest.mark.parametrize("text", SAMPLES)
def test_words_join_back_to_the_text(text):
    assert "".join(tokenize(text)) == text


def test_domain_terms_stay_whole_inside_sentences():
    words = tokenize(SAMPLES[0])
    assert "依申请公开申请" in words
    assert "上年结转" in words
    # jieba alone cuts them apart: the dictionary is what keeps them
    assert "上年结转" not in jieba.lcut(SAMPLES[0])


def test_rjieba_is_used_when_importable():
    assert backend() == "rjieba"


def test_rjieba_gives_the_words_of_jieba_lcut():
    import rjieba

    for text in SAMPLES:
        assert rjieba.Jieba().cut(text) == jieba.lcut(text)


def test_jieba_fallback_gives_the_same_words(monkeypatch):
    words_module._segmenter.cache_clear()
    monkeypatch.setitem(sys.modules, "rjieba", None)  # import rjieba now raises ImportError
    try:
        assert backend() == "jieba"
        fallback = [tokenize(text) for text in SAMPLES]
    finally:
        words_module._segmenter.cache_clear()
        monkeypatch.undo()
    assert backend() == "rjieba"
    assert fallback == [tokenize(text) for text in SAMPLES]
