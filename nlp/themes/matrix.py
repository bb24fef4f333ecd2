"""TF-IDF rows of sentences as the fitted `TfidfVectorizer` gives them, in array operations.

sklearn looks every term up in Python, one at a time, and the classifier would first have to spell
out every bigram as a string. Here bigrams are found from the ids of their two tokens (a bigram in
the vocabulary implies both its tokens are: a token is in at least as many sentences), so only
tokens are looked up. Tokens never hold a space (`features.words`), so "a b" names one bigram.
Equivalence with `vectorizer.transform` is tested; `tfidf` is the general fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import numpy as np

if TYPE_CHECKING:  # the arrays model (`nlp.themes.arrays`) uses the index without sklearn/scipy
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

_INDEXES: WeakKeyDictionary[TfidfVectorizer, TermIndex] = WeakKeyDictionary()


@dataclass(frozen=True)
class TermIndex:
    """The vocabulary of a fitted vectorizer, as token ids and sorted bigram keys."""

    token_ids: dict[str, int]
    bigram_keys: np.ndarray  # left id * size + right id, sorted
    bigram_ids: np.ndarray  # column of each key
    size: int


def is_plain(vectorizer: TfidfVectorizer) -> bool:
    """The configuration `ThemeClassifier.fit` makes (the one computed here)."""
    plain = vectorizer.sublinear_tf and vectorizer.use_idf and not vectorizer.binary
    return bool(plain and vectorizer.norm == "l2")


def tfidf(vectorizer: TfidfVectorizer, documents: Sequence[list[str]]) -> sp.csr_matrix:
    """`vectorizer.transform(documents)`, documents being term lists."""
    if not is_plain(vectorizer):
        return vectorizer.transform(documents)
    vocabulary = vectorizer.vocabulary_
    lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
    terms = chain.from_iterable(documents)
    ids = np.fromiter(map(vocabulary.get, terms, repeat(-1)), dtype=np.int64, count=lengths.sum())
    rows = np.repeat(np.arange(len(documents)), lengths)
    return _weighted(vectorizer, rows, ids, len(documents))


def token_tfidf(
    vectorizer: TfidfVectorizer,
    tokens: Sequence[list[str]],
    extra: Sequence[tuple[str, ...]],
    bigrams: bool = True,
) -> sp.csr_matrix:
    """`tfidf` of documents made of each token list, its bigrams, then its `extra` terms."""
    rows, ids = term_ids(term_index(vectorizer), vectorizer.vocabulary_, tokens, extra, bigrams)
    return _weighted(vectorizer, rows, ids, len(tokens))


def term_ids(
    index: TermIndex,
    vocabulary: dict[str, int],
    tokens: Sequence[list[str]],
    extra: Sequence[tuple[str, ...]],
    bigrams: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """(sentence, column) of every token, known bigram and `extra` term (column -1: unknown)."""
    n = len(tokens)
    lengths = np.fromiter(map(len, tokens), dtype=np.int64, count=n)
    get = index.token_ids.get
    flat = chain.from_iterable(tokens)
    ids = np.fromiter(map(get, flat, repeat(-1)), dtype=np.int64, count=lengths.sum())
    rows = np.repeat(np.arange(n), lengths)
    bigram_rows, bigram_ids = known_bigrams(index, ids, rows) if bigrams else (rows[:0], ids[:0])
    extra_lengths = np.fromiter(map(len, extra), dtype=np.int64, count=n)
    extra_ids = np.fromiter(
        map(vocabulary.get, chain.from_iterable(extra), repeat(-1)),
        dtype=np.int64,
        count=extra_lengths.sum(),
    )
    all_rows = np.concatenate([rows, bigram_rows, np.repeat(np.arange(n), extra_lengths)])
    return all_rows, np.concatenate([ids, bigram_ids, extra_ids])


def term_index(vectorizer: TfidfVectorizer) -> TermIndex:
    """The `TermIndex` of a fitted vectorizer, built once per vectorizer."""
    index = _INDEXES.get(vectorizer)
    if index is None:
        index = _INDEXES[vectorizer] = build_index(vectorizer.vocabulary_)
    return index


def build_index(vocabulary: dict[str, int]) -> TermIndex:
    """Token ids and sorted bigram keys of a vocabulary (term -> column)."""
    size = len(vocabulary)
    token_ids = {term: i for term, i in vocabulary.items() if " " not in term}
    keys, columns = [], []
    for term, column in vocabulary.items():
        left, space, right = term.partition(" ")
        if space and left in token_ids and right in token_ids:
            keys.append(token_ids[left] * size + token_ids[right])
            columns.append(column)
    keys_array = np.array(keys, dtype=np.int64)
    order = np.argsort(keys_array)
    return TermIndex(token_ids, keys_array[order], np.array(columns, dtype=np.int64)[order], size)


def known_bigrams(
    index: TermIndex, ids: np.ndarray, rows: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every known bigram of consecutive tokens of the same sentence."""
    left, right = ids[:-1], ids[1:]
    candidate = (rows[:-1] == rows[1:]) & (left >= 0) & (right >= 0)
    keys = left[candidate] * index.size + right[candidate]
    if not len(index.bigram_keys) or not len(keys):
        return rows[:0], ids[:0]
    where = np.minimum(np.searchsorted(index.bigram_keys, keys), len(index.bigram_keys) - 1)
    known = index.bigram_keys[where] == keys
    return rows[:-1][candidate][known], index.bigram_ids[where[known]]


def _weighted(
    vectorizer: TfidfVectorizer, rows: np.ndarray, ids: np.ndarray, n: int
) -> sp.csr_matrix:
    """Counts of (row, id) pairs (id -1: unknown term) weighted as the vectorizer weighs them."""
    import scipy.sparse as sp

    known = ids >= 0
    ones = np.ones(int(known.sum()), dtype=vectorizer.dtype)
    shape = (n, len(vectorizer.vocabulary_))
    matrix = sp.csr_matrix((ones, (rows[known], ids[known])), shape=shape)  # sums repeats
    matrix.sum_duplicates()
    np.log(matrix.data, out=matrix.data)  # sublinear tf: 1 + log(count)
    matrix.data += 1
    matrix.data *= vectorizer.idf_[matrix.indices]
    return _l2_rows(matrix)


def _l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit length, in place (`sklearn.preprocessing.normalize` without its checks)."""
    counts = np.diff(matrix.indptr)
    filled = counts > 0
    if filled.any():
        sums = np.add.reduceat(matrix.data * matrix.data, matrix.indptr[:-1][filled])
        matrix.data /= np.repeat(np.sqrt(sums), counts[filled])
    return matrix
