"""The model card: the figures of the grouped cross-validation, written next to the model."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TEMPLATE = """# Model card: theme and function of report sentences (`themes.skops`)

Version `{version}` (sha256 of the training data: `{data_sha256}`).
Reproduce with `xxgk train-themes --out nlp/models` (from a clone of the repository; needs the real corpus for the annotations; the model
comparison below is re-run with `python -m nlp.themes.compare`, which writes
`nlp/models/themes_comparison.csv` for the next `xxgk train-themes` to copy here).
Load with `nlp.themes.load_model()`: the prediction arrays `themes.npz` (exported from
`themes.skops` by `xxgk train-themes`, its sha256 checked; numpy, no pickle, no sklearn import),
else skops with an explicit list of trusted types (no pickle). The estimator itself:
`nlp.themes.classifier.load`.

## What it does
`ThemeClassifier` (scikit-learn estimator): one TF-IDF over rjieba token uni-/bigrams plus
marker terms — the section, the theme of the nearest sub-heading and the keyword table's guess,
and the unit's place in the outline (whether it is a sub-heading and of which level, in any
numbering style of the document model, or a heading glued to its first sentence; the level of
the heading it sits under, how many units after it: the opening passage of 总体情况) — then one
logistic regression per target (theme: 10 classes, function: 4), its scores divided by a fitted
temperature (calibration). The function's regression also sees a marker the theme's does not
(`TARGET_MARKERS`): the part of 五 the unit sits in, problem or measure, set by the sub-heading
or lead-in that announces it (`keywords.yaml`, `parts`: （一）存在的主要问题, 针对上述问题…,
将采取以下措施：).
Params `{params}`; temperatures {temperatures}.

## Training data (four sources, kept apart)
| source | sentences | what |
|---|---|---|
| annotated | {n_annotated} | hand labels of every narrative sentence of {n_reports} real reports of {n_agencies} agencies (`corpora/annotations/real_sentences.csv`, references + sha1, no text; conventions in `corpora/annotations/GUIDE.md`) |
| weak | {n_weak} | sentences under a named sub-heading of real reports (`nlp/themes/weak.py`) |
| generated | {n_generated} | generator sentences, `generate({gen_n}, seed={gen_seed})` |
| variety | {n_variety} | small reports assembled from the `variety` phrase bank (`nlp/corpus/phrases.yaml`) and its additions (`nlp/themes/variety.yaml`) by `nlp/themes/variety.py`: township to province wording, 2019–2020 vocabulary, numbering styles, headings glued to their first sentence, statements about the report, measures without 将, shortcomings in a measure's words |

Each source's total sample weight relative to the annotated sentences: {source_weight}.

## Evaluation
{n_splits}-fold `GroupKFold` **by agency** over the annotated real sentences only: no report of
a test agency (nor its weak labels) is in training; training folds add weak, generated and
variety sentences. Figures are pooled out-of-fold predictions, over all agencies and over the
agencies other than the largest ({largest}, {n_largest} of {n_annotated} sentences). The
keyword-rule baseline (`nlp/themes/baseline.py`, cues in `keywords.yaml`) is scored on the same
sentences. With {n_agencies} agencies the folds are few and uneven: per-class figures on classes
with support < 20 are fragile.

| target | model macro-F1 | model macro-F1, other agencies | accuracy | baseline macro-F1 |
|---|---|---|---|---|
{summary}

Per fold (model): {per_fold}

### Model choice
Every candidate on the same agency-grouped folds and training sources; speed is sentences per
second of one process, tokenizing included (`nlp/themes/compare.py`, on a loaded shared machine:
compare the ratios). No offline sentence embedding was tried (none was looked for: the
speed goal leaves no room for one). Shipped: words + LR + structure + keyword markers + the
part of 五 (seen by the function's regression only). LR keeps the array fast path (the SVM is
three calibrated SVMs per target through sklearn's validation, and sees the part marker in both
targets). Keyword markers carry theme; structure markers and the part of 五 carry function.
Tense and aspect cue words as a marker of their own (将/下一步/持续 measure, 存在/不足/有待
problem) were tried on these folds and dropped: function 0.964 / 0.949 with them, 0.966 / 0.945
without (pooled / other agencies) — the token n-grams already hold them — at 15–25% of the
feature time. Every row uses today's features (the sub-heading rule of the document model's
numbering styles included), so the "before" rows are not the earlier shipped models: those
scored function 0.851 / 0.850 (section and keyword markers) and 0.865 / 0.893 (structure),
before the sub-heading rule, the part of 五, glued headings and more measure/problem wording in
the variety reports, and 2 relabelled rows (`GUIDE.md`, "Relabelled"; with the old labels of
those 2 rows the shipped setting scores function 0.961 / 0.935).

{comparison}

### theme, per class (model)
{theme_table}

### theme, per class (baseline)
{theme_baseline}

### function, per class (model)
{function_table}

### function, per class (model, agencies other than the largest)
{function_others}

### function, per class (baseline)
{function_baseline}

### confusion matrix, theme (rows: truth, columns: model)
{theme_confusion}

### confusion matrix, function (rows: truth, columns: model)
{function_confusion}

### confusion matrix, function, agencies other than the largest
{function_confusion_others}

## Scores and the uncertain mark
`theme_score` and `function_score` are the calibrated probabilities of the chosen labels.
Expected calibration error on the out-of-fold predictions (10 bins, before → after the
temperature): {ece}.

{reliability}

A sentence is marked `uncertain` (column of `nlp.themes` frames, `?` in `xxgk themes`) when
either score is below **{threshold}**: {uncertain}

## Limits
- Sentences are the report's sentence table (`Report.sentences`): ingest joins hard-wrapped
  lines back, so a sentence printed across PDF lines is one unit with one label.
- A sentence touching two themes has one label (the main one); lists of problems across themes
  take the first one's theme, so `problem` sentences are often mixed.
- `proposals` and `fees` have little real support; `capacity` is often confused with `oversight`.
"""


def write_card(path: Path, meta: dict, evaluation, comparison: pd.DataFrame | None = None) -> Path:
    """Write MODEL_CARD.md from the metadata, the `training.Evaluation` and the comparison."""
    targets = ("theme", "function")
    others = evaluation.others()
    summary = "\n".join(
        f"| {t} | {evaluation.macro_f1('model', t):.3f}"
        f" | {evaluation.macro_f1('model', t, others):.3f}"
        f" | {evaluation.accuracy(t):.3f} | {evaluation.macro_f1('baseline', t):.3f} |"
        for t in targets
    )
    threshold = meta["params"]["uncertain_below"]
    text = TEMPLATE.format(
        version=meta["version"],
        data_sha256=meta["data_sha256"],
        params=meta["params"],
        temperatures=meta["temperatures"],
        n_annotated=meta["sentences"]["annotated"],
        n_reports=meta["annotated_reports"],
        n_agencies=int(evaluation.agency.nunique()),
        largest=evaluation.largest_agency(),
        n_largest=int((~others).sum()),
        n_weak=meta["sentences"]["weak"],
        n_generated=meta["sentences"]["generated"],
        n_variety=meta["sentences"].get("variety", 0),
        gen_n=meta["generated"]["n"],
        gen_seed=meta["generated"]["seed"],
        source_weight=meta["source_weight"],
        n_splits=len(evaluation.folds),
        summary=summary,
        per_fold=_per_fold(evaluation),
        comparison=_markdown(comparison.set_index("model"))
        if comparison is not None
        else "(not run)",
        theme_table=_markdown(evaluation.per_class("model", "theme")),
        theme_baseline=_markdown(evaluation.per_class("baseline", "theme")),
        function_table=_markdown(evaluation.per_class("model", "function")),
        function_others=_markdown(evaluation.per_class("model", "function", others)),
        function_baseline=_markdown(evaluation.per_class("baseline", "function")),
        theme_confusion=_markdown(evaluation.confusion("theme"), digits=0),
        function_confusion=_markdown(evaluation.confusion("function"), digits=0),
        function_confusion_others=_markdown(evaluation.confusion("function", others), digits=0),
        ece=_ece(evaluation),
        reliability=_reliability(evaluation),
        threshold=threshold,
        uncertain=_uncertain(evaluation, threshold),
    )
    path.write_text(text, encoding="utf-8")
    return path


def _top(evaluation, target: str, proba=None):
    from nlp.themes.calibration import top
    from nlp.themes.training import LABELS

    truth = evaluation.truth[target].map(list(LABELS[target]).index).to_numpy()
    return top(evaluation.proba[target] if proba is None else proba, truth)


def _ece(evaluation) -> str:
    from nlp.themes.calibration import ece

    parts = []
    for target in ("theme", "function"):
        before = ece(*_top(evaluation, target, evaluation.raw_proba.get(target)))
        after = ece(*_top(evaluation, target))
        parts.append(f"{target} {before:.3f} → {after:.3f}")
    return "; ".join(parts)


def _reliability(evaluation) -> str:
    from nlp.themes.calibration import reliability

    tables = []
    for target in ("theme", "function"):
        table = reliability(*_top(evaluation, target)).set_index("score")
        tables.append(f"Reliability, {target} (calibrated, out of fold):\n\n{_markdown(table)}")
    return "\n\n".join(tables)


def _uncertain(evaluation, threshold: float) -> str:
    theme_score, theme_right = _top(evaluation, "theme")
    function_score, function_right = _top(evaluation, "function")
    flagged = (theme_score < threshold) | (function_score < threshold)
    both = theme_right & function_right
    share = flagged.mean()
    right_flagged = both[flagged].mean() if flagged.any() else float("nan")
    right_kept = both[~flagged].mean() if (~flagged).any() else float("nan")
    return (
        f"{share:.0%} of the annotated sentences out of fold; both labels right on "
        f"{right_flagged:.0%} of those marked and {right_kept:.0%} of the others. "
        "The threshold is where review pays: below it a label is wrong about as often as not."
    )


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
