"""Training data, grouped cross-validation, the shipped model and its card.

Three sources, kept apart (column `source`) and grouped by report (column `group`):
- `generated`: the generator's labelled sentences (`nlp.corpus.generate`);
- `weak`: sentences under named sub-headings of real reports (`weak.py`);
- `annotated`: hand labels of real sentences (`annotations.py`), the only ones ever tested on.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import classification_report, confusion_matrix, f1_score
from sklearn.model_selection import GroupKFold

from nlp.data import MODELS_DIR
from nlp.report import ReadError
from nlp.themes import annotations, baseline
from nlp.themes.classifier import TARGETS, ThemeClassifier, save
from nlp.themes.features import as_report, sentence_frame, within_sections
from nlp.themes.weak import weak_labels

MODEL_FILE = "themes.skops"
META_FILE = "themes.json"
GENERATED = {"n": 300, "seed": 20240505}
# Each source's total weight relative to the annotated sentences: the generator's thousands of
# sentences would otherwise drown the few hundred real ones.
SOURCE_WEIGHT = {"annotated": 1.0, "weak": 0.5, "generated": 1.0, "variety": 0.5}
COMPARISON_FILE = "themes_comparison.csv"
LABELS = {"theme": baseline.THEMES, "function": baseline.FUNCTIONS}
# How the generator's measure leads (phrases.yaml `measures_lead`) tell themselves from its
# problem leads: each announces what will be done.
MEASURE_LEAD_CUES = "将|计划|下一步"


def generated_examples(n: int = GENERATED["n"], seed: int = GENERATED["seed"]) -> pd.DataFrame:
    """The generator's narrative sentences with their true labels, grouped by report."""
    from nlp.corpus import generate

    parts = []
    for report in generate(n, seed=seed):
        sections = as_report(report.sections)
        frame = within_sections(sentence_frame(sections), sections)
        truth = pd.DataFrame(report.sentences)[["section", "start", "end", *TARGETS]]
        labelled = frame.merge(truth, on=["section", "start", "end"], how="inner")
        parts.append(labelled.assign(group=f"generated/{report.report_id}"))
    return to_conventions(pd.concat(parts, ignore_index=True).assign(source="generated"))


def to_conventions(frame: pd.DataFrame) -> pd.DataFrame:
    """The generator's labels as the spec's conventions have them: its opening passage of 总体情况
    (`general/achievement`, ideology and commitment without concrete work) is framing, and the
    leads of 五 it calls framing are `general/problem` (gaps remain) or `general/measure`
    (the measures follow). The generator keeps its own truth; only training reads it this way."""
    frame = frame.copy()
    general = frame["theme"] == "general"
    frame.loc[general & (frame["function"] == "achievement"), "function"] = "framing"
    lead = general & (frame["function"] == "framing") & (frame["section"] == "problems")
    lead &= ~frame["is_heading"]
    announces = frame["text"].str.contains(MEASURE_LEAD_CUES)
    frame.loc[lead & announces, "function"] = "measure"
    frame.loc[lead & ~announces, "function"] = "problem"
    return frame


def real_files(root: Path) -> list[str]:
    """The files of the real corpus's MANIFEST.csv."""
    manifest = root / "MANIFEST.csv"
    return pd.read_csv(manifest)["file"].tolist() if manifest.exists() else []


def weak_examples(root: Path) -> pd.DataFrame:
    """Weakly labelled sentences of every readable real report."""
    import nlp

    parts = []
    for file in real_files(root):
        try:
            report = nlp.read(root / file)
        except ReadError:
            continue
        parts.append(weak_labels(report).assign(group=file))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return frame.assign(source="weak")


def agencies(root: Path) -> dict[str, str]:
    """file -> agency of the real corpus's MANIFEST.csv, without the parenthesised notes
    (淮安市洪泽区人民政府（洪泽区人民政府办公室编制） is 淮安市洪泽区人民政府)."""
    manifest = root / "MANIFEST.csv"
    if not manifest.exists():
        return {}
    table = pd.read_csv(manifest)
    names = table["agency"].str.replace(r"[（(].*?[)）]", "", regex=True).str.strip()
    return dict(zip(table["file"], names, strict=True))


def annotated_examples(root: Path) -> pd.DataFrame:
    """Hand-annotated real sentences (hash-verified); a failed row is an error, not a skip."""
    loaded = annotations.load(root)
    if loaded.problems:
        raise ValueError("annotations do not match the corpus: " + "; ".join(loaded.problems[:5]))
    frame = loaded.frame.rename(columns={"file": "group"}).assign(source="annotated")
    return frame.assign(agency=frame["group"].map(agencies(root)).fillna(frame["group"]))


@dataclass
class Evaluation:
    """Pooled out-of-fold predictions on annotated sentences, for the model and the baseline."""

    truth: pd.DataFrame
    model: pd.DataFrame
    baseline: pd.DataFrame
    folds: list[dict] = field(default_factory=list)
    raw_proba: dict[str, np.ndarray] = field(default_factory=dict)  # before calibration
    # per target: out-of-fold probabilities (rows as `truth`, columns `LABELS[target]`)
    proba: dict[str, np.ndarray] = field(default_factory=dict)
    agency: pd.Series | None = None

    def macro_f1(self, who: str, target: str, rows=None) -> float:
        rows = slice(None) if rows is None else rows
        predicted = getattr(self, who)[target][rows]
        truth = self.truth[target][rows]
        return float(f1_score(truth, predicted, average="macro", zero_division=0))

    def largest_agency(self) -> str:
        return str(self.agency.value_counts().index[0])

    def others(self) -> np.ndarray:
        """The rows of agencies other than the largest one."""
        return (self.agency != self.largest_agency()).to_numpy()

    def accuracy(self, target: str, rows=None) -> float:
        rows = slice(None) if rows is None else rows
        return float((self.model[target][rows] == self.truth[target][rows]).mean())

    def per_class(self, who: str, target: str, rows=None) -> pd.DataFrame:
        rows = slice(None) if rows is None else rows
        report = classification_report(
            self.truth[target][rows],
            getattr(self, who)[target][rows],
            labels=list(LABELS[target]),
            output_dict=True,
            zero_division=0,
        )
        rows = {k: v for k, v in report.items() if k in LABELS[target]}
        return pd.DataFrame(rows).T[["precision", "recall", "f1-score", "support"]]

    def confusion(self, target: str, rows=None) -> pd.DataFrame:
        rows = slice(None) if rows is None else rows
        labels = list(LABELS[target])
        truth, model = self.truth[target][rows], self.model[target][rows]
        matrix = confusion_matrix(truth, model, labels=labels)
        return pd.DataFrame(matrix, index=labels, columns=labels)


def sample_weights(frame: pd.DataFrame) -> np.ndarray:
    """Per-sentence weights giving each source its share of `SOURCE_WEIGHT` × annotated size."""
    sizes = frame["source"].value_counts()
    reference = sizes.get("annotated", len(frame))
    shares = {s: SOURCE_WEIGHT[s] * reference / n for s, n in sizes.items()}
    return frame["source"].map(shares).to_numpy(dtype=float)


def fit(frame: pd.DataFrame, **params) -> ThemeClassifier:
    """A two-target model fitted on a training frame (any mix of sources)."""
    model = ThemeClassifier(**params)
    return model.fit(frame, frame[list(TARGETS)], sample_weight=sample_weights(frame))


def cross_validate(
    annotated: pd.DataFrame, extra: pd.DataFrame, n_splits: int = 5, **params
) -> Evaluation:
    """Grouped by agency: a test fold's agencies contribute nothing (none of their reports, not
    even weak labels) to training; test folds hold annotated sentences only."""
    splitter = GroupKFold(n_splits=min(n_splits, annotated["agency"].nunique()))
    file_agency = dict(zip(annotated["group"], annotated["agency"], strict=False))
    extra_agency = extra["group"].map(file_agency).fillna(extra["group"])
    parts, folds = [], []
    proba = {t: np.zeros((len(annotated), len(LABELS[t]))) for t in TARGETS}
    for fold, (train, test) in enumerate(splitter.split(annotated, groups=annotated["agency"])):
        held_out = set(annotated["agency"].iloc[test])
        train_frame = pd.concat(
            [annotated.iloc[train], extra[~extra_agency.isin(held_out)]], ignore_index=True
        )
        test_frame = annotated.iloc[test]
        model = fit(train_frame, **params)
        predicted = model.predict_frame(test_frame)
        predicted.index = test_frame.index
        for target, estimator, p in zip(
            TARGETS, model.estimators_, model.predict_proba(test_frame), strict=True
        ):
            columns = [list(LABELS[target]).index(c) for c in estimator.classes_]
            proba[target][np.ix_(test, columns)] = p
        parts.append(predicted)
        scores = {
            f"{t}_f1": f1_score(test_frame[t], predicted[t], average="macro", zero_division=0)
            for t in TARGETS
        }
        agencies_held = ", ".join(sorted(held_out))
        folds.append(
            {"fold": fold, "test_sentences": len(test), "agencies": agencies_held, **scores}
        )
    model = pd.concat(parts).loc[annotated.index]
    rules = baseline.predict(annotated["text"].tolist(), annotated["section"].tolist())
    return Evaluation(
        truth=annotated[list(TARGETS)],
        model=model,
        baseline=pd.DataFrame(rules, columns=list(TARGETS), index=annotated.index),
        folds=folds,
        proba=proba,
        agency=annotated["agency"],
    )


def data_hash(frame: pd.DataFrame) -> str:
    """sha256 of the training data: source, group, sentence hash and labels of every row."""
    digest = hashlib.sha256()
    for row in frame[["source", "group", "text", *TARGETS]].itertuples(index=False):
        text_hash = annotations.sha1(row.text)
        digest.update(
            f"{row.source}\t{row.group}\t{text_hash}\t{row.theme}\t{row.function}\n".encode()
        )
    return digest.hexdigest()


def training_data(root: Path | None = None) -> dict[str, pd.DataFrame]:
    """The three sources, by name (the real ones empty when the corpus is absent)."""
    root = root or annotations.real_corpus_root()
    real = root.exists()
    from nlp.themes.variety import variety_examples

    return {
        "annotated": annotated_examples(root) if real else pd.DataFrame(),
        "weak": weak_examples(root) if real else pd.DataFrame(),
        "generated": generated_examples(),
        "variety": variety_examples(),
    }


def calibrate(model: ThemeClassifier, evaluation: Evaluation) -> Evaluation:
    """Fit one temperature per target on the out-of-fold probabilities, set them on `model`,
    and return the evaluation with its probabilities tempered the same way."""
    from nlp.themes.calibration import fit_temperature
    from nlp.themes.classifier import tempered

    temperatures, proba = [], {}
    for target in TARGETS:
        truth = evaluation.truth[target].map(list(LABELS[target]).index).to_numpy()
        temperature = fit_temperature(evaluation.proba[target], truth)
        temperatures.append(temperature)
        proba[target] = tempered(evaluation.proba[target], temperature)
    model.temperatures_ = temperatures
    evaluation.raw_proba, evaluation.proba = evaluation.proba, proba
    return evaluation


def export_arrays(model: ThemeClassifier, model_path: Path) -> Path | None:
    """The prediction arrays beside the skops model (`nlp.themes.arrays`), when the model's
    configuration allows them; a stale file from an earlier model is removed."""
    from nlp.themes.arrays import ArrayThemeModel, arrays_path, exportable

    path = arrays_path(model_path)
    path.unlink(missing_ok=True)
    if not exportable(model):
        return None
    return ArrayThemeModel.from_classifier(model).save(path, source=model_path)


def train(out_dir: Path, root: Path | None = None, n_splits: int = 5) -> dict:
    """Evaluate by grouped CV, fit on everything, write model, metadata and card; the metadata."""
    from nlp.themes.card import write_card

    sources = training_data(root)
    annotated = sources["annotated"]
    if annotated.empty:
        raise ValueError("the real corpus is needed to train and evaluate (annotations)")
    extra = pd.concat(
        [sources["weak"], sources["generated"], sources["variety"]], ignore_index=True
    )
    evaluation = cross_validate(annotated, extra, n_splits=n_splits)
    everything = pd.concat([annotated, extra], ignore_index=True)
    model = fit(everything)
    evaluation = calibrate(model, evaluation)
    out_dir.mkdir(parents=True, exist_ok=True)
    save(model, out_dir / MODEL_FILE)
    export_arrays(model, out_dir / MODEL_FILE)
    meta = {
        "data_sha256": data_hash(everything),
        "version": data_hash(everything)[:12],
        "params": model.get_params(),
        "source_weight": SOURCE_WEIGHT,
        "generated": GENERATED,
        "temperatures": dict(zip(TARGETS, model.temperatures_, strict=True)),
        "sentences": {name: len(frame) for name, frame in sources.items()},
        "annotated_reports": int(annotated["group"].nunique()),
        "macro_f1": {
            who: {t: round(evaluation.macro_f1(who, t), 4) for t in TARGETS}
            for who in ("model", "baseline")
        },
        "macro_f1_other_agencies": {
            t: round(evaluation.macro_f1("model", t, evaluation.others()), 4) for t in TARGETS
        },
    }
    (out_dir / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n")
    # The model comparison (`python -m nlp.themes.compare`) is kept beside the shipped model.
    comparison = next(
        (d / COMPARISON_FILE for d in (out_dir, MODELS_DIR) if (d / COMPARISON_FILE).exists()),
        MODELS_DIR / COMPARISON_FILE,
    )
    write_card(
        out_dir / "MODEL_CARD.md",
        meta,
        evaluation,
        pd.read_csv(comparison) if comparison.exists() else None,
    )
    return meta
