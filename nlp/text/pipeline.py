"""The spaCy `zh` Language of the project: jieba words (via `tokenize`) and report sentences.

`spacy.blank("zh")` gives the language defaults; its tokenizer is replaced by `JiebaTokenizer`
and a `report_sentences` component marks the boundaries of `sentence_spans`, so `doc.sents`
and the fast path `sentences()` agree.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

from nlp.text.sentences import sentence_spans
from nlp.text.words import tokenize

SENTENCE_COMPONENT = "report_sentences"


class JiebaTokenizer:
    """A spaCy tokenizer that cuts with `nlp.text.tokenize` (rjieba, or jieba as fallback)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words, spaces = get_words_and_spaces(tokenize(text), text)
        return Doc(self.vocab, words=words, spaces=spaces)

    # The tokenizer has no state of its own: the dictionary is a data file of the package.
    def to_bytes(self, **_kwargs) -> bytes:
        return b""

    def from_bytes(self, _data: bytes, **_kwargs) -> JiebaTokenizer:
        return self

    def to_disk(self, _path, **_kwargs) -> None:
        return None

    def from_disk(self, _path, **_kwargs) -> JiebaTokenizer:
        return self


@Language.component(SENTENCE_COMPONENT)
def mark_report_sentences(doc: Doc) -> Doc:
    """Set `is_sent_start` at the first token of every span of `sentence_spans(doc.text)`."""
    starts = {start for start, _ in sentence_spans(doc.text)}
    token_starts = [token.idx for token in doc]
    first_tokens = {max(bisect_right(token_starts, start) - 1, 0) for start in starts}
    for i, token in enumerate(doc):
        token.is_sent_start = i == 0 or i in first_tokens
    return doc


@cache
def nlp() -> Language:
    """The project's Language, built once: blank `zh`, jieba tokenizer, report sentences."""
    language = spacy.blank("zh")
    language.tokenizer = JiebaTokenizer(language.vocab)
    language.add_pipe(SENTENCE_COMPONENT)
    return language
