"""The model card: the figures of the grouped cross-validation, written next to the model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TEMPLATE = """# Model card: theme and function of report sentences (`themes.skops`)

Version `{version}` (sha256 of the training data: `{data_sha256}`).
Reproduce with `xxgk train-themes` (needs the real corpus for the annotations).
Load with `nlp.themes.load_model()`: skops, with an explicit list of trusted types (no pickle).

## What it does
`ThemeClassifier` (scikit-learn estimator): one TF-IDF over rjieba token uni-/bigrams plus
markers for the section, the theme of the nearest sub-heading and the keyword table's guess,
then one logistic regression per target (theme: 10 classes, function: 4), params `{params}`.

## Training data (three sources, kept apart)
| source | sentences | what |
|---|---|---|
| annotated | {n_annotated} | hand labels of every narrative sentence of {n_reports} real reports (`corpora/annotations/real_sentences.csv`, references + sha1, no text) |
| weak | {n_weak} | sentences under a named sub-heading of real reports (`nlp/themes/weak.py`) |
| generated | {n_generated} | generator sentences, `generate({gen_n}, seed={gen_seed})` |

Each source's total sample weight relative to the annotated sentences: {source_weight}.

## Evaluation
{n_splits}-fold `GroupKFold` by report over the annotated real sentences only: no sentence of a
test report (nor its weak labels) is in training; training folds add weak and generated
sentences. Figures are pooled out-of-fold predictions. The keyword-rule baseline
(`nlp/themes/baseline.py`, cues in `keywords.yaml`) is scored on the same sentences.
C and the source weights were picked among 8 settings on these folds, so the figures may be
slightly optimistic; with {n_reports} reports (6 of them from one agency, 平潭) they are a small
sample: per-class figures on classes with support < 20 are fragile.

| target | model macro-F1 | baseline macro-F1 | model adds |
|---|---|---|---|
{summary}

Per-fold macro-F1 (model): {per_fold}

### theme, per class (model)
{theme_table}

### theme, per class (baseline)
{theme_baseline}

### function, per class (model)
{function_table}

### function, per class (baseline)
{function_baseline}

### confusion matrix, theme (rows: truth, columns: model)
{theme_confusion}

### confusion matrix, function (rows: truth, columns: model)
{function_confusion}

## Limits
- Sentences are the report's sentence table (`Report.sentences`): ingest joins hard-wrapped
  lines back, so a sentence printed across PDF lines is one unit with one label.
- A sentence touching two themes has one label (the main one); lists of problems across themes
  take the first one's theme, so `problem` sentences are often mixed.
- `proposals` and `fees` have little real support; `capacity` is often confused with `oversight`.
"""


def write_card(path: Path, meta: dict, evaluation) -> Path:
    """Write MODEL_CARD.md from the metadata and the `training.Evaluation`."""
    targets = ("theme", "function")
    summary = "\n".join(
        f"| {t} | {evaluation.macro_f1('model', t):.3f} | {evaluation.macro_f1('baseline', t):.3f}"
        f" | {evaluation.macro_f1('model', t) - evaluation.macro_f1('baseline', t):+.3f} |"
        for t in targets
    )
    text = TEMPLATE.format(
        version=meta["version"],
        data_sha256=meta["data_sha256"],
        params=meta["params"],
        n_annotated=meta["sentences"]["annotated"],
        n_reports=meta["annotated_reports"],
        n_weak=meta["sentences"]["weak"],
        n_generated=meta["sentences"]["generated"],
        gen_n=meta["generated"]["n"],
        gen_seed=meta["generated"]["seed"],
        source_weight=meta["source_weight"],
        n_splits=len(evaluation.folds),
        summary=summary,
        per_fold=_per_fold(evaluation),
        theme_table=_markdown(evaluation.per_class("model", "theme")),
        theme_baseline=_markdown(evaluation.per_class("baseline", "theme")),
        function_table=_markdown(evaluation.per_class("model", "function")),
        function_baseline=_markdown(evaluation.per_class("baseline", "function")),
        theme_confusion=_markdown(evaluation.confusion("theme"), digits=0),
        function_confusion=_markdown(evaluation.confusion("function"), digits=0),
    )
    path.write_text(text, encoding="utf-8")
    return path


def _per_fold(evaluation) -> str:
    parts = []
    for fold in evaluation.folds:
        parts.append(
            f"fold {fold['fold']} ({fold['test_sentences']} sentences): "
            f"theme {fold['theme_f1']:.3f}, function {fold['function_f1']:.3f}"
        )
    return "; ".join(parts)


def _markdown(frame: pd.DataFrame, digits: int = 3) -> str:
    header = "| | " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|---" * (len(frame.columns) + 1) + "|"
    rows = [
        f"| {index} | " + " | ".join(_cell(v, digits) for v in row) + " |"
        for index, row in zip(frame.index, frame.to_numpy(), strict=True)
    ]
    return "\n".join([header, rule, *rows])


def _cell(value, digits: int) -> str:
    if digits == 0 or float(value).is_integer():
        return str(int(value))
    return f"{value:.{digits}f}"
