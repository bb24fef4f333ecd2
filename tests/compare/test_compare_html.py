"""The HTML report: self-contained, escaped, every section present (no browser needed)."""

from __future__ import annotations

import re

import pandas as pd
from compare_frames import (
    cell,
    finding,
    report,
    sentence,
    written,
)

import nlp.compare as compare

HOSTILE = '<script>alert("x")</script>'


def _tables(tmp_path):
    return written(
        tmp_path,
        reports=[
            report("a21", "甲县教育局", 2021),
            report("a22", "甲县教育局", 2022),
            report("b22", f"乙县{HOSTILE}局", 2022),
        ],
        sentences=[
            sentence("a21", 0, "门户网站政府信息公开专栏运行平稳，栏目设置科学合理。"),
            sentence("a22", 0, "门户网站政府信息公开专栏运行平稳，栏目设置科学合理。"),
            sentence("b22", 0, f"我局开展培训三次{HOSTILE}，提升了业务能力。", theme="capacity"),
        ],
        cells=[cell("a21", "requests/new/total", 3), cell("a22", "requests/new/total", 4)],
        findings=[
            finding(
                "a22",
                "claim.requests_new",
                "本年度共收到申请5件。",
                claim={"text": "5件", "start": 8, "end": 10, "value": 5},
                cells=[{"table": "requests", "row": "new", "col": "total", "value": 4}],
                agency="甲县教育局",
            )
        ],
    )


def test_report_is_self_contained_and_escapes_report_text(tmp_path):
    page = compare.render_html(_tables(tmp_path), title="测试")
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert page.count("<script>") == 1  # only the report's own filter script
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page


def test_every_section_chart_and_evidence_is_rendered(tmp_path):
    page = compare.render_html(_tables(tmp_path))
    for section in ("overview", "findings", "themes", "repetition", "yoy"):
        assert f'<section id="{section}">' in page
    charts = set(re.findall(r'data-chart="([a-z_]+)"', page))
    assert charts == {
        "reports_by_year",
        "findings_by_kind",
        "top_agencies",
        "themes_by_level",
        "achievement_vs_problem",
        "repetition_histogram",
        "yoy_total",
        "yoy_spark",
    }
    assert "本年度共收到申请<mark>5件</mark>。" in page
    assert "表三 本年新收政府信息公开申请数量 / 总计" in page
    assert 'data-agency="甲县教育局" data-year="2022" data-rule="claim.requests_new"' in page


def test_write_html_from_a_batch_folder(tmp_path):
    from nlp.batch.store import write_part

    out = tmp_path / "out"
    for name, data in _tables(tmp_path).items():
        write_part(out, name, "part-0", data)
    path = compare.write_html(out, tmp_path / "site" / "report.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "甲县教育局" in page
    assert "<small>out</small>" in page  # titled by the folder


def test_an_empty_batch_still_renders(tmp_path):
    page = compare.render_html(written(tmp_path))
    assert "没有发现错误或警告" in page
    assert "没有可对比的上一年报告" in page


def test_reports_without_agency_or_year_are_kept_apart(tmp_path):
    tables = dict(_tables(tmp_path))
    unnamed = report("x", None, None) | {"agency": float("nan"), "level": float("nan")}
    tables["reports"] = pd.concat([tables["reports"], pd.DataFrame([unnamed])], ignore_index=True)
    extra = pd.DataFrame([sentence("x", 0, "门户网站政府信息公开专栏运行平稳，栏目设置科学合理。")])
    tables["sentences"] = pd.concat([tables["sentences"], extra], ignore_index=True)
    frame = compare.repetition(tables).set_index("report_id")
    assert pd.isna(frame.at["x", "share"])  # no agency: nothing to compare with
    assert compare.shared_text(tables).empty
    assert len(compare.year_over_year(tables).query("report_id == 'x'")) == 12
    assert "未识别" in compare.render_html(tables)
