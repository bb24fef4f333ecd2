"""write_corpus: files, truth tables, and byte-identical output for a seed."""

from __future__ import annotations

import pandas as pd
import pytest

from nlp.corpus import write_corpus
from nlp.data import SAMPLE_CORPUS

TRUTH = ("reports", "cells", "sentences", "claims", "errors")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(
        tmp_path_factory.mktemp("a"),
        15,
        seed=8,
        formats=("txt", "md", "html", "docx", "pdf"),
        inject=0.5,
    )


def test_every_report_has_a_file_and_truth_rows(corpus):
    reports = pd.read_parquet(corpus / "truth" / "reports.parquet")
    assert len(reports) == 15
    for row in reports.itertuples():
        assert (corpus / row.file).is_file()
        assert row.file.endswith("." + row.input_format)
    truth = {name: pd.read_parquet(corpus / "truth" / f"{name}.parquet") for name in TRUTH}
    for name, frame in truth.items():
        assert set(frame["report_id"]) <= set(reports["report_id"]), name
    assert set(truth["cells"]["report_id"]) == set(reports["report_id"])
    assert reports["n_errors"].sum() == len(truth["errors"]) > 0
    assert set(reports["input_format"]) == {"txt", "md", "html", "docx", "pdf"}


def test_truth_columns_are_documented_types(corpus):
    claims = pd.read_parquet(corpus / "truth" / "claims.parquet")
    assert {"metric", "value", "true_value", "qualifier", "negated", "planted"} <= set(
        claims.columns
    )
    errors = pd.read_parquet(corpus / "truth" / "errors.parquet")
    assert all(isinstance(list(cells), list) for cells in errors["cells"])


def test_same_seed_writes_identical_bytes(corpus, tmp_path):
    again = write_corpus(
        tmp_path, 15, seed=8, formats=("txt", "md", "html", "docx", "pdf"), inject=0.5
    )
    first = sorted(p.relative_to(corpus) for p in corpus.rglob("*") if p.is_file())
    assert first == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    for path in first:
        assert (corpus / path).read_bytes() == (again / path).read_bytes(), path


def test_committed_sample_is_what_the_generator_writes(tmp_path):
    sample = SAMPLE_CORPUS
    fresh = write_corpus(
        tmp_path, 24, seed=2026, formats=("txt", "md", "html", "docx", "pdf"), inject=0.2
    )
    committed = sorted(p.relative_to(sample) for p in sample.rglob("*") if p.is_file())
    assert committed == sorted(p.relative_to(fresh) for p in fresh.rglob("*") if p.is_file())
    for path in committed:
        assert (sample / path).read_bytes() == (fresh / path).read_bytes(), path


def test_no_reports_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        write_corpus(tmp_path, 0)
