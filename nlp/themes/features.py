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

from nlp.ingest.model import numbering
from nlp.report import NARRATIVE_SECTIONS, Report
from nlp.text import Sentence, tokenize
from nlp.themes.baseline import is_heading, keyword_themes

STRUCTURE_COLUMNS = (
    "section",
    "heading_theme",
    "keyword_theme",
    "is_heading",
    "heading_level",
    "under_level",
    "position",
)
FRAME_COLUMNS = ("section", "index", "text", "start", "end", *STRUCTURE_COLUMNS[1:], "tokens")
_NOISE = re.compile(r"^[\s\W_]+$")
# A unit standing alone with no sentence punctuation and this short reads as a sub-heading
# (主动公开情况, 本年度信息处理费收费情况) even without numbering.
_BARE_HEADING_MAX_CHARS = 20
_SENTENCE_MARKS = re.compile(r"[。；！？，;!?,：:]")
_ITEM = re.compile(r"^[一二三四五六七八九十]{1,3}是")
# Units after the nearest heading that are told apart (the opening passage is the first ones).
_POSITIONS = 3
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
    levels = [heading_level(t, h) for t, h in zip(text, headings, strict=True)]
    under, position = _outline(index, levels)
    return {
        "section": [s.section for s in sentences],
        "index": index,
        "text": text,
        "start": [s.start for s in sentences],
        "end": [s.end for s in sentences],
        "heading_theme": _heading_themes(index, [lv not in ("no", "item") for lv in levels], cues),
        "keyword_theme": cues,
        "is_heading": headings,
        "heading_level": levels,
        "under_level": under,
        "position": position,
        "tokens": [words(t) for t in text],
    }


def heading_level(text: str, numbered_heading: bool) -> str:
    """The unit as an outline element: the level of its numbering style when it is a numbered
    heading (1 一、, 2 （一）, 3 1., 4 （1）: `nlp/ingest/heading_styles.yaml`, the styles the
    document model gives its heading blocks), `bare` for a short unpunctuated line standing
    alone, `item` for a 一是/二是 item, `no` for a sentence."""
    if numbered_heading:
        found = numbering(text)
        return str(found[1]) if found else "bare"
    if len(text) <= _BARE_HEADING_MAX_CHARS and not _SENTENCE_MARKS.search(text):
        return "bare"
    return "item" if _ITEM.match(text) else "no"


def _outline(indices: list[int], levels: list[str]) -> tuple[list[str], list[str]]:
    """For each unit: the level of the nearest heading above it in its section (`none` before
    any), and how many units it follows that heading by (`0`, `1`, … `3+`)."""
    under, position = [], []
    current, since = "none", 0
    for index, level in zip(indices, levels, strict=True):
        if index == 0:  # a new section
            current, since = "none", 0
        under.append(current)
        position.append(str(since) if since < _POSITIONS else f"{_POSITIONS}+")
        if level not in ("no", "item"):
            current, since = level, 0
        since += 1
    return under, position


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
    headings = [is_heading(t) for t in texts]
    return {
        "section": ["overall"] * len(texts),
        "text": texts,
        "heading_theme": ["none"] * len(texts),
        "keyword_theme": keyword_themes(texts),
        "is_heading": headings,
        "heading_level": [heading_level(t, h) for t, h in zip(texts, headings, strict=True)],
        "under_level": ["none"] * len(texts),
        "position": ["none"] * len(texts),
        "tokens": [words(t) for t in texts],
    }


def documents(
    table: pd.DataFrame | Mapping[str, Sequence],
    ngrams: int = 2,
    context: bool = True,
    markers: Sequence[tuple[str, ...]] | None = None,
) -> list[list[str]]:
    """The terms of every sentence: token n-grams, then the section and sub-heading markers
    (`markers` when given, else all of `context_terms`)."""
    tokens = token_lists(table)
    if markers is None:
        markers = context_terms(table) if context else [()] * len(tokens)
    return [_terms(t, ngrams, m) for t, m in zip(tokens, markers, strict=True)]


def char_documents(
    table: pd.DataFrame | Mapping[str, Sequence],
    markers: Sequence[tuple[str, ...]] | None = None,
    longest: int = 3,
) -> list[list[str]]:
    """Character 1…`longest`-grams of every sentence (digits as `0`), then its markers: the
    alternative to rjieba tokens compared in the model card."""
    texts = [_DIGITS.sub("0", t) for t in _as_list(table["text"])]
    markers = markers if markers is not None else [()] * len(texts)
    return [
        [t[i : i + n] for n in range(1, longest + 1) for i in range(len(t) - n + 1)] + list(m)
        for t, m in zip(texts, markers, strict=True)
    ]


def token_lists(table: pd.DataFrame | Mapping[str, Sequence]) -> list[list[str]]:
    """The tokens of every sentence."""
    return _as_list(table["tokens"])


def context_terms(table: pd.DataFrame | Mapping[str, Sequence]) -> list[tuple[str, ...]]:
    """The section, outline and sub-heading markers of every sentence."""
    columns = STRUCTURE_COLUMNS if "heading_level" in table else STRUCTURE_COLUMNS[:4]
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
def _context(
    section: str,
    heading_theme: str,
    cue_theme: str,
    heading: bool,
    level: str = "no",
    under: str = "none",
    position: str = "none",
) -> tuple[str, ...]:
    """Marker terms: the section, the sub-heading's cue theme, the keyword table's guess, and the
    unit's place in the outline (its own heading level, the level it sits under, how far after
    that heading: the opening passage of 总体情况 is `under=1` at positions 0–2)."""
    return (
        f"§section={section}",
        f"§heading={heading_theme}",
        f"§cues={cue_theme}",
        f"§is_heading={bool(heading)}",
        f"§level={level}",
        f"§under={under}",
        f"§position={position}",
        f"§opening={section}/{under}/{position}" if under in ("none", "1") else "§opening=no",
        f"§level_in={section}/{level}",
    )
