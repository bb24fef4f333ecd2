"""Words of a text: jieba's algorithm and dictionary, plus the field's own terms.

rjieba (jieba's algorithm in Rust) is used when importable; its `Jieba.add_word` takes a
frequency and a tag, so the domain dictionary is loaded straight into a private instance (no
post-merge of terms is needed). Without rjieba, a private `jieba.Tokenizer` loads the same
file. Both run with HMM on, as `jieba.lcut` does by default, so both give jieba's words.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources

DOMAIN_DICT = "domain_dict.txt"

Cutter = Callable[[str], list[str]]


def tokenize(text: str) -> list[str]:
    """The words of `text`, whitespace runs included, so that `"".join(words) == text`."""
    return _segmenter()[1](text)


def backend() -> str:
    """Which segmenter `tokenize` uses: "rjieba" or "jieba"."""
    return _segmenter()[0]


def domain_terms() -> list[tuple[str, int, str | None]]:
    """The domain dictionary as (word, freq, tag), in jieba's user-dictionary format."""
    return list(_read_domain_dict())


def _read_domain_dict() -> Iterator[tuple[str, int, str | None]]:
    text = resources.files("nlp.text").joinpath(DOMAIN_DICT).read_text(encoding="utf-8")
    for line in text.splitlines():
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 else 1
        tag = parts[2] if len(parts) > 2 else None
        yield parts[0], freq, tag


@cache
def _segmenter() -> tuple[str, Cutter]:
    try:
        return "rjieba", _rjieba_cutter()
    except ImportError:
        return "jieba", _jieba_cutter()


def _rjieba_cutter() -> Cutter:
    import rjieba

    segmenter = rjieba.Jieba()
    for word, freq, tag in _read_domain_dict():
        segmenter.add_word(word, freq, tag)
    return segmenter.cut


def _jieba_cutter() -> Cutter:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # its dictionary-loading chatter is not ours to print
    segmenter = jieba.Tokenizer()
    for word, freq, tag in _read_domain_dict():
        segmenter.add_word(word, freq, tag)
    return segmenter.lcut
