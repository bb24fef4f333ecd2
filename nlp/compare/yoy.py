"""Year over year: requests, outcomes, review and litigation per agency, anomalies marked."""

from __future__ import annotations

from fnmatch import fnmatchcase

import numpy as np
import pandas as pd

from nlp.compare.source import Batch, Tables, as_tables, settings, with_report_keys

_MAD_SCALE = 1.4826  # makes the MAD of normal data equal its standard deviation


def year_over_year(batch: Batch) -> pd.DataFrame:
    """One row per report × metric of compare.yaml: `value` (the sum of its cells; null when the
    report printed none), the agency's latest earlier `previous_year` / `previous_value`, `change`,
    `log_ratio`, `robust_z`, `anomaly`, and the report's `cross_year_findings`."""
    tables = as_tables(batch)
    values = metric_values(tables)
    frame = _with_previous(values)
    frame = _mark_anomalies(frame)
    cross_year = tables["findings"].query("kind == 'cross_year'").groupby("report_id").size()
    frame["cross_year_findings"] = frame["report_id"].map(cross_year).fillna(0).astype(int)
    labels = {key: spec["label"] for key, spec in _metrics().items()}
    frame["label"] = frame["metric"].map(labels)
    order = {key: i for i, key in enumerate(_metrics())}
    frame = frame.assign(_order=frame["metric"].map(order))
    frame = frame.sort_values(["agency", "year", "report_id", "_order"], ignore_index=True)
    return frame.drop(columns="_order")


def metric_values(batch: Batch) -> pd.DataFrame:
    """Per report × metric, the sum of the metric's cells (`value`, null when none printed)."""
    tables = as_tables(batch)
    cells = tables["cells"][["report_id", "table", "row", "col", "value"]]
    keys = cells["table"] + "/" + cells["row"] + "/" + cells["col"]
    distinct = keys.unique()
    parts = []
    for metric, spec in _metrics().items():
        chosen = [key for key in distinct if _matches(key, spec["cells"])]
        summed = cells[keys.isin(chosen)].groupby("report_id")["value"].sum(min_count=1)
        parts.append(summed.rename(metric))
    matrix = pd.concat(parts, axis=1).reindex(tables["reports"]["report_id"])
    matrix.index.name = "report_id"
    frame = matrix.stack(future_stack=True).rename("value").reset_index()
    frame = frame.rename(columns={"level_1": "metric"})
    return with_report_keys(frame, tables, ["agency", "agency_key", "year"])


def _metrics() -> dict[str, dict]:
    return settings()["year_over_year"]["metrics"]


def _matches(key: str, patterns: list[str]) -> bool:
    return any(fnmatchcase(key, pattern) for pattern in patterns)


def _with_previous(values: pd.DataFrame) -> pd.DataFrame:
    dated = values[values["agency_key"].ne("") & values["year"].notna()]
    by_year = dated.groupby(["agency_key", "metric", "year"])["value"].mean().reset_index()
    by_year = by_year.sort_values(["agency_key", "metric", "year"])
    grouped = by_year.groupby(["agency_key", "metric"])
    by_year["previous_year"] = grouped["year"].shift()
    by_year["previous_value"] = grouped["value"].shift()
    by_year = by_year.drop(columns="value")
    frame = values.merge(by_year, on=["agency_key", "metric", "year"], how="left")
    frame["previous_year"] = frame["previous_year"].astype("Int64")
    frame["change"] = frame["value"] - frame["previous_value"]
    frame["log_ratio"] = np.log1p(frame["value"].clip(lower=0)) - np.log1p(
        frame["previous_value"].clip(lower=0)
    )
    return frame


def _mark_anomalies(frame: pd.DataFrame) -> pd.DataFrame:
    """A change far from the batch's usual change of that metric (median ± MADs), and large."""
    options = settings()["year_over_year"]["anomaly"]
    ratios = frame.groupby("metric")["log_ratio"]
    median = ratios.transform("median")
    mad = (frame["log_ratio"] - median).abs().groupby(frame["metric"]).transform("median")
    spread = (mad * _MAD_SCALE).where(mad > 0)
    deviation = frame["log_ratio"] - median
    # Where the metric's changes have no spread (MAD 0), any other change is infinitely far out
    z = (deviation / spread).where(spread.notna(), np.sign(deviation) * np.inf)
    z = z.where(frame["log_ratio"].notna())
    frame["anomaly"] = (
        z.abs().gt(options["robust_z"])
        & frame["log_ratio"].abs().ge(options["min_log_ratio"])
        & frame["change"].abs().ge(options["min_change"])
    )
    frame["robust_z"] = z.where(np.isfinite(z))  # shown: a number or null, never ±inf
    return frame


def agency_series(batch: Batch | Tables, metric: str | None = None) -> pd.DataFrame:
    """One metric (the headline of compare.yaml by default) as agency × year, for small charts."""
    frame = year_over_year(batch)
    metric = metric or settings()["year_over_year"]["headline"]
    frame = frame[frame["metric"] == metric]
    return frame.pivot_table(index="agency", columns="year", values="value", aggfunc="mean")
