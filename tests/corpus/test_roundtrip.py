"""nlp.read recovers every generated table cell exactly, in every format (skips until it exists)."""

from __future__ import annotations

import importlib

import pandas as pd
import pytest

from nlp.corpus import write_corpus

FORMATS = ("txt", "md", "html", "docx", "pdf")
KEY = ["table", "row", "col"]


@pytest.fixture(scope="module")
def read():
    function = getattr(importlib.import_module("nlp"), "read", None)
    if function is None:
        pytest.skip("nlp.read is not available yet")
    return function


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("roundtrip"), 300, seed=17, formats=FORMATS)


def _mismatches(read, corpus, row) -> int:
    truth = pd.read_parquet(corpus / "truth" / "cells.parquet")
    expected = truth[truth["report_id"] == row.report_id][[*KEY, "value"]]
    parsed = read(corpus / row.file).cells[[*KEY, "value"]]
    merged = expected.merge(parsed, on=KEY, how="left", suffixes=("", "_parsed"))
    return int((merged["value"] != merged["value_parsed"]).sum())


def test_read_recovers_every_cell(read, corpus):
    reports = pd.read_parquet(corpus / "truth" / "reports.parquet")
    failures = {}
    for row in reports[~reports["oneline"]].itertuples():
        wrong = _mismatches(read, corpus, row)
        if wrong:
            failures[row.file] = wrong
    assert set(reports["input_format"]) == set(FORMATS)
    assert not failures, (
        f"{len(failures)} reports with wrong or missing cells: {dict(list(failures.items())[:10])}"
    )


def test_one_line_dumps_are_reported_separately(read, corpus, capsys):
    reports = pd.read_parquet(corpus / "truth" / "reports.parquet")
    dumps = reports[reports["oneline"]]
    exact = sum(_mismatches(read, corpus, row) == 0 for row in dumps.itertuples())
    with capsys.disabled():
        print(f"\none-line dumps recovered exactly: {exact}/{len(dumps)}")
    assert len(dumps) > 0
