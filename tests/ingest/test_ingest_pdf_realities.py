"""PDFs as downloads come (issue 18): copy-protected, password-protected, cut short."""

from __future__ import annotations

import io

import pytest
from ingest_samples import TABLE_ROWS, _draw_page
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen import canvas

from nlp.ingest import load
from nlp.ingest.pdf import TRUNCATED
from nlp.report import ReadError

# A different word on each page (page numbers alone would make the lines running furniture).
TOPICS = [
    "财政",
    "预算",
    "教育",
    "卫生",
    "交通",
    "环保",
    "农业",
    "水利",
    "住房",
    "社保",
    "民政",
    "文旅",
]
PAGES = len(TOPICS)


def _pdf(encrypt: StandardEncryption | None = None, pages: int = PAGES) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, encrypt=encrypt)
    for number in range(1, pages + 1):
        _draw_page(pdf, [_line(number)], ruled=True)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _line(page: int) -> str:
    return f"本机关全年主动公开{TOPICS[page - 1]}信息。"


def test_a_copy_protected_pdf_is_read_with_the_empty_user_password():
    protected = StandardEncryption("", ownerPassword="owner", canCopy=0, canModify=0)
    document = load(_pdf(protected, pages=2), name="r.pdf")
    assert _line(2) in document.text
    assert "(cid:" not in document.text
    assert TABLE_ROWS[0][0] in document.text
    assert not [w for w in document.warnings if w.code == "ingest.pdf_unmapped_glyphs"]


def test_a_copy_protected_pdf_reads_as_the_same_pdf_unprotected():
    protected = StandardEncryption("", ownerPassword="owner", canCopy=0, canPrint=0)
    assert load(_pdf(protected), name="r.pdf").text == load(_pdf(), name="r.pdf").text


def test_a_user_password_pdf_is_refused_in_plain_words():
    locked = StandardEncryption("secret", ownerPassword="owner")
    with pytest.raises(ReadError, match=r"the PDF is encrypted \(password protected\)") as error:
        load(_pdf(locked, pages=1), name="r.pdf")
    assert "Incorrect password" in error.value.detail  # the PDF engine's own words
    assert "Incorrect password" not in error.value.reason


def test_a_pdf_that_lost_its_last_2_kb_is_read_as_far_as_its_pages_are_intact():
    data = _pdf()
    whole = load(data, name="r.pdf")
    document = load(data[:-2048], name="r.pdf")
    kept = [n for n in range(1, PAGES + 1) if _line(n) in document.text]
    assert kept[0] == 1 and kept == list(range(1, len(kept) + 1))  # the pages before the cut
    assert 1 < len(kept) < PAGES
    assert whole.text.startswith(document.text.split(_line(kept[-1]))[0])
    truncated = [w for w in document.warnings if w.code == TRUNCATED]
    assert truncated and "cut short" in truncated[0].message


def test_a_whole_pdf_has_no_truncation_warning():
    assert not [w for w in load(_pdf(pages=2), name="r.pdf").warnings if w.code == TRUNCATED]


def test_a_pdf_with_nothing_whole_left_is_refused_as_damaged():
    data = _pdf(pages=1)
    with pytest.raises(ReadError, match=r"cannot be opened \(truncated or corrupt file\)") as error:
        load(data[:400], name="r.pdf")
    assert error.value.detail
