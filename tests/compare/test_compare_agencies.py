"""One agency is one agency in every view, however its reports print its name."""

from __future__ import annotations

import lxml.html
from compare_frames import cell, finding, report, tables

from nlp.compare import agencies_by_findings, overview
from nlp.compare.html import render_html

UTF8_HTML = lxml.html.HTMLParser(encoding="utf-8")
HONGZE = "淮安市洪泽区人民政府"
HONGZE_SHORT = "洪泽区人民政府"


def batch():
    return tables(
        reports=[
            report("a", HONGZE_SHORT, 2023),
            report("b", HONGZE, 2024),
            report("c", "沂水县教育局", 2024),
        ],
        findings=[
            finding(
                "a", "claim.requests_new", "本年度共收到申请5件。", agency=HONGZE_SHORT, year=2023
            ),
            finding("b", "claim.requests_new", "本年度共收到申请7件。", agency=HONGZE, year=2024),
        ],
        cells=[
            cell("a", "requests/new/total", 9),
            cell("b", "requests/new/total", 12),
            cell("c", "requests/new/total", 3),
        ],
    )


def test_overview_counts_an_agency_named_with_and_without_its_city_once():
    measures = dict(overview(batch()).itertuples(index=False))
    assert measures["agencies"] == 2


def test_agencies_by_findings_joins_both_names():
    frame = agencies_by_findings(batch())
    assert frame["agency"].tolist() == [HONGZE]
    assert frame.loc[0, "reports"] == 2 and frame.loc[0, "errors"] == 2


def test_year_over_year_shows_one_block_for_the_agency():
    page = lxml.html.document_fromstring(render_html(batch(), "t"), parser=UTF8_HTML)
    blocks = [b.get("data-agency") for b in page.xpath("//div[@id='yoy-list']/div")]
    assert blocks == ["沂水县教育局", HONGZE]
