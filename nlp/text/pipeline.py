"""The spaCy `zh` Language of the project: jieba words (via `tokenize`) and report sentences.

The tokenizer is `JiebaTokenizer`, registered as `xxgk.rjieba_tokenizer` in spaCy's tokenizer
registry, and a `report_sentences` component marks the boundaries of `sentence_spans`, so
`doc.sents` and the report's sentence table agree (spans of marks only, which the table leaves
out, are sentences of their own in `doc.sents`: `is_sentence` tells them). Both are named in the
Language's config, so `nlp.to_disk(path)` then `spacy.load(path)` gives the same pipeline (the
package's entry points register them in a fresh process).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces
from spacy.vocab import Vocab

from nlp.text.sentences import sentence_spans
from nlp.text.words import tokenize

SENTENCE_COMPONENT = "report_sentences"
TOKENIZER = "xxgk.rjieba_tokenizer"


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


@spacy.registry.tokenizers(TOKENIZER)
def create_jieba_tokenizer() -> Callable[[Language], JiebaTokenizer]:
    """The registered tokenizer factory named in the config (`[nlp.tokenizer]`)."""

    def make(language: Language) -> JiebaTokenizer:
        return JiebaTokenizer(language.vocab)

    return make


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
    return blank()


def blank() -> Language:
    """A new Language of the project's config (jieba tokenizer, report sentences)."""
    config = spacy.blank("zh").config
    config["nlp"]["tokenizer"] = {"@tokenizers": TOKENIZER}
    language = spacy.util.load_model_from_config(config, auto_fill=True)
    language.add_pipe(SENTENCE_COMPONENT)
    return language
