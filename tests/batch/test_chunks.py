"""A chunk's reports kept in the bounded child until the chunk's write, and what a child that
ends takes with it: nothing, the reports it kept are analysed again."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pandas as pd
import pytest
from batch_corpus import BAD_FILES, good_files

from nlp.batch import chunks, cross_year, load, work
from nlp.batch.inputs import content_id
from nlp.ingest.bounded import DEFAULT_LIMITS, LimitExceeded


def _pairs(files) -> list[tuple[str, str]]:
    return [(str(p), content_id(p)) for p in files]


def _chunk_tables(pairs, out, limits, end_child_after: int | None = None) -> dict:
    chunk = chunks.open_chunk(work.part_name([rid for _, rid in pairs]), limits)
    errors = []
    for position, (path, report_id) in enumerate(pairs):
        if position == end_child_after:
            _end(chunk.child.pid)
        outcome = chunk.add(path, report_id)
        if outcome is not None:
            errors.append(outcome)
    reports, errors = chunk.write(str(out), errors)
    return {"reports": reports, "errors": errors, "tables": load(out)}


def _end(pid: int) -> None:
    """Kill the child and wait until it can be reaped (without reaping it): its process shows
    as a zombie while its other threads are still exiting, and only then is it ended for a
    parent's poll."""
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while not _reapable(pid) and time.monotonic() < deadline:
        time.sleep(0.01)


def _reapable(pid: int) -> bool:
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT | os.WNOHANG) is not None


@pytest.fixture(scope="module")
def chunk_files(mixed_corpus):
    bad = sorted((mixed_corpus / "bad").iterdir())[:2]
    return _pairs([*good_files(mixed_corpus)[:4], *bad])


@pytest.fixture(scope="module")
def in_process(chunk_files, tmp_path_factory):
    return _chunk_tables(chunk_files, tmp_path_factory.mktemp("local"), limits=None)


def test_a_chunk_kept_in_the_child_writes_what_this_process_writes(
    chunk_files, in_process, tmp_path
):
    bounded = _chunk_tables(chunk_files, tmp_path, DEFAULT_LIMITS)
    assert bounded["reports"] == in_process["reports"] == 4
    assert bounded["errors"] == in_process["errors"]
    assert {Path(row["file"]).name for row in bounded["errors"]} <= set(BAD_FILES)
    for table, frame in in_process["tables"].items():
        pd.testing.assert_frame_equal(bounded["tables"][table], frame, obj=table)


def test_a_child_that_ends_between_files_loses_none_of_the_reports_it_kept(
    chunk_files, in_process, tmp_path
):
    ended = _chunk_tables(chunk_files, tmp_path, DEFAULT_LIMITS, end_child_after=3)
    assert ended["reports"] == 4
    assert ended["errors"] == in_process["errors"]
    assert set(ended["tables"]["reports"]["report_id"]) == set(
        in_process["tables"]["reports"]["report_id"]
    )
    assert len(ended["tables"]["cells"]) == len(in_process["tables"]["cells"])


class _StoppingChild:
    """A child that is stopped at one file, forgetting what it kept, as a real one is."""

    def __init__(self, stop_at: str) -> None:
        self.stop_at = stop_at
        self.pid = 1
        self.held: list[str] = []

    def call(self, target: str, *args):
        if target == chunks.KEEP:
            _, path, _, _ = args
            if path == self.stop_at:
                self.pid, self.held = self.pid + 1, []
                raise LimitExceeded("timeout", "stopped: the file took too long (timeout)")
            self.held.append(path)
            return None
        _, _, errors, held = args
        return (len(self.held), errors) if held == len(self.held) else (None, errors)


def test_a_file_over_its_limits_is_an_error_and_the_files_before_it_are_analysed_again(
    tmp_path,
):
    chunk = chunks.ChildChunk("part-test", DEFAULT_LIMITS)
    chunk.child = _StoppingChild(stop_at="b.txt")
    outcomes = [chunk.add(name, name.upper()) for name in ("a.txt", "b.txt", "c.txt")]
    assert outcomes[0] is None and outcomes[2] is None
    assert outcomes[1]["stage"] == "timeout" and outcomes[1]["file"] == "b.txt"
    assert chunk.child.held == ["a.txt", "c.txt"]  # a.txt again, in the new child
    written, errors = chunk.write(str(tmp_path), [outcomes[1]])
    assert written == 2
    assert [row["file"] for row in errors] == ["b.txt"]


def test_cross_year_groups_cut_small_give_the_rows_of_one_group(tmp_path):
    from nlp.batch import run_batch
    from nlp.corpus import write_corpus

    corpus = write_corpus(
        tmp_path / "in", 8, seed=1, formats=("txt",), inject=0.9, extra_kinds=("change",)
    )
    out = tmp_path / "out"
    run_batch([corpus], out, workers=1)
    reports = cross_year.candidate_reports(out)
    ids = reports["report_id"].tolist()
    changes = cross_year.change_sentences(out, reports)
    arrow = cross_year.rule_cells(out, ids, ids)
    whole = cross_year.check_group(reports, cross_year.cells_of(arrow, ids), changes)
    assert whole, "the corpus should give cross-year findings"
    pieces = []
    for group in cross_year.agency_groups(reports, per_group=1):
        group_ids = group["report_id"].tolist()
        group_changes = changes[changes["report_id"].isin(group_ids)]
        group_cells = cross_year.cells_of(arrow, group_ids)
        pieces += cross_year.check_group_bounded(group, group_cells, group_changes, DEFAULT_LIMITS)
    assert len(list(cross_year.agency_groups(reports, per_group=1))) > 1
    assert pieces == whole
