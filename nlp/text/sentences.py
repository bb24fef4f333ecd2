"""Sentences of a section's text, with their offsets into it.

This is the fast path (regular expressions, no spaCy) used in batch work; the spaCy pipeline of
`nlp.text.pipeline` marks the same boundaries by calling `sentence_spans`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from nlp.text.leading import finditer, leading_class


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: `text == source[start:end]`, trimmed of surrounding whitespace."""

    index: int
    text: str
    start: int
    end: int


def sentences(text: str) -> list[Sentence]:
    """The sentences of `text` in order, numbered from 0."""
    return [
        Sentence(i, text[start:end], start, end)
        for i, (start, end) in enumerate(sentence_spans(text))
    ]


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text`: no empty span, no surrounding whitespace."""
    rules = _rules()
    # A heading holds no terminator and no line break, so none spans two chunks: they are found
    # in one pass over the text, and each chunk is cut at those that fall in it.
    headings = [m.span() for m in finditer(rules.heading, rules.heading_leading, text)]
    headings.append((len(text) + 1, len(text) + 1))  # a sentinel past every chunk
    spans: list[tuple[int, int]] = []
    next_heading = 0
    for chunk in rules.chunk.finditer(text):
        start, end = chunk.span()
        while headings[next_heading][0] < end:
            heading_start, heading_end = headings[next_heading]
            _add_trimmed(spans, text, start, heading_start)
            _add_trimmed(spans, text, heading_start, heading_end)
            start = heading_end
            next_heading += 1
        _add_trimmed(spans, text, start, end)
    return spans


@dataclass(frozen=True)
class _Rules:
    chunk: re.Pattern[str]
    heading: re.Pattern[str]
    heading_leading: re.Pattern[str] | None  # the characters a heading can begin with


@cache
def _rules() -> _Rules:
    raw = resources.files("nlp.text").joinpath("sentences.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(raw)
    ends = re.escape(spec["terminators"])
    closers = re.escape(spec["closers"])
    # A chunk runs to the first terminator run (with its closers), a line break, or the end.
    chunk = re.compile(rf"[^\n{ends}]*(?:[{ends}]+[{closers}]*|\n|$)")
    heading = re.compile(spec["heading"])
    return _Rules(chunk=chunk, heading=heading, heading_leading=leading_class(heading))


def _add_trimmed(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append [start, end) without its surrounding whitespace, unless nothing is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))
