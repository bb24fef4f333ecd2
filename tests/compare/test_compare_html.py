"""The HTML report: self-contained, escaped, every section present (no browser needed)."""

from __future__ import annotations

import re

import lxml.html
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


UTF8_HTML = lxml.html.HTMLParser(encoding="utf-8")


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
    # Titled by what the batch holds, not by the folder's name.
    assert "<small>乙县" in page and "甲县教育局 · 2021–2022 年度 · 3 份报告</small>" in page


def test_every_report_read_is_listed_with_its_file_and_confidence(tmp_path):
    tables = dict(_tables(tmp_path))
    source = tmp_path / "甲县.txt"
    source.write_text("x", encoding="utf-8")
    tables["reports"] = tables["reports"].assign(source=[str(source), "a22.txt", "b22.txt"])
    tables["reports"]["confidence"] = [0.5, 1.0, 0.9]
    page = lxml.html.document_fromstring(compare.render_html(tables), parser=UTF8_HTML)
    rows = page.xpath("//table[@id='reports-table']/tr[@data-row]")
    assert len(rows) == 3
    first, second = (r for r in rows if r.get("data-agency") == "甲县教育局")
    cells = [td.text_content() for td in first.xpath("td")]
    assert cells[:3] == ["甲县教育局", "2021", "甲县.txt"] and cells[5] == "50%"
    assert first.xpath(".//a/@href") == [source.resolve().as_uri()]
    assert not second.xpath(".//a")  # a path that is not reachable is not a link


def test_parse_warnings_are_named_in_words_beside_their_code(tmp_path):
    tables = dict(_tables(tmp_path))
    tables["reports"]["parse_warnings"] = [
        '[{"code": "table.row_missing", "message": "m"}]',
        "[]",
        '[{"code": "some.new_code", "message": "m"}]',
    ]
    page = compare.render_html(tables)
    assert '表格缺少某一行</td><td class="rule">table.row_missing' in page
    assert "<td>some.new_code</td>" in page  # an unknown code is shown as it is


def test_charts_say_how_many_they_count_and_findings_name_their_file(tmp_path):
    page = compare.render_html(_tables(tmp_path))
    assert "各年度报告数（按输入格式，n=3）" in page
    assert "发现的问题（按类型与严重程度，n=1）" in page
    assert "按层级平均，n=2 份报告" in page
    assert '<td class="file">a22.txt</td>' in page


def test_previous_report_values_are_printed_not_only_in_tooltips(tmp_path):
    page = compare.render_html(_tables(tmp_path))
    assert '<small class="previous">上一份 100%</small>' in page
    assert '<small class="previous">较2021年 +1</small>' in page


def test_the_peer_column_is_hidden_and_explained_when_no_report_has_peers(tmp_path):
    tables = dict(_tables(tmp_path))
    tables["reports"]["year"] = pd.array([2021, 2022, 2023], dtype="Int64")
    page = compare.render_html(tables)
    assert "不作同级比较" in page and '<th class="num">同级</th>' not in page


def test_an_empty_batch_still_renders(tmp_path):
    page = compare.render_html(written(tmp_path))
    assert "没有发现错误或警告" in page
    assert "没有可对比的上一年报告" in page


def test_a_batch_of_unreadable_files_renders_a_clean_page(tmp_path):
    errors = [{"file": "a.pdf", "stage": "read", "error": "ReadError", "reason": "扫描件"}]
    page = compare.render_html(written(tmp_path, errors=errors))
    shown = lxml.html.document_fromstring(page, parser=UTF8_HTML).xpath("//main")[0]
    for hidden in shown.xpath(".//script | .//svg | .//style"):
        hidden.drop_tree()
    text = shown.text_content()
    assert "nan" not in text and "1.0" not in text
    assert "这一批没有读出任何报告；无法读取的文件见下表" in page
    assert "<b>0</b><span>报告</span>" in page and "<b>1</b><span>无法读取</span>" in page


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


def test_every_parse_warning_code_the_readers_emit_has_words():
    """Codes are string constants in the readers and their YAML; each needs a label, or the
    report would show a bare code."""
    from pathlib import Path

    from nlp.compare.source import settings

    package = Path(compare.__file__).parents[1]
    # in Python a quoted string, in YAML a value or list item
    code = re.compile(
        r"(?:\"|: |- )((?:ingest|table|sections)\.[a-z_]+)\"?$|\"((?:ingest|table|sections)\.[a-z_]+)\"",
        re.M,
    )
    sources = [package / "reader.py", package / "sections.py"]
    for folder in ("ingest", "tables"):
        sources += sorted((package / folder).glob("*.py")) + sorted(
            (package / folder).glob("*.yaml")
        )
    found = [m for path in sources for m in code.findall(path.read_text(encoding="utf-8"))]
    emitted = {a or b for a, b in found} - {"sections.yaml"}
    assert "ingest.text_cut" in emitted and "table.ambiguous_split" in emitted
    labelled = set(settings()["labels"]["warning_code"])
    assert emitted - labelled == set()
