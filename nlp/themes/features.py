"""Sentences as features: tokens (computed once per sentence), section and nearest sub-heading.

A frame of sentences (one row per sentence, built by `sentence_frame`), or the same columns as
plain lists (`sentence_columns`, `report_columns`: no pandas cost), is what the classifier takes
as X. The vectorizer reads the prepared term lists through `identity`, so tokens are never
computed twice; `identity` is a module-level function so that skops can name (and trust) it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import numpy as np
import pandas as pd

from nlp.report import NARRATIVE_SECTIONS, Report
from nlp.text import sentences, tokenize
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
    sections: dict[str, str], which: Sequence[str] = NARRATIVE_SECTIONS
) -> pd.DataFrame:
    """Every sentence of the named sections (in that order), as the classifier's X."""
    columns = sentence_columns([sections], which)
    return pd.DataFrame(columns, columns=list(FRAME_COLUMNS))


def report_columns(reports: Iterable[Report]) -> dict[str, list]:
    """The narrative sentences of many reports, in their order, as columns with `source`."""
    reports = list(reports)
    for report in reports:
        if not isinstance(report, Report):
            raise TypeError(f"expected Report objects, got {type(report).__name__}")
    positions: list[int] = []
    columns = sentence_columns([r.sections for r in reports], NARRATIVE_SECTIONS, positions)
    return {"source": [reports[k].source for k in positions], **columns}


def sentence_columns(
    section_maps: Sequence[dict[str, str]],
    which: Sequence[str],
    positions: list[int] | None = None,
) -> dict[str, list]:
    """The sentence frame's columns, as lists, over the named sections of every section map.

    Built over all section maps at once, so that cue words are sought in one pass; `positions`,
    when given, receives the position of each sentence's section map.
    """
    columns: dict[str, list] = {name: [] for name in FRAME_COLUMNS[:5]}
    section, index, text = columns["section"], columns["index"], columns["text"]
    start, end = columns["start"], columns["end"]
    for position, sections in enumerate(section_maps):
        for name in which:
            for sentence in sentences(sections.get(name) or ""):
                section.append(name)
                index.append(sentence.index)
                text.append(sentence.text)
                start.append(sentence.start)
                end.append(sentence.end)
                if positions is not None:
                    positions.append(position)
    headings = [is_heading(t) for t in text]
    cues = keyword_themes(text)
    columns["heading_theme"] = _heading_themes(index, headings, cues)
    columns["keyword_theme"] = cues
    columns["is_heading"] = headings
    columns["tokens"] = [words(t) for t in text]
    return columns


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
    """X as sentences: a frame or a mapping of columns passes; texts become `overall` ones."""
    if isinstance(X, pd.DataFrame | Mapping):
        return X
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
