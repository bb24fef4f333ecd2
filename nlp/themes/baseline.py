"""The keyword-rule baseline: a sentence gets the theme and function whose cue words it holds.

The cues are data (`keywords.yaml`); the model must beat this on the same folds to earn its keep.
The same table names the theme of a sub-heading, a feature of the classifier.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

from nlp.ingest.model import numbering
from nlp.report import FUNCTION_KEYS, THEME_KEYS


@dataclass(frozen=True)
class Heading:
    """When a numbered unit stands as a sub-heading (`keywords.yaml`, `heading`)."""

    max_chars: int
    sentence_marks: str
    closing_punctuation: str
    commas: str
    max_commas: int
    comma_from_level: int


@dataclass(frozen=True)
class Parts:
    """How a unit of 五 announces its problem or measure part (`keywords.yaml`, `parts`)."""

    neutral: re.Pattern[str]
    announces: re.Pattern[str]
    measure_lead: re.Pattern[str]
    cues: re.Pattern[str]  # any cue word of either part
    part_of: dict[str, str]  # cue word -> part


@dataclass(frozen=True)
class Vocabulary:
    themes: dict[str, tuple[str, ...]]
    functions: dict[str, tuple[str, ...]]
    section_function: dict[str, str]
    heading: Heading
    parts: Parts


@cache
def vocabulary() -> Vocabulary:
    """The cue table of `keywords.yaml`, loaded once."""
    raw = resources.files("nlp.themes").joinpath("keywords.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(raw)
    return Vocabulary(
        themes={k: tuple(v) for k, v in spec["themes"].items()},
        functions={k: tuple(v) for k, v in spec["functions"].items()},
        section_function=dict(spec["section_function"]),
        heading=Heading(**spec["heading"]),
        parts=_parts(spec["parts"]),
    )


def _parts(spec: dict) -> Parts:
    part_of = {word: part for part in ("problem", "measure") for word in spec[part]}
    longest_first = sorted(part_of, key=len, reverse=True)
    return Parts(
        neutral=re.compile(spec["neutral"]),
        announces=re.compile(spec["announces"]),
        measure_lead=re.compile(spec["measure_lead"]),
        cues=re.compile("|".join(map(re.escape, longest_first))),
        part_of=part_of,
    )


THEMES = THEME_KEYS
FUNCTIONS = FUNCTION_KEYS


def is_heading(text: str) -> bool:
    """A numbered, short unit such as （一）主动公开情况 or （2）推进采购信息公开。: a heading, not
    a statement (numbering styles: the document model's)."""
    return stands_as_heading(text, numbering(text))


def stands_as_heading(text: str, found: tuple[str, int] | None) -> bool:
    """`is_heading`, given the numbering `nlp.ingest.model.numbering` found at its start."""
    rule = vocabulary().heading
    if found is None or len(text) > rule.max_chars:
        return False
    body = text.strip().rstrip(rule.closing_punctuation)
    if any(mark in body for mark in rule.sentence_marks):
        return False
    commas = sum(body.count(c) for c in rule.commas)
    allowed = rule.max_commas if found[1] >= rule.comma_from_level else 0
    return commas <= allowed


def keyword_theme(text: str) -> str:
    """The theme with the most cue hits (ties: order of `keywords.yaml`); `general` if none."""
    return _best(text, vocabulary().themes) or "general"


def keyword_themes(texts: Sequence[str]) -> list[str]:
    """`keyword_theme` of every text, in one pass per cue word over all of them (same counts)."""
    return _keyword_labels(_Joined(texts), "themes", "general")


def _keyword_labels(joined: _Joined, table: str, default: str) -> list[str]:
    if not joined.n:
        return []
    labels = list(getattr(vocabulary(), table))
    hits = joined.hits(_cue_words(table), len(labels))
    best = hits.argmax(axis=1)  # the first maximum: ties go to the order of keywords.yaml
    best[hits.max(axis=1) == 0] = len(labels)
    return np.array([*labels, default], dtype=object)[best].tolist()


def keyword_function(text: str, section: str) -> str:
    """Headings are framing; otherwise the function with most cues, else the section's prior."""
    if is_heading(text):
        return "framing"
    vocab = vocabulary()
    return _best(text, vocab.functions) or vocab.section_function.get(section, "achievement")


def predict(texts: list[str], sections: list[str]) -> list[tuple[str, str]]:
    """(theme, function) of every sentence by the keyword rules."""
    return [
        (keyword_theme(t), keyword_function(t, s)) for t, s in zip(texts, sections, strict=True)
    ]


# Cue words never hold a line break, so none is found across two joined texts.
_JOINER = "\n"


@cache
def _cue_words(table: str) -> tuple[tuple[str, re.Pattern[str], int], ...]:
    """(word, its literal pattern, label column) of every cue word of `table`."""
    return tuple(
        (word, re.compile(re.escape(word)), column)
        for column, words in enumerate(getattr(vocabulary(), table).values())
        for word in words
    )


class _Joined:
    """Texts joined into one, where each cue word is sought once for all of them."""

    def __init__(self, texts: Sequence[str]):
        self.n = len(texts)
        self.text = _JOINER.join(texts)
        lengths = np.fromiter((len(t) + len(_JOINER) for t in texts), dtype=np.int64)
        self.starts = np.cumsum(lengths) - lengths

    def hits(self, words, width: int) -> np.ndarray:
        """(texts, labels) counts of non-overlapping cue occurrences, as `str.count` gives."""
        hits = np.zeros((self.n, width), dtype=np.int64)
        for word, pattern, column in words:
            if word not in self.text:  # most words, in a small batch: a cheaper scan
                continue
            found = [match.start() for match in pattern.finditer(self.text)]
            rows = np.searchsorted(self.starts, found, side="right") - 1
            hits[:, column] += np.bincount(rows, minlength=self.n)
        return hits


def _best(text: str, cues: dict[str, tuple[str, ...]]) -> str | None:
    best, best_hits = None, 0
    for label, words in cues.items():
        hits = sum(text.count(word) for word in words)
        if hits > best_hits:
            best, best_hits = label, hits
    return best
