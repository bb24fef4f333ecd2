"""Inputs that are not readable reports give a ReadError that says why."""

from __future__ import annotations

import io
import random
import time
import zipfile
from pathlib import Path

import pytest

import nlp.ingest
from nlp.ingest import MAX_BYTES, load
from nlp.report import ReadError


def write(tmp_path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def zip_bytes(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<xml/>")
    return buffer.getvalue()


def test_missing_file(tmp_path):
    path = tmp_path / "nope.txt"
    with pytest.raises(ReadError, match="file not found") as caught:
        load(path)
    assert caught.value.source == str(path)


def test_directory(tmp_path):
    with pytest.raises(ReadError, match="is a directory"):
        load(tmp_path)


def test_empty_file(tmp_path):
    with pytest.raises(ReadError, match=r"empty file \(0 bytes\)"):
        load(write(tmp_path, "r.txt", b""))


def test_whitespace_only_file(tmp_path):
    with pytest.raises(ReadError, match=r"empty file \(only whitespace\)"):
        load(write(tmp_path, "r.txt", b" \r\n\t\n  "))


def test_whitespace_only_utf16_text(tmp_path):
    with pytest.raises(ReadError, match="no text found"):
        load(write(tmp_path, "r.txt", "\ufeff \n\u3000\n".encode("utf-16")))


def test_random_binary_is_not_text(tmp_path):
    data = random.Random(7).randbytes(5000)
    with pytest.raises(ReadError, match="not readable text: .*unreadable"):
        load(write(tmp_path, "r.txt", data))


def test_high_byte_garbage_is_refused(tmp_path):
    rng = random.Random(3)
    data = bytes(rng.randrange(0x80, 0x100) for _ in range(3000))
    with pytest.raises(ReadError, match="not readable text"):
        load(write(tmp_path, "r.txt", data))


def test_latin1_text_is_not_a_chinese_encoding(tmp_path):
    data = "Café crème brûlée à la française; déjà vu. ".encode("latin-1") * 40
    with pytest.raises(ReadError, match=r"not readable text: \d+% of the decoded characters"):
        load(write(tmp_path, "r.txt", data))


def test_broken_png_is_a_read_error(tmp_path):
    # A PNG is a page image read by OCR (issue 19); one with only its signature is no image.
    data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    with pytest.raises(ReadError, match="image"):
        load(write(tmp_path, "scan.png", data))


def test_legacy_word_file_is_named(tmp_path):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    with pytest.raises(ReadError, match=r"legacy Office file .*save it as .docx"):
        load(write(tmp_path, "report.doc", data))


def test_zip_that_is_not_docx(tmp_path):
    with pytest.raises(ReadError, match="a ZIP archive that is not a .docx"):
        load(write(tmp_path, "r.docx", zip_bytes("readme.txt")))


def test_xlsx_is_named(tmp_path):
    with pytest.raises(ReadError, match=r"Excel workbook \(.xlsx\)"):
        load(write(tmp_path, "r.xlsx", zip_bytes("xl/workbook.xml")))


def test_corrupt_zip(tmp_path):
    with pytest.raises(ReadError, match="corrupt ZIP/DOCX"):
        load(write(tmp_path, "r.docx", b"PK\x03\x04" + b"\x01" * 200))


def test_unknown_extension_with_text_content(tmp_path):
    with pytest.raises(ReadError, match=r"unsupported format: \.json files"):
        load(write(tmp_path, "r.json", b'{"a": 1}'))


def test_pdf_extension_without_pdf_signature(tmp_path):
    with pytest.raises(ReadError, match="corrupt PDF file: the pdf signature is missing"):
        load(write(tmp_path, "r.pdf", "年度报告".encode()))


def test_large_file_is_refused_by_its_size_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 2**20)  # sparse: instant to create

    def no_reading(self):
        raise AssertionError("the content must not be read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    started = time.perf_counter()
    with pytest.raises(ReadError, match=r"file too large: 50\.0 MB is over the limit of 20\.0 MB"):
        load(path)
    assert time.perf_counter() - started < 1
    assert MAX_BYTES == 20 * 2**20


def test_size_limit_is_a_parameter(tmp_path):
    path = write(tmp_path, "r.txt", "一、总体情况\n".encode() * 100)
    with pytest.raises(ReadError, match="over the limit of 0.0 MB"):
        load(path, max_bytes=1000)
    assert load(path, max_bytes=10_000).text.startswith("一、总体情况")


def test_bytes_input_is_limited_too():
    with pytest.raises(ReadError, match="file too large") as caught:
        load(b"x" * 2000, name="r.txt", max_bytes=1000)
    assert caught.value.source == "r.txt"


def test_library_failures_become_read_errors(monkeypatch):
    def broken(data, source):
        raise ValueError("parser exploded")

    monkeypatch.setattr(nlp.ingest.html, "read_html", broken)
    with pytest.raises(
        ReadError, match=r"cannot read as a web page \(HTML\): .* \[ValueError: parser exploded\]"
    ):
        load(b"<html><body>x</body></html>", name="r.html")
