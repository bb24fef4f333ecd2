"""`themes(reports)`: every narrative sentence with its theme and function, as a DataFrame."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING

from nlp.data import MODEL_PATH
from nlp.report import Report
from nlp.themes.features import report_columns

if TYPE_CHECKING:  # pandas on first use: `xxgk themes FILE` shows the columns, without it
    import pandas as pd

    from nlp.themes.arrays import ArrayThemeModel
    from nlp.themes.classifier import ThemeClassifier

COLUMNS = (
    "source",
    "section",
    "index",
    "text",
    "start",
    "end",
    "theme",
    "function",
    "theme_score",
    "function_score",
    "uncertain",  # a score below the model's `uncertain_below` (nlp/models/MODEL_CARD.md): review it
)


@cache
def load_model(path: str | None = None) -> ThemeClassifier | ArrayThemeModel:
    """The shipped model (or the skops one at `path`), loaded safely once, for prediction.

    Its exported arrays (`nlp.themes.arrays`, no sklearn/skops import: most of a cold start)
    when they sit beside it and were exported from this very file; else the skops model.
    """
    from nlp.themes.arrays import ArrayThemeModel, arrays_path

    model_path = Path(path) if path else MODEL_PATH
    if arrays_path(model_path).exists():
        try:
            return ArrayThemeModel.load(arrays_path(model_path), source=model_path)
        except (ValueError, KeyError, OSError):
            pass  # stale or foreign arrays: the model of record decides
    from nlp.themes.classifier import load

    return load(model_path)


def themes(
    reports: Report | str | PathLike | Iterable[Report | str | PathLike],
    model: ThemeClassifier | ArrayThemeModel | None = None,
) -> pd.DataFrame:
    """One row per sentence of overall, problems, other: labels and their probabilities.

    Given many reports, one frame for all of them (in their order, told apart by `source`):
    the fixed cost of a call is then paid once per batch, not once per report. Paths are read
    first (`nlp.read`).
    """
    from nlp.frames import frame

    # the batch's `sentences` dtypes, 0 rows or many
    return frame(theme_columns(reports, model), "sentences", COLUMNS)


def theme_columns(
    reports: Report | str | PathLike | Iterable[Report | str | PathLike],
    model: ThemeClassifier | ArrayThemeModel | None = None,
) -> dict[str, list]:
    """The columns of `themes(reports)` as plain sequences (no pandas, no dtypes)."""
    columns = report_columns(_as_reports(reports))
    if columns["text"]:
        columns.update((model or load_model()).predict_columns(columns))
    return {name: columns.get(name, []) for name in COLUMNS}


def _as_reports(reports) -> list[Report]:
    # Reports as given need no reading: `nlp.analysis` (the checks and claims, some 60 ms to
    # import) is loaded only for paths, which it reads.
    if isinstance(reports, Report):
        return [reports]
    if isinstance(reports, list | tuple) and all(isinstance(r, Report) for r in reports):
        return list(reports)
    from nlp.analysis import as_reports

    return as_reports(reports)


def to_json(table: pd.DataFrame, source: str) -> dict:
    """The `xxgk themes --json` object of interfaces.md."""
    keys = ("section", "index", "text", "theme", "function")
    sentences = [
        {
            **{k: _plain(row[k]) for k in keys},
            "theme_score": round(float(row["theme_score"]), 4),
            "function_score": round(float(row["function_score"]), 4),
            "uncertain": bool(row["uncertain"]),
        }
        for _, row in table.iterrows()
    ]
    return {"source": source, "sentences": sentences}


def _plain(value):
    return value.item() if hasattr(value, "item") else value
