"""Sentences and words of the narrative.

- `sentences(text)` → `Sentence(index, text, start, end)` with offsets into `text` (fast path);
- `report_sentences(report)` → a report's narrative sentences with their `section`, offsets into
  `report.text` (the one sentence table; `Report.sentences` keeps it once made);
- `tokenize(text)` → jieba's words (rjieba when importable) with the domain dictionary;
- `nlp()` → the spaCy `zh` Language with the same words and the same sentence boundaries.

spaCy is imported only when `nlp()` is first called: batch work needs only the fast path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from nlp.text.sentences import Sentence, report_sentences, sentence_spans, sentences
from nlp.text.words import backend, domain_terms, tokenize

if TYPE_CHECKING:
    from spacy.language import Language

__all__ = [
    "Sentence",
    "backend",
    "domain_terms",
    "nlp",
    "report_sentences",
    "sentence_spans",
    "sentences",
    "tokenize",
]


def nlp() -> Language:
    """The project's spaCy Language (built once): see `nlp.text.pipeline`."""
    from nlp.text import pipeline

    return pipeline.nlp()
