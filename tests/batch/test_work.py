"""One chunk's work, in-process: a report whose analysis raises is an error row, the rest go on."""

from __future__ import annotations

import pytest
from batch_corpus import good_files

import nlp.batch.work as work
from nlp.batch import load
from nlp.batch.inputs import content_id


def test_a_report_whose_analysis_raises_is_recorded_with_its_stage(
    mixed_corpus, tmp_path, monkeypatch
):
    files = good_files(mixed_corpus)[:3]
    broken = files[1]
    real_analyse = work.analyse

    def analyse(report, *args):
        if report.source == str(broken):
            raise ZeroDivisionError("a bug met in the rules")
        return real_analyse(report, *args)

    monkeypatch.setattr(work, "analyse", analyse)
    # limits=None: the monkeypatched analysis lives in this process, not in a bounded child
    result = work.process_chunk(
        [(str(p), content_id(p)) for p in files], str(tmp_path), limits=None
    )
    assert result.reports == 2
    assert result.errors == [
        {
            "file": str(broken),
            "report_id": content_id(broken),
            "stage": "analyse",
            "error": "ZeroDivisionError",
            "reason": "a bug met in the rules",
        }
    ]
    tables = load(tmp_path)
    assert content_id(broken) not in set(tables["cells"]["report_id"])
    assert set(tables["reports"]["report_id"]) == {content_id(p) for p in files} - {
        content_id(broken)
    }


@pytest.mark.parametrize("ids", [["b", "a"], ["a", "b"]])
def test_a_chunk_part_is_named_by_its_reports(ids):
    assert work.part_name(ids) == work.part_name(["a", "b"])
    assert work.part_name(ids) != work.part_name(["a"])
