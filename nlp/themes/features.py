"""Sentences as features: tokens (computed once per sentence), section and nearest sub-heading.

A frame of sentences (one row per sentence, built by `sentence_frame`) is what the classifier
takes as X. The vectorizer reads the prepared term lists through `identity`, so tokens are never
computed twice; `identity` is a module-level function so that skops can name (and trust) it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from nlp.report import NARRATIVE_SECTIONS, Report
from nlp.text import sentences, tokenize
from nlp.themes.baseline import is_heading, keyword_theme

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


def identity(terms: list[str]) -> list[str]:
    """The vectorizer's analyzer: terms are prepared beforehand."""
    return terms


def words(text: str) -> list[str]:
    """The tokens that carry meaning: no spaces or punctuation; any number becomes `<num>`."""
    return ["<num>" if _DIGITS.search(w) else w for w in tokenize(text) if not _NOISE.match(w)]


def section_rows(section: str, text: str) -> list[dict]:
    """One row per sentence of a section, with the theme of the sub-heading it falls under."""
    rows, heading_theme = [], "none"
    for sentence in sentences(text):
        heading = is_heading(sentence.text)
        if heading:
            heading_theme = keyword_theme(sentence.text)
        rows.append(
            {
                "section": section,
                "keyword_theme": keyword_theme(sentence.text),
                "index": sentence.index,
                "text": sentence.text,
                "start": sentence.start,
                "end": sentence.end,
                "heading_theme": heading_theme,
                "is_heading": heading,
                "tokens": words(sentence.text),
            }
        )
    return rows


def sentence_frame(
    sections: dict[str, str], which: Sequence[str] = NARRATIVE_SECTIONS
) -> pd.DataFrame:
    """Every sentence of the named sections (in that order), as the classifier's X."""
    rows = [row for name in which if name in sections for row in section_rows(name, sections[name])]
    return pd.DataFrame(rows, columns=list(FRAME_COLUMNS))


def report_frame(report: Report) -> pd.DataFrame:
    """The narrative sentences of a report, with `source` first."""
    frame = sentence_frame(report.sections)
    frame.insert(0, "source", report.source)
    return frame


def as_frame(X) -> pd.DataFrame:
    """X as a sentence frame: a frame passes through; plain texts become `overall` sentences."""
    if isinstance(X, pd.DataFrame):
        return X
    texts = [str(t) for t in np.asarray(X, dtype=object).ravel()]
    return pd.DataFrame(
        {
            "section": "overall",
            "text": texts,
            "heading_theme": "none",
            "keyword_theme": [keyword_theme(t) for t in texts],
            "is_heading": [is_heading(t) for t in texts],
            "tokens": [words(t) for t in texts],
        }
    )


def documents(frame: pd.DataFrame, ngrams: int = 2, context: bool = True) -> list[list[str]]:
    """The terms of every sentence: token n-grams, then the section and sub-heading markers."""
    columns = ("tokens", "section", "heading_theme", "keyword_theme", "is_heading")
    return [
        _terms(tokens, ngrams) + (_context(*markers) if context else [])
        for tokens, *markers in zip(*(frame[c] for c in columns), strict=True)
    ]


def _terms(tokens: Iterable[str], ngrams: int) -> list[str]:
    tokens = list(tokens)
    terms = list(tokens)
    for n in range(2, ngrams + 1):
        terms.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return terms


def _context(section: str, heading_theme: str, cue_theme: str, heading: bool) -> list[str]:
    return [
        f"§section={section}",
        f"§heading={heading_theme}",
        f"§cues={cue_theme}",
        f"§is_heading={bool(heading)}",
    ]
