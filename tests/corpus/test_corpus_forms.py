"""The published forms: each renders as its form, carries its truth, and `nlp.read` opens it."""

from __future__ import annotations

import io
import random
import re
import zipfile

import docx
import lxml.html
import pandas as pd
import pdfplumber
import pytest

import nlp
from nlp.corpus import FORMS, form_format, generate, render, section_truth, with_form, write_corpus
from nlp.corpus.forms import is_classic
from nlp.corpus.tables import applicant_cols, outcome_rows

UTF8_HTML = lxml.html.HTMLParser(encoding="utf-8")
# The scan form is read by OCR (slow, the `ocr` extra): tests/corpus/test_corpus_scan.py.
NEW_FORMS = [f for f in FORMS if not is_classic(f) and f != "scan"]
LEGAL = applicant_cols()[1:]


@pytest.fixture(scope="module")
def reports():
    return generate(80, seed=31)


def find(reports, form, **noise):
    """The first report whose form noise has these values."""
    for report in reports:
        published = with_form(report, form)
        if all(published.noise.get(k) == v for k, v in noise.items()):
            return published
    raise AssertionError(f"no report of form {form} with {noise}")


def html_of(report) -> str:
    data = render(report, report.noise["form"], random.Random(3))
    return data.decode("gbk" if report.noise.get("gbk_fragment") else "utf-8")


def visible(html: str) -> str:
    return re.sub(r"\s+", "", page(html).text_content())


def page(html: str):
    return lxml.html.document_fromstring(html.encode("utf-8"), parser=UTF8_HTML)


def text_of(element) -> str:
    return element.text_content().strip()


# --- every form --------------------------------------------------------------------------------


@pytest.mark.parametrize("form", NEW_FORMS)
def test_new_form_renders_and_nlp_reads_it(reports, form):
    report = with_form(reports[NEW_FORMS.index(form)], form)
    data = render(report, form, random.Random(1))
    read = nlp.read(data, name=f"{report.report_id}.{form_format(form)}")
    assert read.input_format == form_format(form)
    assert len(read.text) > 500


@pytest.mark.parametrize("form", NEW_FORMS)
def test_new_form_rendering_is_deterministic(reports, form):
    report = reports[5]
    assert render(report, form, random.Random(2)) == render(report, form, random.Random(2))
    assert with_form(report, form).noise == with_form(report, form).noise


@pytest.mark.parametrize("form", ["txt", "md", "html", "docx", "pdf"])
def test_classic_forms_keep_the_truth(reports, form):
    report = reports[0]
    published = with_form(report, form)
    assert published.noise["form"] == form
    assert published.cells.equals(report.cells)
    assert published.sections == report.sections and published.sentences == report.sentences


def test_unknown_form_is_a_clear_error(reports):
    with pytest.raises(ValueError, match="unknown form"):
        with_form(reports[0], "telegram")
    with pytest.raises(ValueError, match="forms must be among"):
        write_corpus("/tmp/never-written", 1, forms=("telegram",))


# --- blank cells ------------------------------------------------------------------------------


def test_legal_blank_nulls_the_five_legal_person_columns(reports):
    report = find(reports, "gov_page", blanks="legal_blank")
    requests = report.cells[report.cells["table"] == "requests"]
    legal = requests[requests["col"].isin(LEGAL)]
    assert legal["value"].isna().all()
    assert set(legal["raw"]) == {report.noise["blank_marker"]}
    assert requests.loc[~requests["col"].isin(LEGAL), "value"].notna().all()


def test_total_blank_nulls_the_total_of_every_outcome_row(reports):
    report = find(reports, "word_paste", blanks="total_blank")
    cells = report.cells
    outcome_totals = (
        (cells["table"] == "requests")
        & cells["row"].isin(outcome_rows(report.format))
        & (cells["col"] == "total")
    )
    assert cells.loc[outcome_totals, "value"].isna().all()
    assert cells.loc[~outcome_totals, "value"].notna().all()
    handled = cells[(cells["row"] == "handled_total") & (cells["col"] == "total")]
    assert handled["value"].notna().all()


def test_a_blank_cell_prints_blank_at_its_own_position(reports):
    report = find(reports, "gov_page", blanks="total_blank", blank_marker="")
    tables = page(html_of(report)).iter("table")
    table = max(tables, key=lambda t: len(list(t.iter("tr"))))
    granted = next(tr for tr in table.iter("tr") if "予以公开" in tr.text_content())
    cells = list(granted.iter("td"))
    assert text_of(cells[-1]) == ""  # 总计 is blank
    assert text_of(cells[-2]).isdigit()  # the column before it is not shifted


# --- site pages -------------------------------------------------------------------------------


def test_gov_page_has_site_chrome_around_a_content_container(reports):
    report = with_form(reports[1], "gov_page")
    html = html_of(report)
    for marker in ("当前位置", "索引号", "发布机构", "公开日期", "文号", "主题分类", "网站标识码"):
        assert marker in html, marker
    root = page(html)
    assert root.xpath("//input[@name='q']") and root.xpath("//script")
    container = root.xpath(
        "//*[contains(concat(' ', @class, ' '), ' TRS_Editor ')"
        " or @id='zoom' or contains(concat(' ', @class, ' '), ' article-content ')"
        " or contains(concat(' ', @class, ' '), ' TRS_UEDITOR ') or @id='UCAP-CONTENT']"
    )
    assert container and len(container[0].xpath(".//table")) == 3


def test_word_paste_splits_runs_and_keeps_word_markup(reports):
    report = with_form(reports[2], "word_paste")
    html = html_of(report)
    assert 'class="MsoNormal"' in html and "<o:p>" in html and "MsoNormalTable" in html
    text = visible(html)
    for row in section_truth(report):
        assert re.sub(r"\s+", "", row["heading"]) in text
    # the label is in the text but not in one piece in the markup
    assert "申请人情况" in text or "法人或其他组织" in text
    content = html.split('<div class="WordSection1">')[1].split("</div>\n</div>")[0]
    pieces = [p for p in re.findall(r">([^<>]+)<", content) if p.strip()]
    assert max(len(p) for p in pieces) < 40
    assert any(len(p) == 1 for p in pieces)


def test_word_paste_headings_are_plain_paragraphs_some_after_a_br(reports):
    found = False
    for report in reports[:30]:
        html = html_of(with_form(report, "word_paste"))
        assert "<h1" not in html.split('class="WordSection1"')[1]
        found = found or bool(
            re.search(
                r"<br><b>(<span[^>]*>[^<]*</span>|<font[^>]*>[^<]*</font>)+</b><o:p></o:p></p>",
                html,
            )
        )
    assert found


def test_fragment_is_bare_and_sometimes_gbk(reports):
    report = find(reports, "fragment", gbk_fragment=True)
    data = render(report, "fragment", random.Random(0))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    html = data.decode("gbk")
    assert "<html" not in html and "<head" not in html and "charset" not in html
    assert report.agency in html


def test_crawler_copy_has_its_block_in_front(reports):
    kinds = set()
    for report in reports[:12]:
        html = html_of(with_form(report, "crawler"))
        if html.startswith("<pre>来源: http"):
            kinds.add("pre")
        elif '<body>\n<div class="crawler-meta">' in html:
            kinds.add("div")
        assert "抓取时间" in html and "<!DOCTYPE html>" in html
    assert kinds == {"pre", "div"}


# --- table grids ------------------------------------------------------------------------------


def _spans(html: str) -> list[tuple[str, int, int]]:
    return [
        (text_of(td), int(td.get("rowspan", 1)), int(td.get("colspan", 1)))
        for td in page(html).iter("td")
    ]


def test_site_tables_have_the_real_row_and_column_spans(reports):
    report = find(reports, "gov_page", header_lines=3, vertical_headers=False)
    spans = _spans(html_of(report))
    assert any(t == "三、本年度办理结果" and r >= 20 for t, r, _ in spans)
    assert any(t.endswith("不予公开") and r == 8 for t, r, _ in spans)
    assert ("法人或其他组织", 1, 5) in spans
    assert any(t.startswith("四、结转下年度继续办理") and c == 3 for t, _, c in spans)
    assert any(t == "申请人情况" for t, _, _ in spans)


def test_two_line_header_and_vertical_header_text(reports):
    two = html_of(find(reports, "gov_page", header_lines=2))
    assert "申请人情况" not in visible(two) and "法人或其他组织" in visible(two)
    tall = html_of(find(reports, "gov_page", vertical_headers=True))
    assert "自<br>然<br>人" in tall


# --- Word and PDF -----------------------------------------------------------------------------


def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode("utf-8")


def test_docx_merged_has_grid_spans_and_vertical_merges(reports):
    xml = _document_xml(render(reports[3], "docx_merged", random.Random(0)))
    assert "<w:gridSpan" in xml and "<w:vMerge" in xml


def test_docx_nested_holds_each_table_inside_a_cell(reports):
    data = render(reports[4], "docx_nested", random.Random(0))
    document = docx.Document(io.BytesIO(data))
    assert len(document.tables) == 3
    inner = [t for outer in document.tables for t in outer.cell(0, 0).tables]
    assert len(inner) == 3 and len(inner[1].rows) > 20


def _pdf_pages(report) -> list[str]:
    with pdfplumber.open(io.BytesIO(render(report, "pdf_split", random.Random(0)))) as pdf:
        return [page.extract_text() for page in pdf.pages]


@pytest.mark.parametrize("repeat", [True, False])
def test_pdf_split_breaks_table_three_across_pages(reports, repeat):
    report = find(reports, "pdf_split", repeat_header=repeat, header_lines=3)
    pages = _pdf_pages(report)
    with_table_three = [p for p in pages if "予以公开" in p or "结转下年度" in p]
    assert len(with_table_three) >= 2
    header_pages = [p for p in pages if "本列数据" in p]
    assert len(header_pages) == (2 if repeat else 1)
    for number, page in enumerate(pages, start=1):
        assert page.rstrip().endswith(f"— {number} —")


def test_pdf_paragraphs_wrap_mid_sentence(reports):
    report = with_form(reports[6], "pdf_split")
    lines = "\n".join(_pdf_pages(report)).split("\n")
    first = next(s["text"] for s in report.sentences if len(s["text"]) > 60)
    starts = [i for i, line in enumerate(lines) if first[:12] in line.replace(" ", "")]
    assert starts, first
    line = lines[starts[0]].replace(" ", "")
    assert not line.endswith(first[-6:])  # the sentence goes on to the next line


# --- sub-headings and sections ----------------------------------------------------------------


def test_titled_subheadings_stay_inside_overall_with_consistent_offsets(reports):
    report = find(reports, "word_paste", subheading_words="titled", subheadings="line")
    overall = report.sections["overall"]
    headings = [s for s in report.sentences if s["heading"]]
    assert len(headings) == 5 and all(s["section"] == "overall" for s in headings)
    assert "主动公开政府信息" in headings[0]["text"]
    for sentence in report.sentences:
        assert (
            report.sections[sentence["section"]][sentence["start"] : sentence["end"]]
            == (sentence["text"])
        )
    for claim in report.claims:
        assert report.sections[claim["section"]][claim["start"] : claim["end"]] == claim["text"]
    assert headings[0]["text"] in overall


@pytest.mark.parametrize("style", ["numeral", "yishi", "bare"])
def test_other_subheading_wordings(reports, style):
    report = find(reports, "gov_page", subheading_words=style, subheadings="line")
    first = next(s["text"] for s in report.sentences if s["heading"])
    expected = {"numeral": r"^1\.", "yishi": r"^一是.*。$", "bare": r"^主动公开"}[style]
    assert re.match(expected, first)
    for sentence in report.sentences:
        assert (
            report.sections[sentence["section"]][sentence["start"] : sentence["end"]]
            == (sentence["text"])
        )


def test_bold_subheadings_print_as_bold_runs(reports):
    report = find(reports, "gov_page", subheading_words="bare", subheadings="inline")
    first = next(s["text"] for s in report.sentences if s["heading"])
    assert f"<strong>{first}</strong>" in html_of(report)


def test_section_truth_names_each_printed_heading(reports):
    report = with_form(reports[7], "fragment")
    truth = section_truth(report)
    assert [r["section"] for r in truth] == [
        "overall",
        "active",
        "requests",
        "review",
        "problems",
        "other",
    ]
    text = visible(html_of(report))
    for row in truth:
        assert re.sub(r"\s+", "", row["heading"]) in text
        if row["text"] is not None:
            assert row["first"] in row["text"] and row["last"] in row["text"]


# --- on disk ----------------------------------------------------------------------------------


def test_write_corpus_with_forms_writes_form_truth(tmp_path):
    out = write_corpus(tmp_path / "forms", 14, seed=4, forms=FORMS)
    reports = pd.read_parquet(out / "truth" / "reports.parquet")
    assert {"form", "blanks", "header_lines", "subheading_words", "table_split"} <= set(reports)
    assert set(reports["form"]) <= set(FORMS)
    for row in reports.itertuples():
        assert row.file.endswith("." + form_format(row.form)) and row.input_format == (
            form_format(row.form)
        )
    sections = pd.read_parquet(out / "truth" / "sections.parquet")
    assert len(sections) == 6 * len(reports)
    cells = pd.read_parquet(out / "truth" / "cells.parquet")
    blank_ids = set(reports.loc[reports["blanks"] != "none", "report_id"])
    null_ids = set(cells.loc[cells["value"].isna(), "report_id"])
    assert null_ids == blank_ids


def test_write_corpus_without_forms_writes_the_classic_truth(tmp_path):
    out = write_corpus(tmp_path / "classic", 3, seed=4, formats=("txt",))
    assert "form" not in pd.read_parquet(out / "truth" / "reports.parquet")
    assert not (out / "truth" / "sections.parquet").exists()


def test_pdf_paragraphs_have_a_first_line_indent(reports):
    report = with_form(reports[6], "pdf_split")
    with pdfplumber.open(io.BytesIO(render(report, "pdf_split", random.Random(0)))) as pdf:
        lines = pdf.pages[0].extract_text_lines()
    preamble = report.sections["preamble"].split("\n")[0]
    first = next(i for i, line in enumerate(lines) if line["text"].startswith(preamble[:8]))
    assert lines[first]["x0"] > lines[first + 1]["x0"] + 15  # indented by two characters
