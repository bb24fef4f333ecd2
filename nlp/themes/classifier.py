"""`ThemeClassifier`: theme and function of a sentence, as a scikit-learn estimator.

X is a sentence frame (`features.sentence_frame`), its columns as a mapping of lists
(`features.sentence_columns`) or plain texts; y is one label per sentence
(one target) or two columns (theme, function). One TF-IDF over the prepared terms feeds one
logistic regression per target, so the two labels share the vocabulary and cost one pass.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.extmath import softmax
from sklearn.utils.validation import check_is_fitted

from nlp.themes.features import (
    TARGET_MARKERS,
    as_sentences,
    char_documents,
    documents,
    identity,
    model_markers,
    token_lists,
)
from nlp.themes.matrix import is_plain, tfidf, token_tfidf

TARGETS = ("theme", "function")
# What a shipped model may contain beyond skops' defaults: named, not discovered at load time.
TRUSTED_TYPES = (
    "nlp.themes.classifier.ThemeClassifier",
    "nlp.themes.features.identity",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "builtins.dict",
    "builtins.list",
    "builtins.tuple",
    "builtins.str",
    "builtins.int",
    "builtins.float",
    "builtins.bool",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
)


class ThemeClassifier(ClassifierMixin, BaseEstimator):
    """Theme and function of report sentences.

    Parameters: `C` (inverse regularisation of the logistic regressions), `ngrams` (longest token
    n-gram), `min_df` (terms seen in fewer sentences are dropped), `context` (use section and
    sub-heading markers), `class_weight` (as in LogisticRegression), `max_iter`, `structure`
    (outline markers), `keywords` (cue-word markers), `features` (`words` or `chars`),
    `estimator` (`logistic` or `svm`), `uncertain_below` (score under which a sentence is marked
    uncertain), `function_markers` (the part of 五, which only the function estimator sees:
    `TARGET_MARKERS`).
    """

    def __init__(
        self,
        C: float = 10.0,
        ngrams: int = 2,
        min_df: int = 1,
        context: bool = True,
        class_weight: str | None = "balanced",
        max_iter: int = 2000,
        structure: bool = True,
        keywords: bool = True,
        features: str = "words",
        estimator: str = "logistic",
        uncertain_below: float = 0.6,
        function_markers: bool = True,
    ):
        self.C = C
        self.ngrams = ngrams
        self.min_df = min_df
        self.context = context
        self.class_weight = class_weight
        self.max_iter = max_iter
        self.structure = structure
        self.keywords = keywords
        self.features = features
        self.estimator = estimator
        self.uncertain_below = uncertain_below
        self.function_markers = function_markers

    def fit(self, X, y, sample_weight=None) -> ThemeClassifier:
        labels, self.targets_ = _as_targets(y)
        self.vectorizer_ = TfidfVectorizer(
            analyzer=identity, min_df=self.min_df, sublinear_tf=True, dtype=np.float32
        )
        matrix = self.vectorizer_.fit_transform(self._documents(X))
        names = self.targets_ or list(TARGETS[: labels.shape[1]])
        self.estimators_ = [
            self._new_estimator().fit(
                self._for_target(matrix, name), labels[:, k], sample_weight=sample_weight
            )
            for k, name in enumerate(names)
        ]
        self.temperatures_ = [1.0] * labels.shape[1]
        classes = [estimator.classes_ for estimator in self.estimators_]
        self.classes_ = classes[0] if self.targets_ is None else classes
        self.n_outputs_ = labels.shape[1]
        return self

    def _for_target(self, matrix, target: str):
        """`matrix` with the markers meant for other targets zeroed: a logistic regression then
        learns no weight for them (their gradient is zero), so prediction needs no mask."""
        if self.estimator != "logistic":
            return matrix
        others = [p for t, prefixes in TARGET_MARKERS.items() if t != target for p in prefixes]
        columns = [
            i for term, i in self.vectorizer_.vocabulary_.items() if term.startswith(tuple(others))
        ]
        if not others or not columns:
            return matrix
        keep = np.ones(matrix.shape[1], dtype=matrix.dtype)
        keep[columns] = 0
        return matrix @ sp.diags(keep)

    def _new_estimator(self):
        if self.estimator == "svm":
            from sklearn.calibration import CalibratedClassifierCV
            from sklearn.svm import LinearSVC

            svm = LinearSVC(C=self.C / 10, class_weight=self.class_weight, max_iter=self.max_iter)
            return CalibratedClassifierCV(svm, method="sigmoid", cv=3)
        return LogisticRegression(C=self.C, class_weight=self.class_weight, max_iter=self.max_iter)

    def predict(self, X) -> np.ndarray:
        columns = [p.argmax(axis=1) for p in self._probabilities(X)]
        labels = [e.classes_[c] for e, c in zip(self.estimators_, columns, strict=True)]
        return labels[0] if self.targets_ is None else np.column_stack(labels)

    def predict_proba(self, X):
        """One (n, classes) array per target (a list of them with two targets)."""
        probabilities = self._probabilities(X)
        return probabilities[0] if self.targets_ is None else probabilities

    def score(self, X, y, sample_weight=None) -> float:
        """Mean accuracy over the targets."""
        truth, _ = _as_targets(y)
        predicted = np.asarray(self.predict(X)).reshape(truth.shape)
        return float(np.mean(predicted == truth))

    def predict_frame(self, X) -> pd.DataFrame:
        """theme, function, theme_score, function_score (calibrated), uncertain (either score
        below `uncertain_below`) of every sentence (two-target model)."""
        return pd.DataFrame(self.predict_columns(X))

    def predict_columns(self, X) -> dict[str, np.ndarray]:
        """The columns of `predict_frame`, as arrays."""
        check_is_fitted(self)
        if self.targets_ is None:
            raise ValueError("predict_frame needs a model fitted on both theme and function")
        out = {}
        for name, estimator, proba in zip(
            self.targets_, self.estimators_, self._probabilities(X), strict=True
        ):
            best = proba.argmax(axis=1)
            out[name] = estimator.classes_[best]
            out[f"{name}_score"] = proba[np.arange(len(best)), best]
        scores = [out[f"{name}_score"] for name in self.targets_]
        out["uncertain"] = np.minimum.reduce(scores) < self.uncertain_below
        return out

    def _probabilities(self, X) -> list[np.ndarray]:
        check_is_fitted(self)
        matrix = self._matrix(as_sentences(X))
        temperatures = getattr(self, "temperatures_", [1.0] * len(self.estimators_))
        return [
            probabilities(estimator, matrix, temperature)
            for estimator, temperature in zip(self.estimators_, temperatures, strict=True)
        ]

    def _matrix(self, sentences):
        if self.features == "words" and self.ngrams <= 2 and is_plain(self.vectorizer_):
            tokens = token_lists(sentences)
            markers = self._markers(sentences) if self.context else [()] * len(tokens)
            return token_tfidf(self.vectorizer_, tokens, markers, bigrams=self.ngrams == 2)
        return tfidf(self.vectorizer_, self._documents(sentences))

    def _markers(self, sentences) -> list[tuple[str, ...]]:
        return model_markers(sentences, self.structure, self.keywords, self.function_markers)

    def _documents(self, X) -> list[list[str]]:
        sentences = as_sentences(X)
        markers = self._markers(sentences) if self.context else None
        if self.features == "chars":
            return char_documents(sentences, markers)
        return documents(sentences, ngrams=self.ngrams, context=self.context, markers=markers)


def probabilities(estimator, matrix, temperature: float = 1.0) -> np.ndarray:
    """`estimator.predict_proba(matrix)`, its scores divided by `temperature` (calibration);
    for a multinomial logistic regression without sklearn's per-call validation."""
    if not isinstance(estimator, LogisticRegression) or len(estimator.classes_) <= 2:
        return tempered(estimator.predict_proba(matrix), temperature)
    scores = matrix @ estimator.coef_.T + estimator.intercept_
    if temperature != 1.0:
        scores = scores / temperature
    return softmax(np.asarray(scores), copy=False)


def tempered(proba: np.ndarray, temperature: float) -> np.ndarray:
    """Probabilities as if their log-scores were divided by `temperature`."""
    if temperature == 1.0:
        return proba
    return softmax(np.log(np.clip(proba, 1e-12, 1.0)) / temperature, copy=False)


def _as_targets(y) -> tuple[np.ndarray, list[str] | None]:
    """y as a 2-D array of str, and the target names (None for a single unnamed target)."""
    if isinstance(y, pd.DataFrame):
        return y.astype(str).to_numpy(dtype=object), [str(c) for c in y.columns]
    array = np.asarray(y, dtype=object)
    if array.ndim == 1:
        return array.astype(str).reshape(-1, 1), None
    return array.astype(str), list(TARGETS[: array.shape[1]])


def save(model: ThemeClassifier, path: str | Path) -> Path:
    """Write a fitted model with skops (no pickle)."""
    from zipfile import ZIP_DEFLATED

    import skops.io as sio

    path = Path(path)
    sio.dump(model, path, compression=ZIP_DEFLATED)
    return path


@cache
def shipped_classifier() -> ThemeClassifier:
    """The shipped model of record as the scikit-learn estimator, loaded once (prediction uses
    `nlp.themes.load_model`, which prefers its exported arrays)."""
    from nlp.data import MODEL_PATH

    return load(MODEL_PATH)


def load(path: str | Path) -> ThemeClassifier:
    """Load a model written by `save`, trusting only the types of `TRUSTED_TYPES`."""
    import skops.io as sio

    unknown = set(sio.get_untrusted_types(file=path)) - set(TRUSTED_TYPES)
    if unknown:
        raise ValueError(f"{path}: refusing to load untrusted types {sorted(unknown)}")
    model = sio.load(path, trusted=list(TRUSTED_TYPES))
    if not isinstance(model, ThemeClassifier):
        raise ValueError(f"{path}: not a ThemeClassifier")
    return model
