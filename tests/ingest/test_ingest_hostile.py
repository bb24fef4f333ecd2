"""Hostile inputs on the read path (issue 18): each is read in bounded time or refused in plain
words, with the technical cause after it."""

from __future__ import annotations

import io
import time
import zipfile

import pytest

from nlp.corpus import generate, render
from nlp.fuzz import hostile
from nlp.ingest import load
from nlp.ingest.lines import is_furniture
from nlp.report import ReadError


@pytest.fixture(scope="module")
def text() -> str:
    import random

    return load(render(generate(1, seed=7)[0], "txt", random.Random(7)), name="r.txt").text


def _cpu(function, *args, **kwargs):
    started = time.process_time()
    result = function(*args, **kwargs)
    return result, time.process_time() - started


@pytest.mark.parametrize(
    "line",
    [
        " " * 10**6,
        " " * 10**6 + "x",
        "第1页" + " " * 10**5 + "x",
        "\t" * 10**5 + "一",
        "=" * 10**5 + " " * 10**5 + "x",
        "1 " * 10**5 + "x",
    ],
    ids=["spaces", "spaces_then_text", "page_then_spaces", "tabs", "rule_then_spaces", "digits"],
)
def test_a_long_run_in_a_line_reads_in_linear_time(text, line):
    # Before issue 18 the furniture pattern took 17 s on 10^5 spaces and hours on 10^6.
    document, seconds = _cpu(load, (text + "\n" + line + "\n").encode(), name="r.txt")
    assert "本年新收政府信息公开申请数量" in document.text
    assert seconds < 5


@pytest.mark.parametrize(
    "line", ["- 3 -", "第 3 页", "第3页 共7页", "第3页，共7页", "==== 正文 ===="]
)
def test_page_furniture_is_still_recognised(line):
    assert is_furniture(f"  {line}  ")
    assert not is_furniture(f"{line} 本机关")


def test_a_docx_bomb_is_refused_by_the_bytes_it_inflates():
    with pytest.raises(ReadError) as refused:
        load(hostile.docx_bomb(100 * 2**20), name="bomb.docx")
    assert "compression bomb" in refused.value.reason
    assert "word/document.xml inflated past" in refused.value.detail


def test_a_docx_without_a_body_is_refused_in_plain_words():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f'<w:document xmlns:w="{hostile.W_NAMESPACE}"/>')
    with pytest.raises(ReadError, match="not a valid Word file: its document part has no body"):
        load(buffer.getvalue(), name="r.docx")


def test_a_500_page_pdf_is_cut_with_a_warning(text):
    document = load(hostile.many_page_pdf(text, 500), name="annex.pdf")
    cut = [w for w in document.warnings if w.code == "ingest.pages_cut"]
    assert cut and "500 pages" in cut[0].message


def test_a_utf8_mark_before_gbk_text_is_ignored_with_a_warning(text):
    document = load(b"\xef\xbb\xbf" + text.encode("gb18030"), name="r.txt")
    assert "本年新收政府信息公开申请数量" in document.text
    assert "ingest.bom_mismatch" in {w.code for w in document.warnings}


def test_a_file_of_invisible_characters_is_empty():
    with pytest.raises(ReadError, match=r"only invisible characters"):
        load(("\u200b\u200c\u200d\ufeff" * 500).encode(), name="r.txt")


def test_a_text_report_quoting_a_pdf_header_is_text(text):
    data = ("见附件（文件头 %PDF-1.4）\n" + text).encode()
    assert load(data, name="r.txt").kind == "txt"


def test_a_pdf_header_at_the_start_makes_a_pdf_whatever_the_name():
    with pytest.raises(ReadError, match="PDF"):
        load(b"  %PDF-1.4\n1 0 obj\n<< /Type /Catalog", name="r.txt")


@pytest.mark.parametrize("declared", ["utf-16", "gb2312", "big5"])
def test_a_declared_charset_that_does_not_fit_the_bytes_is_overridden(declared):
    page = (
        f'<html><head><meta charset="{declared}"></head><body>'
        "<h2>一、总体情况</h2><p>本机关全年主动公开政府信息一百二十条。</p></body></html>"
    ).encode()
    document = load(page, name="r.html")
    assert "本机关全年主动公开政府信息一百二十条" in document.text
    mismatch = [w for w in document.warnings if w.code == "ingest.charset_mismatch"]
    assert mismatch and "declares the charset" in mismatch[0].message


def test_a_declared_charset_that_fits_is_trusted_without_a_warning():
    page = (
        '<html><head><meta charset="gbk"></head><body>'
        "<p>本机关全年主动公开政府信息一百二十条。</p></body></html>"
    ).encode("gbk")
    document = load(page, name="r.html")
    assert "本机关全年主动公开政府信息一百二十条" in document.text
    assert not [w for w in document.warnings if w.code == "ingest.charset_mismatch"]


def test_a_library_failure_is_refused_in_user_terms_with_the_cause_as_detail(monkeypatch):
    from nlp.ingest import html

    def explode(data, source):
        raise ValueError("negative seek value -11218")

    monkeypatch.setattr(html, "read_html", explode)
    with pytest.raises(ReadError, match=r"cannot read as a web page \(HTML\)") as error:
        load(b"<html><body><p>x</p></body></html>", name="r.html")
    assert error.value.detail == "ValueError: negative seek value -11218"
    assert "seek" not in error.value.reason
