"""Year over year: metrics summed from cells, anomalies, cross-year findings."""

from __future__ import annotations

import pandas as pd
from compare_frames import (
    cell,
    finding,
    report,
    written,
)

import nlp.compare as compare


def _agency(prefix: str, agency: str, series: list[float]) -> tuple[list[dict], list[dict]]:
    reports, cells = [], []
    for offset, value in enumerate(series):
        report_id = f"{prefix}{offset}"
        reports.append(report(report_id, agency, 2020 + offset))
        cells.append(cell(report_id, "requests/new/total", value))
    return reports, cells


def test_metrics_sum_their_cells_and_absent_cells_are_null(tmp_path):
    tables = written(
        tmp_path,
        reports=[report("a", "甲县教育局", 2022)],
        cells=[
            cell("a", "requests/denied.state_secret/total", 1),
            cell("a", "requests/denied.process/total", 2),
            cell("a", "requests/denied.process/natural_person", 50),  # not the total column
            cell("a", "review/litigation_direct/total", 3),
            cell("a", "review/litigation_after_review/total", 4),
        ],
    )
    values = compare.metric_values(tables).set_index("metric")["value"]
    assert values["denied"] == 3
    assert values["litigation"] == 7
    assert pd.isna(values["requests_new"])


def test_a_jump_beyond_the_usual_change_is_an_anomaly(tmp_path):
    reports, cells = [], []
    for k in range(8):  # steady agencies set what a usual change is
        r, c = _agency(f"s{k}_", f"县{k}局", [20 + k, 22 + k, 21 + k])
        reports += r
        cells += c
    r, c = _agency("jump_", "甲县公安局", [20, 21, 240])
    tables = written(tmp_path, reports=reports + r, cells=cells + c)
    frame = compare.year_over_year(tables).query("metric == 'requests_new'")
    flagged = frame[frame["anomaly"]]
    assert flagged[["agency", "year"]].values.tolist() == [["甲县公安局", 2022]]
    row = flagged.iloc[0]
    assert (row["previous_year"], row["previous_value"], row["change"]) == (2021, 21, 219)
    assert row["label"] == "本年新收申请"


def test_small_absolute_changes_are_not_anomalies(tmp_path):
    reports, cells = [], []
    for k in range(8):
        r, c = _agency(f"s{k}_", f"县{k}局", [20, 21, 20])
        reports += r
        cells += c
    r, c = _agency("tiny_", "甲县公安局", [0, 0, 6])  # a big ratio, but six requests
    tables = written(tmp_path, reports=reports + r, cells=cells + c)
    assert not compare.year_over_year(tables)["anomaly"].any()


def test_cross_year_findings_are_counted_on_the_later_report(tmp_path):
    reports, cells = _agency("a", "甲县教育局", [5, 6])
    findings = [finding("a1", "cross_year.requests_carried_over", "…", kind="cross_year")]
    tables = written(tmp_path, reports=reports, cells=cells, findings=findings)
    frame = compare.year_over_year(tables).drop_duplicates("report_id").set_index("report_id")
    assert frame["cross_year_findings"].to_dict() == {"a0": 0, "a1": 1}
    series = compare.agency_series(tables)
    assert series.loc["甲县教育局"].tolist() == [5, 6]
