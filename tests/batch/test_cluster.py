"""`xxgk batch --scheduler`: a cluster the user started, reached by its address, as a remote one."""

from __future__ import annotations

import logging

import pytest
from batch_corpus import BAD_FILES, good_files
from typer.testing import CliRunner

from nlp.batch import load
from nlp.cli import app


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.ERROR,
    ) as running:
        yield running


def test_batch_runs_on_a_cluster_given_by_its_address(cluster, mixed_corpus, tmp_path):
    out = tmp_path / "out"
    inputs = [str(mixed_corpus / "good"), str(mixed_corpus / "bad" / "*")]
    result = CliRunner().invoke(
        app, ["batch", *inputs, "--out", str(out), "--scheduler", cluster.scheduler_address]
    )
    assert result.exit_code == 1, result.output  # the bad files are errors
    tables = load(out)
    assert len(tables["reports"]) == len(good_files(mixed_corpus))
    assert len(tables["errors"]) == len(BAD_FILES)
    assert tables["cells"]["report_id"].nunique() == len(good_files(mixed_corpus))
    assert "reports analysed" in result.output


def test_a_clean_corpus_exits_zero(cluster, mixed_corpus, tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(good_files(mixed_corpus)[0]),
            "--out",
            str(tmp_path / "out"),
            "--scheduler",
            cluster.scheduler_address,
        ],
    )
    assert result.exit_code == 0, result.output


def test_workers_and_scheduler_exclude_each_other(tmp_path):
    result = CliRunner().invoke(
        app, ["batch", "x", "--out", str(tmp_path), "--workers", "2", "--scheduler", "tcp://h:1"]
    )
    assert result.exit_code == 2
