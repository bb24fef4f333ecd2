"""The HTML report of a generated batch in headless Chromium: no errors, every chart drawn."""

from __future__ import annotations

import pytest
from browser_page import inked_share, open_page, require_browser

import nlp.compare as compare

pytestmark = pytest.mark.browser  # registered in pyproject.toml (markers)

GENERATED_REPORTS = 70
MAIN_CHARTS = [
    "reports_by_year",
    "findings_by_kind",
    "top_agencies",
    "themes_by_level",
    "achievement_vs_problem",
    "repetition_histogram",
    "yoy_total",
]


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    """The report of a batch of generated reports: several years of a dozen or so agencies."""
    require_browser()
    import nlp.batch
    from nlp.corpus import write_corpus

    root = tmp_path_factory.mktemp("compare")
    corpus = write_corpus(
        root / "corpus", GENERATED_REPORTS, seed=11, formats=("txt", "md", "html"), inject=0.3
    )
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    batch = nlp.batch.run(files, root / "out", workers=1)
    return compare.write_html(batch, root / "compare.html")


def test_opens_without_errors_and_every_chart_draws(report_html):
    with open_page(report_html) as page:
        assert page.problems == []
        assert page.title().startswith("政府信息公开工作年度报告比较分析")
        for name in MAIN_CHARTS:
            chart = page.locator(f'svg[data-chart="{name}"]')
            assert chart.count() == 1, name
            box = chart.bounding_box()
            assert box["width"] > 100 and box["height"] > 60, name
            assert chart.locator("rect").count() > 0, name
            assert inked_share(chart.screenshot()) > 0.02, f"{name} looks blank"
        sparks = page.locator('svg[data-chart="yoy_spark"]')
        agencies = page.locator("#yoy-list .agency-block").count()
        assert sparks.count() == agencies > 5
        for k in range(3):
            assert sparks.nth(k).locator("polyline, circle").count() > 0
            assert inked_share(sparks.nth(k).screenshot()) > 0.01
        assert page.problems == []


def test_chinese_labels_render_as_glyphs(report_html):
    with open_page(report_html) as page:
        # Without a CJK font Chromium draws every character as the same notdef box: the two
        # strings would then have the same pixels.
        shots = []
        for text in ("主动公开", "监督保障"):
            page.set_content(f'<p style="font-size:40px;margin:0" id="t">{text}</p>')
            shots.append(page.locator("#t").screenshot())
        assert shots[0] != shots[1]


def test_findings_filter_by_agency(report_html):
    with open_page(report_html) as page:
        rows = page.locator("#findings-table tr[data-row]")
        total = rows.count()
        assert total > 0
        agency = rows.first.get_attribute("data-agency")
        page.select_option('#findings .filters select[data-filter="agency"]', label=agency)
        visible = page.locator("#findings-table tr[data-row]:not(.hidden)")
        assert 0 < visible.count() <= total
        assert {visible.nth(i).get_attribute("data-agency") for i in range(visible.count())} == {
            agency
        }
        assert page.locator("#findings .count").inner_text() == f"{visible.count()} / {total}"
        assert page.problems == []


def test_year_over_year_filter_keeps_agencies_with_anomalies(report_html):
    with open_page(report_html) as page:
        blocks = page.locator("#yoy-list .agency-block")
        marked = page.locator('#yoy-list .agency-block[data-anomalous="yes"]').count()
        page.select_option('#yoy .filters select[data-filter="anomalous"]', value="yes")
        visible = page.locator("#yoy-list .agency-block:not(.hidden)")
        assert 0 < visible.count() == marked < blocks.count()
        for k in range(visible.count()):
            assert visible.nth(k).locator("td.anomaly").count() > 0
        assert page.problems == []


def test_the_reports_read_are_listed_with_links_and_charts_give_their_sample_size(
    report_html, tmp_path
):
    with open_page(report_html) as page:
        rows = page.locator("#reports-table tr[data-row]")
        assert rows.count() == GENERATED_REPORTS
        links = page.locator("#reports-table a[href^='file:']")
        assert links.count() == GENERATED_REPORTS  # the batch's files are reachable from here
        for name in MAIN_CHARTS:
            title = page.locator(f'svg[data-chart="{name}"]').get_attribute("aria-label")
            assert "n=" in title or "前 " in title, (name, title)
        page.screenshot(path=str(tmp_path / "compare.png"), full_page=False)
        assert (tmp_path / "compare.png").stat().st_size > 10_000
        assert page.problems == []


def test_a_batch_of_unreadable_files_opens_cleanly(tmp_path):
    require_browser()
    import nlp.batch

    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    batch = nlp.batch.run([bad], tmp_path / "out", workers=1)
    html = compare.write_html(batch, tmp_path / "empty.html")
    with open_page(html) as page:
        assert page.problems == []
        assert page.locator("#overview .card").first.inner_text().startswith("0")
        assert "nan" not in page.locator("main").inner_text()
        assert page.locator("#overview table").last.inner_text().count("bad.pdf") == 1


def test_a_finding_fingerprint_is_shown_with_a_copy_button(report_html):
    with open_page(report_html) as page:
        button = page.locator("#findings-table button.copy").first
        fingerprint = button.get_attribute("data-copy")
        assert fingerprint and page.locator("#findings-table code.fp").first.inner_text() == (
            fingerprint
        )
        button.click()
        # the clipboard answers asynchronously: wait for the label to change, then check it
        page.wait_for_function("b => b.textContent !== '复制'", arg=button.element_handle())
        assert button.inner_text() in {"已复制", "已选中，请按 Ctrl+C"}
        assert page.evaluate("window.getSelection().toString()") in {"", fingerprint}
        assert page.problems == []
