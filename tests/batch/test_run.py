"""A batch over good and bad files, on a one-worker LocalCluster started by `run` itself."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from batch_corpus import BAD_FILES, good_files

import nlp
from nlp.batch import load, run_batch
from nlp.batch.inputs import content_id


@pytest.fixture(scope="module")
def batch(mixed_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    summary = run_batch([mixed_corpus / "good", mixed_corpus / "bad"], out, workers=1)
    return summary, load(out)


def test_every_bad_file_is_an_error_row_and_the_batch_went_on(batch, mixed_corpus):
    summary, tables = batch
    errors = tables["errors"].set_index("file")
    assert sorted(Path(f).name for f in errors.index) == sorted(BAD_FILES)
    assert set(errors["stage"]) == {"read"}
    assert set(errors["error"]) == {"ReadError"}
    assert errors["reason"].str.len().gt(0).all()
    assert summary.reports == len(good_files(mixed_corpus))
    assert len(summary.errors) == len(BAD_FILES)


def test_every_good_file_has_its_cells_intact(batch, mixed_corpus):
    _, tables = batch
    cells = tables["cells"]
    for path in good_files(mixed_corpus):
        report = nlp.read(path)
        mine = cells[cells["report_id"] == content_id(path)]
        expected = report.cells.reset_index(drop=True)
        got = mine[["table", "row", "col", "value", "raw"]].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_reports_rows_describe_each_report(batch, mixed_corpus):
    _, tables = batch
    reports = tables["reports"].set_index("report_id")
    for path in good_files(mixed_corpus):
        report = nlp.read(path)
        row = reports.loc[content_id(path)]
        assert (row["agency"], row["year"], row["format"]) == (
            report.agency,
            report.year,
            report.format,
        )
        assert row["level"] in {"city", "county"}
        assert row["n_sentences"] == len(tables["sentences"].query("report_id == @row.name"))


def test_findings_equal_those_of_check_across_the_same_files(batch, mixed_corpus):
    _, tables = batch
    expected = nlp.check(good_files(mixed_corpus))
    assert not expected.empty
    assert sorted(tables["findings"]["fingerprint"]) == sorted(expected["fingerprint"])
    assert "cross_year" in set(tables["findings"]["kind"])


def test_sentences_carry_themes_and_claims_their_links(batch):
    _, tables = batch
    sentences = tables["sentences"]
    assert sentences["theme"].notna().all() and sentences["function"].notna().all()
    assert tables["claims"]["metric"].notna().any()


def test_a_second_run_skips_what_is_done_and_adds_what_is_new(batch, mixed_corpus, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(batch[0].out, out)
    extra = tmp_path / "new" / "copy.txt"
    extra.parent.mkdir()
    source = next(p for p in good_files(mixed_corpus) if p.suffix == ".txt")
    extra.write_bytes(source.read_bytes() + b"\n")  # the same report, other bytes
    again = run_batch([mixed_corpus / "good", mixed_corpus / "bad", extra], out, workers=1)
    assert again.skipped == len(good_files(mixed_corpus)) + len(BAD_FILES)
    assert again.reports == 1
    tables = load(out)
    assert tables["reports"]["report_id"].is_unique
    assert len(tables["reports"]) == len(batch[1]["reports"]) + 1
    assert len(tables["errors"]) == len(BAD_FILES)


def test_an_interrupted_chunk_is_redone_whole(batch, mixed_corpus, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(batch[0].out, out)
    sealed = sorted((out / "reports").glob("part-*.parquet"))[0]
    lost = set(pd.read_parquet(sealed)["report_id"])
    sealed.unlink()  # the run stopped after writing the chunk's other parts
    again = run_batch([mixed_corpus / "good", mixed_corpus / "bad"], out, workers=1)
    assert again.reports == len(lost - set(batch[1]["errors"]["report_id"].dropna()))
    tables = load(out)
    for table in ("reports", "cells", "sentences", "claims"):
        assert len(tables[table]) == len(batch[1][table]), table
