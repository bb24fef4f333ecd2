"""The shipped theme model as plain arrays: prediction without scikit-learn, scipy or skops.

`ThemeClassifier` is what is trained, evaluated and kept (themes.skops, loaded with skops' trusted
types); importing sklearn and loading the skops file is most of a cold `xxgk themes FILE`. For the
configuration the model ships with (word features, n-grams ≤ 2, the plain TF-IDF, multinomial
logistic regressions) its prediction is a vocabulary lookup, TF-IDF weights and one linear map per
target, so `xxgk train-themes` also writes those arrays to an `.npz` beside the skops file, with
the skops file's sha256. `load_model` uses the arrays when the two files agree. The arithmetic
follows the classifier's own in the same float dtypes and order, so `predict_columns` gives the
same labels and the same scores (tested on real and generated sentences).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from nlp.themes.features import as_sentences, model_markers, token_lists
from nlp.themes.matrix import TermIndex, build_index, term_ids

FORMAT = 1
SEPARATOR = "\n"  # between the vocabulary's terms (tokens never hold a line break)


@dataclass(frozen=True)
class ArrayThemeModel:
    """Theme and function of sentences from exported arrays: `predict_columns` as the
    `ThemeClassifier` it came from (`from_classifier`) computes it."""

    vocabulary: list[str]  # term of each column
    idf: np.ndarray
    targets: list[str]
    classes: list[np.ndarray]  # per target, object arrays of labels
    coefs: list[np.ndarray]  # per target, (classes, terms)
    intercepts: list[np.ndarray]
    temperatures: list[float]
    params: dict

    @cached_property
    def columns(self) -> dict[str, int]:
        return dict(zip(self.vocabulary, range(len(self.vocabulary)), strict=True))

    @cached_property
    def index(self) -> TermIndex:
        return build_index(self.columns)

    @cached_property
    def _transposed(self) -> list[np.ndarray]:
        # Rows of coef_.T picked per non-zero: what a CSR matrix times coef_.T reads.
        return [np.ascontiguousarray(coef.T) for coef in self.coefs]

    def predict_columns(self, X) -> dict[str, np.ndarray]:
        """theme, function, their scores and `uncertain`: `ThemeClassifier.predict_columns`."""
        sentences = as_sentences(X)
        rows, columns, weights, n = self._tfidf(sentences)
        out = {}
        for k, name in enumerate(self.targets):
            proba = self._probabilities(k, rows, columns, weights, n)
            best = proba.argmax(axis=1)
            out[name] = self.classes[k][best]
            out[f"{name}_score"] = proba[np.arange(len(best)), best]
        scores = [out[f"{name}_score"] for name in self.targets]
        out["uncertain"] = np.minimum.reduce(scores) < self.params["uncertain_below"]
        return out

    def _tfidf(self, sentences) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """The non-zeros of the TF-IDF matrix, row by row, columns ascending (canonical CSR)."""
        p = self.params
        tokens = token_lists(sentences)
        n = len(tokens)
        markers = (
            model_markers(sentences, p["structure"], p["keywords"], p["function_markers"])
            if p["context"]
            else [()] * n
        )
        rows, ids = term_ids(self.index, self.columns, tokens, markers, p["ngrams"] == 2)
        known = ids >= 0
        size = len(self.vocabulary)
        keys, counts = np.unique(rows[known] * size + ids[known], return_counts=True)
        rows, columns = np.divmod(keys, size)
        weights = counts.astype(self.idf.dtype)
        np.log(weights, out=weights)  # sublinear tf: 1 + log(count)
        weights += 1
        weights *= self.idf[columns]
        starts, lengths = _segments(rows, n)
        filled = lengths > 0
        if filled.any():
            sums = np.add.reduceat(weights * weights, starts[filled])
            weights /= np.repeat(np.sqrt(sums), lengths[filled])
        return rows, columns, weights, n

    def _probabilities(self, k: int, rows, columns, weights, n: int) -> np.ndarray:
        """Softmax of the tempered decision function (multinomial logistic regression)."""
        coef_t = self._transposed[k]
        scores = np.zeros((n, coef_t.shape[1]), dtype=np.result_type(weights, coef_t))
        starts, lengths = _segments(rows, n)
        filled = lengths > 0
        if filled.any():
            # Sequential sums per row, in column order: the order of a CSR product.
            scores[filled] = np.add.reduceat(weights[:, None] * coef_t[columns], starts[filled])
        scores += self.intercepts[k]
        temperature = self.temperatures[k]
        if temperature != 1.0:
            scores = scores / temperature
        return _softmax(scores)

    @classmethod
    def from_classifier(cls, model) -> ArrayThemeModel:
        """The arrays of a fitted `ThemeClassifier` (`exportable` says whether it can be)."""
        vectorizer = model.vectorizer_
        vocabulary = [""] * len(vectorizer.vocabulary_)
        for term, column in vectorizer.vocabulary_.items():
            vocabulary[column] = term
        return cls(
            vocabulary=vocabulary,
            idf=np.asarray(vectorizer.idf_, dtype=vectorizer.dtype),
            targets=list(model.targets_),
            classes=[np.asarray(e.classes_, dtype=object) for e in model.estimators_],
            coefs=[e.coef_ for e in model.estimators_],
            intercepts=[e.intercept_ for e in model.estimators_],
            temperatures=[float(t) for t in model.temperatures_],
            params=model.get_params(),
        )

    def save(self, path: str | Path, source: str | Path) -> Path:
        """Write the arrays (no pickle) with the sha256 of `source`, the model of record."""
        if any(SEPARATOR in term for term in self.vocabulary):
            raise ValueError("a vocabulary term holds a line break")
        arrays = {
            "format": np.array(FORMAT),
            "source_sha256": np.array(file_sha256(source)),
            "params": np.array(json.dumps(self.params, sort_keys=True)),
            "vocabulary": np.frombuffer(SEPARATOR.join(self.vocabulary).encode(), dtype=np.uint8),
            "idf": self.idf,
            "targets": np.array(self.targets),
            "temperatures": np.array(self.temperatures, dtype=np.float64),
        }
        for k, name in enumerate(self.targets):
            arrays[f"{name}.classes"] = np.array([str(c) for c in self.classes[k]])
            arrays[f"{name}.coef"] = self.coefs[k]
            arrays[f"{name}.intercept"] = self.intercepts[k]
        path = Path(path)
        with path.open("wb") as file:
            np.savez_compressed(file, **arrays)
        return path

    @classmethod
    def load(cls, path: str | Path, source: str | Path | None = None) -> ArrayThemeModel:
        """The arrays at `path`; given `source`, only if they were exported from that file."""
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"]) != FORMAT:
                raise ValueError(f"{path}: arrays format {int(data['format'])}, not {FORMAT}")
            if source is not None and str(data["source_sha256"]) != file_sha256(source):
                raise ValueError(f"{path}: exported from another model than {source}")
            targets = [str(t) for t in data["targets"]]
            return cls(
                vocabulary=data["vocabulary"].tobytes().decode().split(SEPARATOR),
                idf=data["idf"],
                targets=targets,
                classes=[np.asarray(data[f"{t}.classes"].tolist(), dtype=object) for t in targets],
                coefs=[data[f"{t}.coef"] for t in targets],
                intercepts=[data[f"{t}.intercept"] for t in targets],
                temperatures=data["temperatures"].tolist(),
                params=json.loads(str(data["params"])),
            )


def exportable(model) -> bool:
    """Whether `ArrayThemeModel` computes this fitted `ThemeClassifier`'s prediction: the
    configuration its array fast path covers, multinomial logistic regressions on both targets."""
    from sklearn.linear_model import LogisticRegression

    from nlp.themes.matrix import is_plain

    return bool(
        model.targets_
        and model.features == "words"
        and model.ngrams <= 2
        and is_plain(model.vectorizer_)
        and all(
            isinstance(e, LogisticRegression) and len(e.classes_) > 2 for e in model.estimators_
        )
    )


def arrays_path(model_path: str | Path) -> Path:
    """Where the arrays of the skops model at `model_path` are kept: beside it."""
    return Path(model_path).with_suffix(".npz")


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _segments(rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each row's run in `rows` (sorted)."""
    lengths = np.bincount(rows, minlength=n)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return starts, lengths


def _softmax(scores: np.ndarray) -> np.ndarray:
    """Row softmax as `sklearn.utils.extmath.softmax` computes it (in place, same dtype)."""
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores
