"""Sentences of a text, with their offsets; and a report's one table of narrative sentences.

`sentences(text)` is the fast path (regular expressions, no spaCy). `report_sentences(report)`
cuts the narrative sections (overall, problems, other) of a report, each within its span of
`report.text`, so every sentence's `start`/`end` point into the report's one text; `Report.sentences`
keeps that table once made, and the analysis, the themes, the batch tables and compare all read
it. The spaCy pipeline of `nlp.text.pipeline` marks the same boundaries by calling
`sentence_spans`.

A line break always ends a sentence: ingest joins hard-wrapped lines back into their paragraph,
so a line break left in the text is a paragraph boundary.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from nlp.report import NARRATIVE_SECTIONS

if TYPE_CHECKING:
    from nlp.report import Report


class Sentence(NamedTuple):
    """One sentence: `text == source[start:end]`, trimmed of surrounding whitespace.

    `index` counts the sentences of its section from 0; `section` is set in a report's table,
    where `source` is `report.text`. A named tuple, as `Claim`: immutable, and quicker to make
    than a frozen dataclass (every sentence of every report makes one)."""

    index: int
    text: str
    start: int
    end: int
    section: str | None = None


def sentences(text: str, section: str | None = None, offset: int = 0) -> list[Sentence]:
    """The sentences of `text` in order, numbered from 0; spans of marks only are left out.

    `offset` is added to every start and end (the position of `text` in a larger text)."""
    marks_only = _marks_only().fullmatch
    out: list[Sentence] = []
    for match in _sentence().finditer(text):
        words = match.group()
        if words[0].isalnum() or marks_only(words) is None:  # most open with a character
            start, end = match.span()
            out.append(Sentence(len(out), words, start + offset, end + offset, section))
    return out


def report_sentences(report: Report) -> list[Sentence]:
    """The narrative sentences of a report, section by section, offsets into `report.text`."""
    out: list[Sentence] = []
    for section in NARRATIVE_SECTIONS:
        span = section_span(report, section)
        if span is not None:
            start, end = span
            out.extend(sentences(report.text[start:end], section, start))
    return out


def section_span(report: Report, section: str) -> tuple[int, int] | None:
    """(start, end) of a section in `report.text`, or None when the report has no such section.

    A span that does not give back the section's text is an error of the report, said here
    rather than passed on as offsets that point elsewhere."""
    span = report.spans.get(section)
    text = report.sections.get(section)
    if span is None:
        if text:
            raise ValueError(f"{report.source}: section {section!r} has no span in the text")
        return None
    start, end = span
    if text is not None and report.text[start:end] != text:
        raise ValueError(f"{report.source}: the span of section {section!r} is not its text")
    return start, end


def is_sentence(text: str) -> bool:
    """False for a span of marks only (、 ## |): nothing of its own is said in it."""
    return _marks_only().fullmatch(text) is None


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every sentence of `text`: no empty span, no surrounding whitespace.

    These are the boundaries (spaCy's too); `sentences` leaves out the spans of marks only."""
    return [match.span() for match in _sentence().finditer(text)]


def sentence_texts(text: str) -> list[str]:
    """The text of every span of `sentence_spans(text)`, in order."""
    return _sentence().findall(text)  # the pattern has no group: findall gives whole matches


@cache
def _spec() -> dict[str, Any]:
    raw = resources.files("nlp.text").joinpath("sentences.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(raw)


@cache
def _marks_only() -> re.Pattern[str]:
    return re.compile(_spec()["marks_only"])


@cache
def _sentence() -> re.Pattern[str]:
    """One match per sentence; `finditer` skips the whitespace between them itself.

    A sentence runs to its terminator run (with the closers after it), or to the last visible
    character before a line break or the end. A heading is a sentence of its own where it
    starts a sentence or follows a run of spaces inside one."""
    spec = _spec()
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
