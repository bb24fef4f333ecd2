"""Repetition (雷同) against the agency's previous report, and text shared between agencies."""

from __future__ import annotations

import pandas as pd
import pytest
from compare_frames import (
    report,
    sentence,
    written,
)

import nlp.compare as compare

COPIED = [
    "2021年，我局主动公开政府信息120条，均在规定时限内公开。",
    "严格落实保密审查制度，全年审查拟公开信息35件。",
    "门户网站政府信息公开专栏运行平稳，栏目设置科学合理。",
]
FRESH = [
    "新建政务新媒体矩阵，开通微信公众号并实现每日更新。",
    "组织开展政府开放日活动两次，邀请群众代表实地参观。",
    "围绕群众关切的教育资源配置问题发布政策解读材料。",
]


def _two_years(tmp_path, this_year: list[str], extra_reports=()):
    last_year = [sentence("r21", i, text) for i, text in enumerate(COPIED + FRESH[:1])]
    rows = [sentence("r22", i, text) for i, text in enumerate(this_year)]
    return written(
        tmp_path,
        reports=[
            report("r21", "甲县教育局", 2021),
            report("r22", "甲县教育局", 2022),
            *extra_reports,
        ],
        sentences=last_year + rows,
    )


def test_normalise_ignores_spacing_and_numbers():
    assert compare.normalise("2022年 我局公开 １３５ 条") == compare.normalise("2021年我局公开98条")
    assert compare.normalise("收到申请十九件") == compare.normalise("收到申请两件")


def test_exact_repeats_after_new_year_and_figures(tmp_path):
    this_year = [
        "2022年，我局主动公开政府信息 98 条，均在规定时限内公开。",
        "严格落实保密审查制度，全年审查拟公开信息40件。",
        "门户网站政府信息公开专栏运行平稳，栏目设置科学合理。",
        FRESH[1],
    ]
    tables = _two_years(tmp_path, this_year)
    row = compare.repetition(tables).set_index("report_id").loc["r22"]
    assert (row["sentences"], row["exact"], row["near"]) == (4, 3, 0)
    assert row["share"] == pytest.approx(0.75)
    assert row["previous_year"] == 2021
    assert row["flagged"]
    evidence = compare.repeated_sentences(tables)
    assert set(evidence["match"]) == {"exact"}
    assert evidence["previous_text"].iloc[0] == COPIED[0]


def test_near_duplicate_counts_and_half_is_not_flagged(tmp_path):
    this_year = [
        "严格落实保密审查制度，全年共审查拟公开信息40件。",  # one character added
        FRESH[1],
    ]
    tables = _two_years(tmp_path, this_year)
    row = compare.repetition(tables).set_index("report_id").loc["r22"]
    assert (row["exact"], row["near"]) == (0, 1)
    assert row["share"] == pytest.approx(0.5)
    assert not row["flagged"]  # evaluators penalise more than half
    near = compare.repeated_sentences(tables).iloc[0]
    assert 90 <= near["similarity"] < 100
    assert near["previous_text"] == COPIED[1]


def test_headings_framing_and_short_sentences_do_not_count(tmp_path):
    this_year = [
        "一、总体情况",
        "（二）依申请公开情况",
        "下一步，我局将重点做好以下工作。",
        "好。",
        FRESH[2],
    ]
    rows = [
        sentence("r22", i, t, function="framing" if "下一步" in t else "achievement")
        for i, t in enumerate(this_year)
    ]
    rows += [sentence("r21", i, t) for i, t in enumerate(this_year)]
    tables = written(
        tmp_path,
        reports=[report("r21", "甲县教育局", 2021), report("r22", "甲县教育局", 2022)],
        sentences=rows,
    )
    assert list(compare.narrative_sentences(tables).query("report_id == 'r22'")["text"]) == [
        FRESH[2]
    ]
    assert compare.repetition(tables).set_index("report_id").at["r22", "share"] == 1.0


def test_first_report_has_no_share_and_a_gap_year_compares_with_the_latest(tmp_path):
    tables = written(
        tmp_path,
        reports=[report("r19", "甲县教育局", 2019), report("r22", "甲县教育局", 2022)],
        sentences=[sentence("r19", 0, COPIED[0]), sentence("r22", 0, COPIED[0])],
    )
    frame = compare.repetition(tables).set_index("report_id")
    assert pd.isna(frame.at["r19", "share"]) and not frame.at["r19", "flagged"]
    assert frame.at["r22", "previous_year"] == 2019
    assert frame.at["r22", "share"] == 1.0


def test_agency_names_differing_by_a_remark_are_one_agency(tmp_path):
    tables = written(
        tmp_path,
        reports=[
            report("r21", "甲县人民政府（甲县人民政府办公室编制）", 2021),
            report("r22", "甲县人民政府", 2022),
        ],
        sentences=[sentence("r21", 0, COPIED[2]), sentence("r22", 0, COPIED[2])],
    )
    assert compare.repetition(tables).set_index("report_id").at["r22", "share"] == 1.0


def test_shared_text_between_two_agencies_with_evidence(tmp_path):
    shared = [sentence("a", i, t) for i, t in enumerate(FRESH)]
    shared += [sentence("b", i, t) for i, t in enumerate(FRESH[:2] + COPIED[:1])]
    tables = written(
        tmp_path,
        reports=[report("a", "甲县教育局", 2022), report("b", "乙县卫生健康局", 2022)],
        sentences=shared,
    )
    pairs = compare.shared_text(tables)
    assert set(pairs["text"]) == set(FRESH[:2])
    assert set(pairs["n_shared"]) == {2}
    assert {pairs["agency"].iloc[0], pairs["other_agency"].iloc[0]} == {
        "甲县教育局",
        "乙县卫生健康局",
    }


def test_boilerplate_of_many_agencies_and_single_shared_sentences_are_not_pairs(tmp_path):
    agencies = ["甲县教育局", "乙县卫生健康局", "丙县民政局"]
    rows = [sentence(f"r{i}", 0, FRESH[0]) for i in range(3)]  # three agencies: boilerplate
    rows += [sentence("r0", 1, FRESH[1]), sentence("r1", 1, FRESH[1])]  # one sentence: too few
    tables = written(
        tmp_path, reports=[report(f"r{i}", a, 2022) for i, a in enumerate(agencies)], sentences=rows
    )
    assert compare.shared_text(tables).empty


def test_same_agency_is_never_a_shared_text_pair(tmp_path):
    rows = [sentence(r, i, t) for r in ("r21", "r22") for i, t in enumerate(FRESH)]
    tables = written(
        tmp_path,
        reports=[report("r21", "甲县教育局", 2021), report("r22", "甲县教育局", 2022)],
        sentences=rows,
    )
    assert compare.shared_text(tables).empty
