"""Sentences as features: tokens (computed once per sentence), section and nearest sub-heading.

The sentences are a report's one sentence table (`Report.sentences`, offsets into `report.text`)
or any list of `nlp.text.Sentence` (the spaCy component passes `doc.sents`). A frame of them
(`sentence_frame`), or the same columns as plain lists (`sentence_columns`, `report_columns`: no
pandas cost), is what the classifier takes as X. The vectorizer reads the prepared term lists
through `identity`, so tokens are never computed twice; `identity` is a module-level function so
that skops can name (and trust) it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import numpy as np
import pandas as pd

from nlp.report import NARRATIVE_SECTIONS, Report
from nlp.text import Sentence, tokenize
from nlp.themes.baseline import is_heading, keyword_themes

FRAME_COLUMNS = (
    "section",
    "index",
    "text",
    "start",
    "end",
    "heading_theme",
    "keyword_theme",
    "is_heading",
    "tokens",
)
_NOISE = re.compile(r"^[\s\W_]+$")
_DIGITS = re.compile(r"\d")
# token -> term (None: dropped); bounded because every new number is a new token.
_TERMS: dict[str, str | None] = {}
_TERMS_MAX = 1 << 17


def identity(terms: list[str]) -> list[str]:
    """The vectorizer's analyzer: terms are prepared beforehand."""
    return terms


def words(text: str) -> list[str]:
    """The tokens that carry meaning: no spaces or punctuation; any number becomes `<num>`."""
    return [term for term in map(_term, tokenize(text)) if term is not None]


def _term(token: str) -> str | None:
    try:
        return _TERMS[token]
    except KeyError:
        term = None if _NOISE.match(token) else "<num>" if _DIGITS.search(token) else token
        if len(_TERMS) < _TERMS_MAX:
            _TERMS[token] = term
        return term


def sentence_frame(
    report: Report | Mapping[str, str], which: Sequence[str] = NARRATIVE_SECTIONS
) -> pd.DataFrame:
    """The sentences of the named narrative sections of a report (its sentence table, in the
    order of `which`), as the classifier's X. A mapping of sections is taken as
    `Report(sections=…)`: offsets then point into its joined text (see `within_sections`)."""
    report = as_report(report)
    by_section: dict[str, list[Sentence]] = {}
    for sentence in report.sentences:
        by_section.setdefault(sentence.section, []).append(sentence)
    chosen = [s for name in which for s in by_section.get(name, [])]
    return pd.DataFrame(sentence_columns(chosen), columns=list(FRAME_COLUMNS))


def within_sections(frame: pd.DataFrame, report: Report | Mapping[str, str]) -> pd.DataFrame:
    """`frame` with `start`/`end` made offsets into each sentence's section text (as stored
    annotations and the generator's truth have them) instead of the report's text."""
    report = as_report(report)
    base = frame["section"].map(lambda key: report.spans[key][0])
    return frame.assign(start=frame["start"] - base, end=frame["end"] - base)


def as_report(report: Report | Mapping[str, str]) -> Report:
    return report if isinstance(report, Report) else Report(source="", sections=dict(report))


def report_columns(reports: Iterable[Report]) -> dict[str, list]:
    """The narrative sentences of many reports, in their order, as columns with `source`."""
    reports = list(reports)
    for report in reports:
        if not isinstance(report, Report):
            raise TypeError(f"expected Report objects, got {type(report).__name__}")
    source = [report.source for report in reports for _ in report.sentences]
    columns = sentence_columns([s for report in reports for s in report.sentences])
    return {"source": source, **columns}


def sentence_columns(sentences: Sequence[Sentence]) -> dict[str, list]:
    """The sentence frame's columns, as lists, of these sentences (of one report or many).

    Built over all of them at once, so that cue words are sought in one pass."""
    text = [s.text for s in sentences]
    index = [s.index for s in sentences]
    headings = [is_heading(t) for t in text]
    cues = keyword_themes(text)
    return {
        "section": [s.section for s in sentences],
        "index": index,
        "text": text,
        "start": [s.start for s in sentences],
        "end": [s.end for s in sentences],
        "heading_theme": _heading_themes(index, headings, cues),
        "keyword_theme": cues,
        "is_heading": headings,
        "tokens": [words(t) for t in text],
    }


def _heading_themes(indices: list[int], headings: list[bool], cues: list[str]) -> list[str]:
    """The cue theme of the nearest sub-heading above each sentence of its section."""
    themes, current = [], "none"
    for index, heading, cue in zip(indices, headings, cues, strict=True):
        if index == 0:  # a new section
            current = "none"
        if heading:
            current = cue
        themes.append(current)
    return themes


def as_sentences(X) -> pd.DataFrame | Mapping[str, Sequence]:
    """X as sentences: a frame or a mapping of columns passes; `Sentence`s (a report's sentence
    table) become their columns; texts become `overall` ones."""
    if isinstance(X, pd.DataFrame | Mapping):
        return X
    if isinstance(X, Sequence) and X and all(isinstance(x, Sentence) for x in X):
        return sentence_columns(X)
    texts = [str(t) for t in np.asarray(X, dtype=object).ravel()]
    return {
        "section": ["overall"] * len(texts),
        "text": texts,
        "heading_theme": ["none"] * len(texts),
        "keyword_theme": keyword_themes(texts),
        "is_heading": [is_heading(t) for t in texts],
        "tokens": [words(t) for t in texts],
    }


def documents(
    table: pd.DataFrame | Mapping[str, Sequence], ngrams: int = 2, context: bool = True
) -> list[list[str]]:
    """The terms of every sentence: token n-grams, then the section and sub-heading markers."""
    tokens = token_lists(table)
    markers = context_terms(table) if context else [()] * len(tokens)
    return [_terms(t, ngrams, m) for t, m in zip(tokens, markers, strict=True)]


def token_lists(table: pd.DataFrame | Mapping[str, Sequence]) -> list[list[str]]:
    """The tokens of every sentence."""
    return _as_list(table["tokens"])


def context_terms(table: pd.DataFrame | Mapping[str, Sequence]) -> list[tuple[str, ...]]:
    """The section and sub-heading markers of every sentence."""
    columns = ("section", "heading_theme", "keyword_theme", "is_heading")
    return list(map(_context, *(_as_list(table[c]) for c in columns)))


def _as_list(values) -> list:
    return values.tolist() if hasattr(values, "tolist") else list(values)


def _terms(tokens: Iterable[str], ngrams: int, markers: tuple[str, ...]) -> list[str]:
    tokens = list(tokens)
    terms = list(tokens)
    if ngrams >= 2:
        terms.extend([f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)])
    for n in range(3, ngrams + 1):
        terms.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    terms.extend(markers)
    return terms


@cache
def _context(section: str, heading_theme: str, cue_theme: str, heading: bool) -> tuple[str, ...]:
    return (
        f"§section={section}",
        f"§heading={heading_theme}",
        f"§cues={cue_theme}",
        f"§is_heading={bool(heading)}",
    )
