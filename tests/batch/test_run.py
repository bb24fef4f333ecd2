"""A batch over good and bad files, on a one-worker LocalCluster started by `run` itself."""

from __future__ import annotations

import inspect
import shutil
from pathlib import Path

import pandas as pd
import pytest
from batch_corpus import BAD_FILES, good_files

import nlp
import nlp.compare
from nlp.batch import load, run_batch
from nlp.batch.inputs import content_id
from nlp.checks.findings import FRAME_COLUMNS
from nlp.corpus import write_corpus


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
        pd.testing.assert_frame_equal(got, expected)  # the same dtypes in memory and read back


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


def test_findings_read_back_equal_the_check_frame_in_dtypes_and_values(batch, mixed_corpus):
    _, tables = batch
    expected = nlp.check(good_files(mixed_corpus))
    got = tables["findings"][list(FRAME_COLUMNS)]
    assert len(expected) and set(expected["kind"]) >= {"table", "cross_year"}
    pd.testing.assert_frame_equal(_by_fingerprint(got), _by_fingerprint(expected))


def test_sentences_and_claims_read_back_equal_the_frames_built_in_memory(batch, mixed_corpus):
    _, tables = batch
    paths = [p for p in good_files(mixed_corpus) if p.suffix == ".txt"][:3]
    for path in paths:
        report = nlp.read(path)
        mine = {name: t[t["report_id"] == content_id(path)] for name, t in tables.items()}
        themes = nlp.themes(report)
        got = mine["sentences"][list(themes.columns)].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, themes, check_exact=False)
        claims = nlp.claims_frame(report)
        got = mine["claims"][list(claims.columns)].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, claims)


def _by_fingerprint(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["fingerprint", "source"]).reset_index(drop=True)


# The columns a compare view holds as Python objects: compare.findings parses a finding's JSON
# for the HTML report (docs/batch.md).
PARSED = {"findings": {"claim", "cells", "highlight"}}


def test_compare_views_have_the_same_dtypes_over_no_report_as_over_many(batch, tmp_path):
    _, tables = batch
    (tmp_path / "empty").mkdir()
    nothing = load(tmp_path / "empty")
    views = [getattr(nlp.compare, name) for name in nlp.compare.__all__]
    views = [v for v in views if _takes_only_the_batch(v)]
    assert len(views) >= 10
    for view in views:
        many, none = view(tables), view(nothing)
        if isinstance(many, pd.DataFrame) and len(none.columns):  # not a pivot of what is there
            assert dict(none.dtypes) == dict(many.dtypes), view.__name__
            objects = {c for c, kind in many.dtypes.items() if pd.api.types.is_object_dtype(kind)}
            assert objects <= PARSED.get(view.__name__, set()), view.__name__


def _takes_only_the_batch(function) -> bool:
    first, *others = inspect.signature(function).parameters.values()
    return first.name == "batch" and all(p.default is not inspect.Parameter.empty for p in others)


def test_change_claims_are_checked_against_last_year_in_the_batch_as_in_check(tmp_path):
    """A batch keeps no report text: the change claims come from its sentences table, and the
    reports they link into with all their cells."""
    corpus = write_corpus(
        tmp_path / "in", 8, seed=1, formats=("txt",), inject=0.9, extra_kinds=("change",)
    )
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    expected = nlp.check(files)
    changes = expected[expected["rule"] == "claim.change"]
    assert len(changes) >= 1
    run_batch([corpus], tmp_path / "out", workers=1)
    findings = load(tmp_path / "out")["findings"]
    found = findings[findings["rule"] == "claim.change"]
    assert sorted(found["fingerprint"]) == sorted(changes["fingerprint"])
    assert sorted(findings["fingerprint"]) == sorted(expected["fingerprint"])
