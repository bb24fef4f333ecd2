"""Scores that mean something: temperature scaling of the classifier's probabilities.

One temperature per target is fitted on the out-of-fold probabilities of the grouped
cross-validation (never on sentences the fold's model was trained on); dividing the log-scores
by it makes the top probability match how often the label is right. The reliability table and
the expected calibration error (ECE) of the model card are computed here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nlp.themes.classifier import tempered

# Temperatures tried: a coarse grid is enough, NLL is flat near its minimum.
TEMPERATURES = np.round(np.arange(0.3, 3.01, 0.05), 2)
BINS = (0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


def fit_temperature(proba: np.ndarray, truth: np.ndarray) -> float:
    """The temperature minimising the negative log-likelihood of `truth` (column indices)."""
    rows = np.arange(len(truth))

    def nll(temperature: float) -> float:
        return float(-np.log(np.clip(tempered(proba, temperature)[rows, truth], 1e-12, 1)).mean())

    return float(min(TEMPERATURES, key=nll))


def top(proba: np.ndarray, truth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The top score of every row and whether its label is the true one."""
    return proba.max(axis=1), proba.argmax(axis=1) == truth


def ece(scores: np.ndarray, correct: np.ndarray, bins: tuple[float, ...] = BINS) -> float:
    """Expected calibration error: the support-weighted gap between score and accuracy."""
    table = reliability(scores, correct, bins)
    return float(
        (table["sentences"] * (table["mean score"] - table["accuracy"]).abs()).sum()
        / max(len(scores), 1)
    )


def reliability(
    scores: np.ndarray, correct: np.ndarray, bins: tuple[float, ...] = BINS
) -> pd.DataFrame:
    """Per score bin: sentences, mean score, accuracy."""
    which = np.clip(np.digitize(scores, bins[1:-1], right=False), 0, len(bins) - 2)
    rows = []
    for k in range(len(bins) - 1):
        chosen = which == k
        if chosen.any():
            rows.append(
                {
                    "score": f"{bins[k]:.1f}–{bins[k + 1]:.1f}",
                    "sentences": int(chosen.sum()),
                    "mean score": float(scores[chosen].mean()),
                    "accuracy": float(correct[chosen].mean()),
                }
            )
    return pd.DataFrame(rows, columns=["score", "sentences", "mean score", "accuracy"])
