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
import sys
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from nlp.ingest.model import heading_styles
from nlp.report import NARRATIVE_SECTIONS, Report
from nlp.text import Sentence, tokenize
from nlp.themes.baseline import keyword_themes, stands_as_heading, vocabulary

if TYPE_CHECKING:  # pandas on first use: `xxgk themes FILE` predicts from columns, without it
    import pandas as pd

STRUCTURE_COLUMNS = (
    "section",
    "heading_theme",
    "keyword_theme",
    "is_heading",
    "heading_level",
    "under_level",
    "position",
    "part",
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
_UNKNOWN = object()  # an argument not given (None is a value: no numbering found)
_TERMS_MAX = 1 << 17


@cache
def _numbering_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, int]]]:
    """The document model's numbering styles (`heading_styles.yaml`) as one pattern, a named
    group per style in their order, behind the blanks and markdown marks `numbering` skips."""
    styles = heading_styles()
    groups = "|".join(f"(?P<s{i}>{style.pattern.pattern})" for i, style in enumerate(styles))
    named = {f"s{i}": (style.key, style.level) for i, style in enumerate(styles)}
    return re.compile(rf"[ \t\u3000#*>]*(?:{groups})"), named


def numbering(text: str) -> tuple[str, int] | None:
    """`nlp.ingest.model.numbering` in one regex match (it is asked of every sentence)."""
    pattern, named = _numbering_pattern()
    found = pattern.match(text)
    return named[found.lastgroup] if found else None


def identity(terms: list[str]) -> list[str]:
    """The vectorizer's analyzer: terms are prepared beforehand."""
    return terms


def words(text: str) -> list[str]:
    """The tokens that carry meaning: no spaces or punctuation; any number becomes `<num>`."""
    # Each token's term looked up by the dict itself (in C), not by a Python call per token.
    return [term for term in map(_TERMS.__getitem__, tokenize(text)) if term is not None]


class _Terms(dict):
    """token -> term (None: dropped), remembered up to `_TERMS_MAX` tokens: every new number is
    a new token."""

    def __missing__(self, token: str) -> str | None:
        term = None if _NOISE.match(token) else "<num>" if _DIGITS.search(token) else token
        if len(self) < _TERMS_MAX:
            self[token] = term
        return term


_TERMS = _Terms()


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
    import pandas as pd

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
    found = list(map(numbering, text))
    headings = list(map(stands_as_heading, text, found))
    cues = keyword_themes(text)
    levels = list(map(heading_level, text, headings, found))
    under, position = _outline(index, levels)
    sections = [s.section for s in sentences]
    return {
        "section": sections,
        "index": index,
        "text": text,
        "start": [s.start for s in sentences],
        "end": [s.end for s in sentences],
        "heading_theme": _heading_themes(index, [lv not in _RUNNING for lv in levels], cues),
        "keyword_theme": cues,
        "is_heading": headings,
        "heading_level": levels,
        "under_level": under,
        "position": position,
        "part": parts(sections, index, text, levels),
        "tokens": [words(t) for t in text],
    }


def heading_level(text: str, numbered_heading: bool, found=_UNKNOWN) -> str:
    """The unit as an outline element: the level of its numbering style when it is a numbered
    heading (1 一、, 2 （一）, 3 1., 4 （1）: `nlp/ingest/heading_styles.yaml`, the styles the
    document model gives its heading blocks), `bare` for a short unpunctuated line standing
    alone, `glued` for a numbered heading run on into its first sentence, `item` for a 一是/二是
    item, `no` for a sentence. `found`: `numbering(text)`, when already known."""
    found = numbering(text) if found is _UNKNOWN else found
    if numbered_heading:
        return str(found[1]) if found else "bare"
    if found:
        return "glued"
    if len(text) <= _BARE_HEADING_MAX_CHARS and not _SENTENCE_MARKS.search(text):
        return "bare"
    return "item" if _ITEM.match(text) else "no"


# Outline levels that are not a heading of their own.
_RUNNING = ("no", "item", "glued")


def parts(
    sections: Sequence[str], indices: Sequence[int], texts: Sequence[str], levels: Sequence[str]
) -> list[str]:
    """The part of section 五 each unit belongs to (`problem`, `measure`, `none` before either is
    announced and in the other sections): set by the units that announce one (`keywords.yaml`,
    `parts`), from that unit on."""
    out, current = [], "none"
    for section, index, text, level in zip(sections, indices, texts, levels, strict=True):
        if index == 0:  # a new section
            current = "none"
        if section == "problems":
            current = _announced(text, level) or current
            out.append(current)
        else:
            out.append("none")
    return out


def _announced(text: str, level: str) -> str | None:
    """The part a unit announces, if it is a heading or a lead-in: its last cue word's."""
    rule = vocabulary().parts
    lead, colon, _ = text.partition("：") if "：" in text else text.partition(":")
    if level in ("no", "item") and not colon and not rule.announces.search(text):
        return None
    if rule.measure_lead.search(text):
        return "measure"
    found = rule.cues.findall(rule.neutral.sub("", lead if colon else text))
    return rule.part_of[found[-1]] if found else None


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
        if level not in _RUNNING:
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
    if isinstance(X, Mapping) or _is_frame(X):
        return X
    if isinstance(X, Sequence) and X and all(isinstance(x, Sentence) for x in X):
        return sentence_columns(X)
    texts = [str(t) for t in np.asarray(X, dtype=object).ravel()]
    found = list(map(numbering, texts))
    headings = list(map(stands_as_heading, texts, found))
    cues = keyword_themes(texts)
    return {
        "section": ["overall"] * len(texts),
        "text": texts,
        "heading_theme": ["none"] * len(texts),
        "keyword_theme": cues,
        "is_heading": headings,
        "heading_level": list(map(heading_level, texts, headings, found)),
        "under_level": ["none"] * len(texts),
        "position": ["none"] * len(texts),
        "part": ["none"] * len(texts),
        "tokens": [words(t) for t in texts],
    }


def _is_frame(X) -> bool:
    # Without pandas imported X cannot be a frame: no import (a third of a cold `xxgk themes`)
    # to find that out.
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(X, pandas.DataFrame)


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


# Markers only one target's estimator sees: the part of 五 tells a sentence's function, and only
# adds noise to its theme.
TARGET_MARKERS = {"function": ("§part",)}
_STRUCTURE_MARKERS = ("§level", "§under", "§position", "§opening", "§part")
_KEYWORD_MARKERS = ("§cues", "§heading=")


def model_markers(
    table, structure: bool = True, keywords: bool = True, function_markers: bool = True
) -> list[tuple[str, ...]]:
    """`context_terms` without the kinds of marker a model's parameters leave out."""
    markers = context_terms(table)
    if structure and keywords and function_markers:
        return markers
    dropped = (
        (() if structure else _STRUCTURE_MARKERS)
        + (() if keywords else _KEYWORD_MARKERS)
        + (() if function_markers else TARGET_MARKERS["function"])
    )
    return [tuple(m for m in ms if not m.startswith(dropped)) for ms in markers]


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
    part: str = "none",
) -> tuple[str, ...]:
    """Marker terms: the section, the sub-heading's cue theme, the keyword table's guess, and the
    unit's place in the outline (its own heading level, the level it sits under, how far after
    that heading: the opening passage of 总体情况 is `under=1` at positions 0–2), and the part of
    五 it is in, alone and with its outline level."""
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
        f"§part={part}",
        f"§part_level={part}/{level}",
    )
