"""Every format renders, opens with the usual readers, and is deterministic."""

from __future__ import annotations

import io
import random

import docx
import lxml.html
import pdfplumber
import pytest

from nlp.corpus import FORMATS, generate, render, write_corpus


@pytest.fixture(scope="module")
def reports():
    return generate(10, seed=21)


def _render(report, fmt, **noise):
    report.noise.update(noise)
    return render(report, fmt, random.Random(0))


def test_txt_is_tab_separated_and_decodes_in_its_encoding(reports):
    report = reports[0]
    data = _render(report, "txt", gbk=False, oneline=False)
    text = data.decode("utf-8")
    assert report.agency in text
    assert any(line.startswith("一、本年新收政府信息公开申请数量\t") for line in text.splitlines())


def test_gbk_txt_really_is_gbk(reports):
    data = _render(reports[1], "txt", gbk=True, oneline=False)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert reports[1].agency in data.decode("gbk")


def test_oneline_dump_has_one_line_and_no_separators(reports):
    text = _render(reports[2], "txt", gbk=False, oneline=True).decode("utf-8")
    assert text.count("\n") == 1 and "\t" not in text
    assert "本年新收政府信息公开申请数量" in text


def test_markdown_has_headings_and_pipe_tables(reports):
    text = _render(reports[3], "md").decode("utf-8")
    assert text.startswith("# ") and "\n## " in text
    assert any(line.startswith("| 规章 | ") for line in text.splitlines())


def test_html_parses_with_chrome_and_merged_cells(reports):
    page = lxml.html.document_fromstring(
        _render(reports[4], "html"), parser=lxml.html.HTMLParser(encoding="utf-8")
    )
    (article,) = page.xpath("//div[@class='article']")
    assert article.xpath(".//h1") and len(article.xpath(".//table")) == 3
    assert page.xpath("//ul[@class='nav']") and page.xpath("//div[@class='footer']")
    assert article.xpath(".//td[@rowspan]") and article.xpath(".//td[@colspan]")


def test_docx_opens_with_three_word_tables(reports):
    document = docx.Document(io.BytesIO(_render(reports[5], "docx")))
    assert len(document.tables) == 3
    assert reports[5].agency in "\n".join(p.text for p in document.paragraphs)
    review = document.tables[2]
    assert [c.text for c in review.rows[3].cells] == list(
        reports[5].cells.loc[reports[5].cells["table"] == "review", "raw"]
    )


def test_pdf_text_and_ruled_tables_are_extracted(reports):
    report = reports[6]
    with pdfplumber.open(io.BytesIO(_render(report, "pdf", footers=True))) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
        tables = [t for page in pdf.pages for t in page.find_tables()]
    assert report.agency in text and "- 1 -" in text
    assert len(tables) >= 3


@pytest.mark.parametrize("fmt", FORMATS)
def test_rendering_is_deterministic(reports, fmt):
    assert render(reports[7], fmt, random.Random(5)) == render(reports[7], fmt, random.Random(5))


def test_unknown_format_is_a_clear_error(reports):
    with pytest.raises(ValueError, match="unknown format"):
        render(reports[0], "rtf", random.Random(0))
    with pytest.raises(ValueError, match="formats must be among"):
        write_corpus("/tmp/never-written", 1, formats=("rtf",))
