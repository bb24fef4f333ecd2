"""Jupyter: short reprs and HTML, KeyErrors naming the valid keys, paths accepted, ReadError
kinds, public names in dir(nlp)."""

from __future__ import annotations

import pytest

import nlp
from nlp.report import Report
from tests.test_cli import SMALL_REPORT


@pytest.fixture
def path(tmp_path):
    file = tmp_path / "report.txt"
    file.write_text(SMALL_REPORT, encoding="utf-8")
    return file


def test_report_repr_is_short_and_html_shows_tables(path):
    report = nlp.read(path)
    text = repr(report)
    assert len(text) < 300 and "某市某局" in text and "2022" in text and "confidence" in text
    html = report._repr_html_()
    assert "<table" in html and "本年新收政府信息公开申请数量" in html and "警告" in html


def test_analysis_and_finding_reprs(path):
    analysis = nlp.analyse(path)  # a path, read first
    assert repr(analysis).startswith("<Analysis 某市某局 2022") and len(repr(analysis)) < 300
    assert "<div>" in analysis._repr_html_()
    if analysis.findings:
        finding = analysis.findings[0]
        assert repr(finding).startswith("<Finding ") and len(repr(finding)) < 300
        assert finding.fingerprint[:12] in finding._repr_html_()


def test_wrong_keys_raise_key_error_with_the_valid_names(path):
    report = nlp.read(path)
    with pytest.raises(KeyError, match="requests"):
        report.table("request")
    with pytest.raises(KeyError, match="total"):
        report.value("requests", "new", "totl")
    with pytest.raises(KeyError, match="carried_over"):
        report.value("requests", "neww", "total")
    assert report.value("requests", "new", "total") == 0
    assert report.value("requests", "granted", "total") is None  # a real key, not in this report
    assert Report(source="x").table("review").empty


def test_themes_and_check_take_paths(path):
    assert len(nlp.themes(path)) > 0
    assert set(nlp.themes(str(path))["source"]) == {str(path)}


def test_read_error_kinds(tmp_path):
    with pytest.raises(FileNotFoundError) as missing:
        nlp.read(tmp_path / "nowhere.pdf")
    assert isinstance(missing.value, nlp.ReadError) and "nowhere.pdf" in str(missing.value)
    with pytest.raises(IsADirectoryError):
        nlp.read(tmp_path)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(ValueError) as unreadable:
        nlp.read(empty)
    assert isinstance(unreadable.value, nlp.ReadError)
    assert not isinstance(unreadable.value, OSError)


def test_dir_shows_the_lazy_public_names():
    names = dir(nlp)
    assert {"read", "check", "themes", "analyse", "Report", "ReadError"} <= set(names)
    assert "import_module" not in names
