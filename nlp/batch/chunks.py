"""Where a chunk's reports are kept between their analysis and the chunk's write.

Bounded (the default), each file is analysed in the worker's bounded child (`nlp.ingest.bounded`)
and the child keeps the result; at the end of the chunk the same child classifies the themes of
all of them and writes the chunk's parts. Only the file names go to the child and only counts and
error rows come back: a report's objects (text, cells, sentences, claims — some 40 KB pickled) no
longer travel between processes, which cost about a fifth of each report's own work, and the Dask
worker holds none of them (so it can be a thread of the driver: `runner.dask_client`).

A child that ends (stopped at a file's limits, or otherwise between two files) loses what it
kept: the next call starts a new child, which first analyses the chunk's earlier files again. A
chunk's write that overruns its limits makes every report it kept an `errors` row of that stage.

Unbounded (`limits=None`), the same steps run in the calling process.
"""

from __future__ import annotations

from typing import Any

from nlp.batch import work
from nlp.ingest.bounded import LimitExceeded, Limits, shared_worker

KEEP = f"{__name__}:keep"
WRITE = f"{__name__}:write_kept"
# What the bounded child imports before its first file, so no file's budget pays for it.
# cn2an too: nlp.claims.numbers imports it on the first Chinese numeral, a third of a second.
PRELOAD = ("nlp.reader", "nlp.analysis", "cn2an", __name__)
WRITE_TRIES = 3  # a chunk's write meets a child that does not hold its reports at most so often

# In the bounded child: the chunk being kept and its analysed reports.
_kept: dict[str, Any] = {"part": None, "reports": []}


def open_chunk(part: str, limits: Limits | None) -> LocalChunk | ChildChunk:
    """The keeper of a chunk's reports: this process when `limits` is None, else a child."""
    return LocalChunk(part) if limits is None else ChildChunk(part, limits)


class LocalChunk:
    """Analyse and write in this process, unbounded."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.analysed: list = []

    def add(self, path: str, report_id: str, pages=None):
        """None when the report is kept; else its `errors` row or the `ScanToRead`."""
        outcome = work.analysed_or_error(path, report_id, pages)
        if _is_row_or_scan(outcome):
            return outcome
        self.analysed.append(outcome)
        return None

    def write(self, out: str, errors: list[dict]) -> tuple[int, list[dict]]:
        """Write the chunk's parts; the number of reports written and the errors (with those of
        the themes step)."""
        return work.write_analysed(out, self.part, self.analysed, errors), errors


class ChildChunk:
    """Analyse, keep and write in this thread's bounded child."""

    def __init__(self, part: str, limits: Limits) -> None:
        self.part = part
        self.child = shared_worker(limits, PRELOAD)
        self.kept: list[tuple] = []  # the arguments of every file the child keeps
        self.holder: int | None = None  # the process id of the child that keeps them
        self.lost: list[tuple] = []  # kept by a child that ended since: to analyse again
        self.failed_again: list[dict] = []  # lost files whose second analysis failed

    def add(self, path: str, report_id: str, pages=None):
        """None when the report is kept; else its `errors` row or the `ScanToRead`."""
        outcome = self._keep((path, report_id, pages))
        self._replay()
        return outcome

    def write(self, out: str, errors: list[dict]) -> tuple[int, list[dict]]:
        """As `LocalChunk.write`, in the child that kept the reports."""
        for _ in range(WRITE_TRIES):
            self._replay()
            rows = errors + self.failed_again
            if not self.kept:  # nothing to classify: no child needed for the empty parts
                return work.write_analysed(out, self.part, [], rows), rows
            try:
                written, rows = self.child.call(WRITE, out, self.part, rows, len(self.kept))
            except LimitExceeded as stopped:
                return self._write_failed(out, rows, stopped)
            if written is not None:
                return written, rows
            self._lose(self.kept)  # a new child that holds none of them: keep them again
        ended = LimitExceeded("crash", "stopped: the reading process kept ending unexpectedly")
        return self._write_failed(out, errors + self.failed_again, ended)

    def _write_failed(self, out: str, rows: list[dict], stopped: LimitExceeded):
        rows = rows + [work.error_row(f, rid, stopped.stage, stopped) for f, rid, _ in self.kept]
        return work.write_analysed(out, self.part, [], rows), rows

    def _keep(self, args: tuple):
        try:
            outcome = self.child.call(KEEP, self.part, *args)
        except LimitExceeded as stopped:
            self._lose(self.kept)
            return work.error_row(args[0], args[1], stopped.stage, stopped)
        if self.child.pid != self.holder:  # the child ended between two files: a new one
            self._lose(self.kept)
            self.holder = self.child.pid
        if outcome is None:
            self.kept.append(args)
        return outcome

    def _lose(self, kept: list[tuple]) -> None:
        self.lost, self.kept = kept + self.lost, []

    def _replay(self) -> None:
        """Analyse again what an ended child had kept (a file that fails now is an error)."""
        while self.lost:
            outcome = self._keep(self.lost.pop(0))
            if outcome is not None:
                self.failed_again.append(outcome)


# --- in the bounded child ------------------------------------------------------------------


def keep(part: str, path: str, report_id: str, pages=None):
    """Analyse one file and keep it for its chunk's write: None, or its row or `ScanToRead`."""
    if _kept["part"] != part:
        _kept.update(part=part, reports=[])
    outcome = work.analysed_or_error(path, report_id, pages)
    if _is_row_or_scan(outcome):
        return outcome
    _kept["reports"].append(outcome)
    return None


def write_kept(out: str, part: str, errors: list[dict], held: int):
    """Classify and write the `held` kept reports of `part` and forget them; the number
    written and the errors. None when this child does not hold them (it is not the one that
    kept them)."""
    reports = _kept["reports"] if _kept["part"] == part else []
    _kept.update(part=None, reports=[])
    if len(reports) != held:
        return None, errors
    return work.write_analysed(out, part, reports, errors), errors


def _is_row_or_scan(outcome) -> bool:
    return isinstance(outcome, dict | work.ScanToRead)
