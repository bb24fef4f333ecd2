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
    return [match.span() for match in _sentence().finditer(text)]


def sentence_texts(text: str) -> list[str]:
    """The text of every span of `sentence_spans(text)`, in order."""
    return _sentence().findall(text)  # the pattern has no group: findall gives whole matches


@cache
def _sentence() -> re.Pattern[str]:
    """One match per sentence; `finditer` skips the whitespace between them itself.

    A sentence runs to its terminator run (with the closers after it), or to the last visible
    character before a line break or the end. A heading is a sentence of its own where it
    starts a sentence or follows a run of spaces inside one."""
    raw = resources.files("nlp.text").joinpath("sentences.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(raw)
    ends = re.escape(spec["terminators"])
    closers = re.escape(spec["closers"])
    heading = spec["heading"]
    visible = rf"[^\s{ends}]+"
    space = r"[^\S\n]"  # a line break always ends a sentence
    ending = rf"[{ends}]+[{closers}]*"
    pattern = re.compile(
        rf"(?:{heading})"
        rf"|{visible}(?:{space}+(?!{heading}){visible})*(?:{space}*{ending})?"
        rf"|{ending}"
    )
    if pattern.groups:
        raise ValueError("sentences.yaml: the heading pattern must not capture (use (?:…))")
    return pattern
