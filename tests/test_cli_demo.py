"""`xxgk demo` (the main job on the bundled sample) and `xxgk compare` over its output."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from nlp.batch import load
from nlp.cli import SAMPLE_CORPUS, app, report_files


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "out"
    result = CliRunner().invoke(app, ["demo", "--out", str(out), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_demo_analyses_every_sample_report(demo_out):
    out, output = demo_out
    n = len(report_files(SAMPLE_CORPUS))
    assert f"{n} reports analysed, 0 unreadable" in output.replace("\n", " ")
    tables = load(out)
    assert len(tables["reports"]) == n
    assert tables["sentences"]["theme"].notna().all()
    assert (tables["findings"]["severity"] == "error").sum() > 0  # the sample has injected errors
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "http://" not in html.split("</head>")[0]


def test_compare_writes_the_report_of_a_batch(demo_out, tmp_path):
    out, _ = demo_out
    target = tmp_path / "compare.html"
    result = CliRunner().invoke(app, ["compare", str(out), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 10_000
    assert "<script src=" not in target.read_text(encoding="utf-8")


def test_compare_refuses_a_folder_that_is_not_a_batch_output(tmp_path):
    result = CliRunner().invoke(app, ["compare", str(tmp_path), "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 2
