"""Theme profiles against peers (same level, kind, year) and the agency's own past."""

from __future__ import annotations

import pandas as pd
import pytest
from compare_frames import (
    report,
    sentence,
    written,
)

import nlp.compare as compare


def _sentences(report_id: str, themes: list[str], function="achievement") -> list[dict]:
    return [
        sentence(report_id, i, f"句子{i}。", theme=t, function=function)
        for i, t in enumerate(themes)
    ]


@pytest.fixture
def tables(tmp_path):
    return written(
        tmp_path,
        reports=[
            report("own21", "甲县教育局", 2021),
            report("own22", "甲县教育局", 2022),
            report("peer22", "乙县教育局", 2022),
            report("other_level", "丙市教育局", 2022, level="city"),
            report("other_kind", "丁县人民政府", 2022, kind="government"),
        ],
        sentences=[
            *_sentences("own21", ["platform"] * 4),
            *_sentences("own22", ["platform", "platform", "proactive", "on_request"]),
            *_sentences("peer22", ["proactive"] * 3 + ["platform"]),
            *_sentences("other_level", ["fees"] * 2),
            *_sentences("other_kind", ["fees"] * 2),
        ],
    )


def test_share_peers_and_previous_year(tables):
    profiles = compare.theme_profiles(tables).set_index(["report_id", "theme"])
    row = profiles.loc[("own22", "platform")]
    assert row["n"] == 2 and row["share"] == 0.5
    assert row["peer_share"] == 0.25  # only 乙县教育局: same level, kind and year
    assert row["peers"] == 1
    assert (row["previous_year"], row["previous_share"]) == (2021, 1.0)
    assert profiles.loc[("own22", "fees"), "peer_share"] == 0.0
    assert profiles.loc[("own22", "fees"), "share"] == 0.0  # every theme has a row


def test_a_report_without_peers_or_past_has_nulls(tables):
    row = compare.theme_profiles(tables).set_index(["report_id", "theme"]).loc[("own21", "fees")]
    assert row["peers"] == 0
    assert pd.isna(row["peer_share"]) and pd.isna(row["previous_share"])


def test_function_profile(tables):
    profiles = compare.theme_profiles(tables, dimension="function")
    assert set(profiles["function"]) == {"achievement", "problem", "measure", "framing"}
    assert profiles.query("function == 'achievement'")["share"].eq(1.0).all()


def test_distribution_by_level(tables):
    frame = compare.theme_distribution(tables, by=("level",)).set_index(["level", "theme"])
    assert frame.at[("city", "fees"), "share"] == 1.0
    county = frame.loc["county"]
    assert county["share"].sum() == pytest.approx(1.0)
    assert county.at["platform", "n"] == 4 + 2 + 1


def test_achievement_against_problem_theme_by_theme(tmp_path):
    tables = written(
        tmp_path,
        reports=[report("a", "甲县教育局", 2022)],
        sentences=[
            *_sentences("a", ["platform"] * 3),
            *[
                sentence("a", 10 + i, "不足。", theme="platform", function="problem")
                for i in range(1)
            ],
            sentence("a", 20, "将加强。", theme="capacity", function="measure"),
        ],
    )
    frame = compare.achievement_vs_problem(tables).set_index("theme")
    assert frame.loc["platform", ["achievement", "problem", "measure"]].tolist() == [3, 1, 0]
    assert frame.at["platform", "problem_share"] == 0.25
    assert pd.isna(frame.at["capacity", "problem_share"])
