"""Per-file limits (issue 18): a stuck or exploding file is stopped, becomes an `errors` row
of stage timeout/memory, and the batch goes on to its summary."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from nlp.batch import load, run_batch
from nlp.batch.inputs import content_id
from nlp.corpus import write_corpus
from nlp.fuzz import hostile
from nlp.ingest.bounded import BoundedWorker, LimitExceeded, Limits
from nlp.report import ReadError

HERE = Path(__file__).parent


@pytest.fixture
def worker(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(HERE))  # the child imports stuck_work from here
    with BoundedWorker(Limits(timeout=2.0, max_memory=400 * 2**20)) as bounded:
        yield bounded


@pytest.mark.parametrize(
    ("target", "stage"),
    [
        ("stuck_work:sleep_forever", "timeout"),
        ("stuck_work:backtrack_forever", "timeout"),
        ("stuck_work:grow_forever", "memory"),
        ("stuck_work:end_abruptly", "crash"),
    ],
)
def test_an_overrun_is_stopped_and_the_worker_serves_the_next_call(worker, target, stage):
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as stopped:
        worker.call(target)
    assert stopped.value.stage == stage
    assert str(stopped.value).startswith("stopped: ")
    assert time.monotonic() - started < 30  # stopped, not waited out
    assert worker.call("stuck_work:echo", {"again": 1}) == {"again": 1}


def test_the_function_s_own_exception_travels_back_whole(worker):
    error = ReadError("r.txt", "empty file", "0 bytes")
    with pytest.raises(ReadError) as raised:
        worker.call("stuck_work:raise_it", error)
    assert (raised.value.source, raised.value.reason, raised.value.detail) == (
        "r.txt",
        "empty file",
        "0 bytes",
    )


@pytest.fixture(scope="module")
def hostile_batch(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    good = write_corpus(root / "good", 200, seed=18, formats=("txt", "md", "html"))
    text = sorted(good.glob("*.txt"))[0].read_text(encoding="utf-8")
    bad = root / "bad"
    bad.mkdir()
    files = {
        "spaces.txt": hostile.spaces_line(text, 10**6),
        "bomb.docx": hostile.docx_bomb(100 * 2**20),
        "pages.pdf": hostile.many_page_pdf(text, 500),
        "nested.html": hostile.nested_html(text, 20_000),
    }
    for name, data in files.items():
        (bad / name).write_bytes(data)
    limits = Limits(timeout=60.0, max_memory=1024 * 2**20)
    started = time.monotonic()
    summary = run_batch([good, bad], root / "out", workers=1, limits=limits)
    return good, bad, summary, load(root / "out"), time.monotonic() - started


def test_a_batch_with_hostile_files_ends_with_every_good_report_intact(hostile_batch):
    good, bad, summary, tables, seconds = hostile_batch
    good_ids = {content_id(p) for p in good.iterdir() if p.is_file()}
    assert good_ids <= set(tables["reports"]["report_id"])
    errors = {Path(row["file"]).name: row for row in summary.errors}
    assert errors["bomb.docx"]["stage"] == "read"
    assert "compression bomb" in errors["bomb.docx"]["reason"]
    # The others are read, within the budget, with what was cut said in a warning.
    read = tables["reports"].set_index("source")
    pages = read.loc[str(bad / "pages.pdf")]
    assert "ingest.pages_cut" in pages["parse_warnings"]
    assert "ingest.html_too_deep" in read.loc[str(bad / "nested.html")]["parse_warnings"]
    assert str(bad / "spaces.txt") in read.index
    assert summary.reports + len(summary.errors) == len(good_ids) + 4
    assert seconds < 4 * 60


def test_files_over_the_limits_are_error_rows_of_their_stage(tmp_path):
    good = write_corpus(tmp_path / "good", 2, seed=5, formats=("txt",))
    tiny = Limits(timeout=60.0, max_memory=2**20)  # 1 MB: no process fits, every file stops
    summary = run_batch([good], tmp_path / "out", workers=1, limits=tiny)
    assert summary.reports == 0
    assert [row["stage"] for row in summary.errors] == ["memory", "memory"]
    assert all("max_memory" in row["reason"] for row in summary.errors)
    stored = load(tmp_path / "out")["errors"]
    assert sorted(stored["stage"]) == ["memory", "memory"]


def test_a_cpu_budget_stops_a_busy_child_however_loaded_the_machine(monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(HERE))
    with BoundedWorker(Limits(timeout=120.0, max_memory=None, cpu_time=1.0)) as bounded:
        with pytest.raises(LimitExceeded, match=r"more than 1 s of CPU \(cpu_time\)") as stopped:
            bounded.call("stuck_work:backtrack_forever")
        assert stopped.value.stage == "timeout"
        # Sleeping takes no CPU: only the wall-clock limit would end it.
        assert bounded.call("stuck_work:echo", "still serving") == "still serving"


# --- the same limits on nlp.read and the command line ---------------------------------------


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    folder = write_corpus(tmp_path_factory.mktemp("one"), 1, seed=3, formats=("txt",))
    return sorted(folder.glob("*.txt"))[0]


def test_a_bounded_read_is_the_read_of_this_process(report_file):
    import nlp

    bounded = nlp.read(report_file, timeout=120.0, max_memory=1024 * 2**20)
    assert bounded.to_dict() == nlp.read(report_file).to_dict()


def test_a_read_over_its_limit_is_a_read_error_with_its_stage(report_file):
    import nlp
    from nlp.ingest.bounded import ReadStopped

    with pytest.raises(ReadError) as stopped:
        nlp.read(report_file.read_bytes(), name="r.txt", max_memory=2**20)  # 1 MB: nothing fits
    assert isinstance(stopped.value, ReadStopped)
    assert stopped.value.stage == "memory"
    assert str(stopped.value).startswith("r.txt: stopped: the file needed more than 1 MB")


@pytest.mark.parametrize("command", ["parse", "check", "themes"])
def test_the_cli_takes_a_time_budget_per_file(report_file, command):
    from typer.testing import CliRunner

    from nlp.cli import app

    result = CliRunner().invoke(app, [command, str(report_file), "--timeout", "0.001", "--json"])
    message = " ".join(result.output.split())  # as wrapped to the terminal's width
    assert result.exit_code == 2
    assert "stopped: the file took too long (timeout) [stage timeout]" in message


def test_the_cli_reads_within_a_generous_budget(report_file):
    from typer.testing import CliRunner

    from nlp.cli import app

    result = CliRunner().invoke(
        app, ["parse", str(report_file), "--timeout", "120", "--max-memory", "1024", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert '"agency"' in result.output


def test_the_batch_command_s_limits_default_to_the_library_s():
    from nlp.cli import _batch_limits
    from nlp.ingest.bounded import DEFAULT_LIMITS

    assert _batch_limits(None, None) == DEFAULT_LIMITS
    assert _batch_limits(5.0, 100) == Limits(timeout=5.0, max_memory=100 * 2**20)
