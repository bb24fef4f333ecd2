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

from nlp.report import FUNCTION_KEYS, THEME_KEYS


@dataclass(frozen=True)
class Vocabulary:
    themes: dict[str, tuple[str, ...]]
    functions: dict[str, tuple[str, ...]]
    section_function: dict[str, str]
    heading: re.Pattern[str]
    heading_max_chars: int


@cache
def vocabulary() -> Vocabulary:
    """The cue table of `keywords.yaml`, loaded once."""
    raw = resources.files("nlp.themes").joinpath("keywords.yaml").read_text(encoding="utf-8")
    spec = yaml.safe_load(raw)
    return Vocabulary(
        themes={k: tuple(v) for k, v in spec["themes"].items()},
        functions={k: tuple(v) for k, v in spec["functions"].items()},
        section_function=dict(spec["section_function"]),
        heading=re.compile(spec["heading"]["pattern"]),
        heading_max_chars=int(spec["heading"]["max_chars"]),
    )


THEMES = THEME_KEYS
FUNCTIONS = FUNCTION_KEYS


def is_heading(text: str) -> bool:
    """A numbered, short line such as （一）主动公开情况: a heading, not a statement."""
    vocab = vocabulary()
    return len(text) <= vocab.heading_max_chars and bool(vocab.heading.match(text))


def keyword_theme(text: str) -> str:
    """The theme with the most cue hits (ties: order of `keywords.yaml`); `general` if none."""
    return _best(text, vocabulary().themes) or "general"


def keyword_themes(texts: Sequence[str]) -> list[str]:
    """`keyword_theme` of every text, in one pass per cue word over all of them (same counts)."""
    if not texts:
        return []
    themes = list(vocabulary().themes)
    hits = _cue_hits(texts, _cue_patterns(), len(themes))
    best = hits.argmax(axis=1)  # the first maximum: ties go to the order of keywords.yaml
    best[hits.max(axis=1) == 0] = len(themes)
    return np.array([*themes, "general"], dtype=object)[best].tolist()


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
def _cue_patterns() -> tuple[tuple[str, re.Pattern[str], int], ...]:
    """(word, its literal pattern, theme column) of every theme cue word."""
    return tuple(
        (word, re.compile(re.escape(word)), column)
        for column, words in enumerate(vocabulary().themes.values())
        for word in words
    )


def _cue_hits(texts: Sequence[str], patterns, width: int) -> np.ndarray:
    """(texts, labels) counts of non-overlapping cue occurrences, as `str.count` gives them."""
    joined = _JOINER.join(texts)
    lengths = np.fromiter((len(t) + len(_JOINER) for t in texts), dtype=np.int64)
    starts = np.cumsum(lengths) - lengths
    hits = np.zeros((len(texts), width), dtype=np.int64)
    for word, pattern, column in patterns:
        if word not in joined:  # most words, in a small batch: a cheaper scan than finditer
            continue
        found = [match.start() for match in pattern.finditer(joined)]
        rows = np.searchsorted(starts, found, side="right") - 1
        hits[:, column] += np.bincount(rows, minlength=len(texts))
    return hits


def _best(text: str, cues: dict[str, tuple[str, ...]]) -> str | None:
    best, best_hits = None, 0
    for label, words in cues.items():
        hits = sum(text.count(word) for word in words)
        if hits > best_hits:
            best, best_hits = label, hits
    return best
