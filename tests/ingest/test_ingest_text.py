"""Plain text and markdown: encodings, cleaning, bytes input, real text files.

The layout of the lines (paragraphs, headings, tables, furniture) is tested in
test_ingest_lines.py; here the texts are one line per block, so the document's text is the
decoded text without its trailing line break."""

from __future__ import annotations

import codecs

import pytest
from conftest import real_file

from nlp.ingest import load
from nlp.ingest.model import HEADING, PARAGRAPH, TABLE
from nlp.report import ReadError

REPORT = "一、总体情况\n本年度共收到政府信息公开申请１２件。\n规章\t0\t0\t3\n（一）主动公开情况"
TRADITIONAL = "\n".join(
    ["一、總體情況", "本機關本年度共受理政府資訊公開申請十二件，均已依法答覆。"] * 5
)
THRICE = "\n".join([REPORT] * 3)


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def codes(document) -> list[str]:
    return [w.code for w in document.warnings]


def test_utf8_text_is_returned_as_is_with_full_width_characters(tmp_path):
    document = load(write(tmp_path, "r.txt", (REPORT + "\n").encode()))
    assert document.kind == "txt"
    assert document.text == REPORT
    assert document.warnings == []


def test_source_is_the_path_as_given(tmp_path):
    path = write(tmp_path, "r.txt", REPORT.encode())
    assert load(str(path)).source == str(path)
    assert load(path).source == str(path)


def test_crlf_bom_nul_and_control_characters_are_cleaned(tmp_path):
    raw = (
        codecs.BOM_UTF8 + "一、总体情况\r\n规章\t0\x00\t1\x07\r\n末行\r".encode() + REPORT.encode()
    )
    document = load(write(tmp_path, "r.txt", raw))
    assert document.text == "一、总体情况\n规章\t0\t1\n末行\n" + REPORT


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(tmp_path, encoding):
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    document = load(write(tmp_path, "r.txt", bom + REPORT.encode(encoding)))
    assert document.text == REPORT
    assert document.warnings == []


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_detected_by_its_nul_bytes(tmp_path, encoding):
    document = load(write(tmp_path, "r.txt", THRICE.encode(encoding)))
    assert document.text == THRICE
    assert codes(document) == ["ingest.encoding_guess"]
    assert encoding in document.warnings[0].message


@pytest.mark.parametrize("encoding", ["gbk", "gb2312", "gb18030"])
def test_gb_encodings_decode_with_a_guess_warning(tmp_path, encoding):
    document = load(write(tmp_path, "r.txt", REPORT.replace("１２", "12").encode(encoding)))
    assert document.text == REPORT.replace("１２", "12")
    assert codes(document) == ["ingest.encoding_guess"]
    assert "gb18030" in document.warnings[0].message


def test_gb18030_only_characters_survive(tmp_path):
    text = "䶮与𠀀是扩展区汉字。" + REPORT
    document = load(write(tmp_path, "r.txt", text.encode("gb18030")))
    assert document.text == text


def test_big5_is_detected(tmp_path):
    document = load(write(tmp_path, "r.txt", TRADITIONAL.encode("big5")))
    assert document.text == TRADITIONAL
    assert codes(document) == ["ingest.encoding_guess"]
    assert "big5" in document.warnings[0].message


def test_utf8_with_a_broken_byte_stays_utf8_and_counts_the_replacement(tmp_path):
    raw = (THRICE + "\n").encode() + b"\xe4\xb8"  # a character cut in half at the end
    document = load(write(tmp_path, "r.txt", raw))
    assert document.text == THRICE + "\n\ufffd"
    assert codes(document) == ["ingest.decode_errors"]
    assert document.warnings[0].message.startswith("1 characters")


def test_markdown_headings_and_pipe_tables_become_blocks(tmp_path):
    markdown = "# 年度报告\n\n| 信息内容 | 本年制发件数 |\n|---|---|\n| 规章 | 0 |\n"
    document = load(write(tmp_path, "r.md", markdown.encode()))
    assert document.kind == "md"
    assert document.text == "年度报告\n信息内容\t本年制发件数\n规章\t0"
    assert [b.kind for b in document.blocks] == [HEADING, TABLE]
    assert document.blocks[1].grid.texts() == [["信息内容", "本年制发件数"], ["规章", "0"]]


def test_a_report_pasted_as_one_line_is_just_text(tmp_path):
    one_line = REPORT.replace("\n", " ") * 50
    assert load(write(tmp_path, "r.txt", one_line.encode())).text == one_line


def test_bytes_with_a_name_give_source_and_kind():
    document = load(b"| a | b |\n", name="report.md")
    assert (document.source, document.kind) == ("report.md", "md")


def test_bytes_without_a_name_are_text():
    document = load(REPORT.encode())
    assert (document.source, document.kind, document.text) == ("<bytes>", "txt", REPORT)


def test_file_without_extension_is_text(tmp_path):
    assert load(write(tmp_path, "report", REPORT.encode())).kind == "txt"


def test_real_text_report_keeps_its_lines_and_tab_rows_verbatim():
    path = real_file("seeds/002_6791af29304a63d7.txt")
    document = load(path)
    assert document.kind == "txt"
    source = path.read_text(encoding="utf-8").replace("\r\n", "\n").split("\n")
    lines = document.text.split("\n")
    tab_rows = [line for line in source if "\t" in line and line.strip()]
    assert tab_rows == [line for line in lines if "\t" in line]
    text_lines = [line.strip() for line in source if line.strip() and "\t" not in line]
    assert text_lines == [line for line in lines if "\t" not in line]
    assert any(b.kind == TABLE and b.grid is None for b in document.blocks)


def test_real_markdown_report_from_a_pdf_gets_its_paragraphs_back():
    path = real_file("kirogovcompare/kewei-2024-source.md")
    document = load(path)
    assert document.kind == "md"
    assert "|" in document.text  # its broken pipe tables stay text
    assert document.warnings == []
    widest_line = max(len(line) for line in path.read_text(encoding="utf-8").split("\n"))
    paragraphs = [document.block_text(b) for b in document.blocks if b.kind == PARAGRAPH]
    assert sum(len(p) > 2 * widest_line for p in paragraphs) >= 5  # wrapped lines joined


def test_real_json_export_is_an_unsupported_format():
    with pytest.raises(ReadError, match="unsupported format: .json"):
        load(real_file("kirogovcompare/temp-jinhu-2023.json"))
