"""Model choice by evidence: the candidate models on the same agency-grouped folds, and speed.

`python -m nlp.themes.compare` prints the table `xxgk train-themes` writes into the model card.
Every candidate is a `ThemeClassifier` setting, so that all see the same sentences, weights,
folds and metrics; speed is sentences per second of one process, tokenizing included.
"""

from __future__ import annotations

import time

import pandas as pd

from nlp.themes.classifier import ThemeClassifier
from nlp.themes.features import sentence_columns

# name -> ThemeClassifier parameters (the defaults are the shipped model's)
CANDIDATES: dict[str, dict] = {
    "tf-idf words + LR (before: section and keyword markers)": {"structure": False},
    "tf-idf words + LR, no keyword markers": {"keywords": False},
    "tf-idf char 1-3-grams + LR": {"features": "chars"},
    "tf-idf words + calibrated linear SVM": {"estimator": "svm"},
    "tf-idf words + LR + structure + keyword markers, no part-of-五 marker": {
        "function_markers": False
    },
    "tf-idf words + LR + structure + keyword markers + part of 五 (function only)": {},
}


def speed(model: ThemeClassifier, sentences, repeats: int = 3) -> float:
    """Sentences per second of `predict_columns` from `Sentence`s (tokenizing included), best
    of `repeats` runs after a warm-up."""
    model.predict_columns(sentence_columns(sentences[:200]))
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        model.predict_columns(sentence_columns(sentences))
        best = min(best, time.perf_counter() - start)
    return len(sentences) / best


def compare(annotated, extra, sentences, candidates=CANDIDATES) -> pd.DataFrame:
    """Macro-F1 (pooled and on the agencies other than the largest) and speed of each."""
    from nlp.themes.training import cross_validate, fit

    rows = []
    for name, params in candidates.items():
        evaluation = cross_validate(annotated, extra, **params)
        others = evaluation.others()
        model = fit(pd.concat([annotated, extra], ignore_index=True), **params)
        rows.append(
            {
                "model": name,
                "theme F1": evaluation.macro_f1("model", "theme"),
                "function F1": evaluation.macro_f1("model", "function"),
                "theme F1, others": evaluation.macro_f1("model", "theme", others),
                "function F1, others": evaluation.macro_f1("model", "function", others),
                "sentences/s": speed(model, sentences),
            }
        )
    return pd.DataFrame(rows)


def generated_sentences(n_reports: int = 200, seed: int = 9) -> list:
    """Narrative sentences of generated reports, as the speed benchmark uses."""
    from nlp.corpus import generate
    from nlp.report import Report

    reports = [
        Report(source=g.report_id, sections=dict(g.sections))
        for g in generate(n_reports, seed=seed)
    ]
    return [s for r in reports for s in r.sentences]


def main() -> None:
    """Compare on the training data of `xxgk train-themes`; write the table next to the model,
    where the next `xxgk train-themes` puts it into the model card."""
    from nlp.data import MODELS_DIR
    from nlp.themes.training import COMPARISON_FILE, training_data

    sources = training_data()
    extra = pd.concat([sources[name] for name in sources if name != "annotated"], ignore_index=True)
    table = compare(sources["annotated"], extra, generated_sentences()).round(3)
    table.to_csv(MODELS_DIR / COMPARISON_FILE, index=False)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
