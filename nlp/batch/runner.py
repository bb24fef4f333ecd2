"""`run`: the whole analysis over a corpus, on a local Dask cluster or an existing one.

The driver expands the inputs, hashes them, skips what the output already holds, and hands out
chunks of files to the Dask workers (threads, locally), whose bounded children read, analyse
and write their own part files; the driver only hears back counts and errors. A scanned PDF
comes back unread, and each of its pages to OCR becomes a task of its own before its report's
(`nlp.batch.scans`). Then cross-year checks run over the batch, agency by agency, in the same
bounded children. One code path: `workers=N` starts a `LocalCluster`, `scheduler=` connects to
a running one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from nlp.batch import chunks, cross_year, scans, store
from nlp.batch.inputs import content_id, expand
from nlp.batch.work import ChunkResult, error_row, process_chunk
from nlp.ingest.bounded import (
    DEFAULT_LIMITS,
    Limits,
    close_thread_workers,
    close_unasked_workers,
    start_shared_workers,
)
from nlp.ingest.ocr_pages import PageRead

MAX_CHUNK = 200
CHUNKS_PER_WORKER = 4
# Reports at most in one cross-year task: their cells (some 19 KB a report) stay below the 10 MB
# past which Dask warns of a task's large arguments.
CROSS_YEAR_GROUP = 400
_QUIET_LOGGERS = ("distributed", "bokeh", "tornado")


@dataclass
class BatchProgress:
    """Where a run is: `done` of `total` inputs to process (after skipping), `errors` so far,
    and `pages_done` of the `pages` of scanned PDFs to OCR found so far (each a task)."""

    total: int
    done: int = 0
    errors: int = 0
    stage: str = "reports"
    pages: int = 0
    pages_done: int = 0


@dataclass
class BatchSummary:
    out: Path
    inputs: int = 0
    skipped: int = 0
    duplicates: int = 0
    passed_over: int = 0
    reports: int = 0
    ocr_pages: int = 0
    errors: list[dict] = field(default_factory=list)
    cross_year_findings: int = 0
    workers: int = 0
    seconds: float = 0.0

    @property
    def reports_per_second(self) -> float:
        return self.reports / self.seconds if self.seconds else 0.0


def run(
    inputs: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None,
    limits: Limits | None = DEFAULT_LIMITS,
) -> Path:
    """Analyse every report the inputs name into Parquet tables under `out`; return `out`."""
    return run_batch(
        inputs, out, workers=workers, scheduler=scheduler, on_progress=on_progress, limits=limits
    ).out


def run_batch(
    inputs: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_size: int | None = None,
    on_progress: Callable[[BatchProgress], None] | None = None,
    limits: Limits | None = DEFAULT_LIMITS,
) -> BatchSummary:
    """`run`, returning what was done: counts, errors, timing.

    Each file is read and analysed under `limits` (a time budget and a memory cap, enforced by
    a child process that is killed on overrun; `None` runs unbounded in the Dask worker).
    """
    started = time.perf_counter()
    _start_children(limits, workers, scheduler)
    try:
        out = Path(out).resolve()
        store.prepare(out)
        summary = BatchSummary(out)
        todo, run_errors = _plan(inputs, out, summary)
        summary.errors += run_errors
        report = on_progress or (lambda progress: None)
        with dask_client(workers, scheduler, processes=limits is None) as client:
            summary.workers = len(client.scheduler_info()["workers"])
            size = chunk_size or _chunk_size(len(todo), summary.workers)
            progress = BatchProgress(total=len(todo), errors=len(run_errors))
            report(progress)
            for result in _chunks(client, todo, size, out, limits):
                _count(result, summary, progress)
                report(progress)
            progress.stage = "cross-year"
            report(progress)
            summary.cross_year_findings = _cross_year(client, out, summary.workers, limits)
    finally:  # the children started ahead that no worker took, whatever stopped the run
        close_unasked_workers()
    _write_run_errors(out, run_errors)
    summary.seconds = time.perf_counter() - started
    return summary


def _count(result: ChunkResult | PageRead, summary: BatchSummary, progress: BatchProgress) -> None:
    """A chunk's or a scanned page's result added to the run's counts."""
    if isinstance(result, PageRead):
        progress.pages_done += 1
        summary.ocr_pages += 1
        return
    summary.reports += result.reports
    summary.errors += result.errors
    progress.done += result.reports + len(result.errors)
    progress.errors += len(result.errors)
    progress.pages += sum(len(scan.pages) for scan in result.scans)


def _start_children(limits: Limits | None, workers: int | None, scheduler: str | None) -> None:
    """The bounded children of the local worker threads, started now: their imports overlap
    the plan and the cluster's start instead of following them."""
    if limits is not None and not scheduler:
        start_shared_workers(limits, chunks.PRELOAD, _local_workers(workers))


def _local_workers(workers: int | None) -> int:
    """How many workers a local cluster has: as asked, else one per core."""
    return workers or os.cpu_count() or 1


def _plan(inputs, out: Path, summary: BatchSummary) -> tuple[list[tuple[str, str]], list[dict]]:
    """The (path, report_id) pairs still to do, and the inputs that could not even be opened."""
    found = expand(inputs)
    summary.passed_over = found.passed_over
    errors = [
        error_row(a, None, "open", FileNotFoundError("no file matches")) for a in found.unmatched
    ]
    done = store.done_ids(out)
    todo: list[tuple[str, str]] = []
    taken: set[str] = set()
    for path in found.files:
        summary.inputs += 1
        try:
            report_id = content_id(path)
        except OSError as error:
            errors.append(error_row(path, None, "open", error))
            continue
        if report_id in done:
            summary.skipped += 1
        elif report_id in taken:
            summary.duplicates += 1
        else:
            taken.add(report_id)
            todo.append((path, report_id))
    return todo, errors


def _chunk_size(files: int, workers: int) -> int:
    return max(1, min(MAX_CHUNK, -(-files // max(1, workers * CHUNKS_PER_WORKER))))


def _chunks(
    client, todo: list[tuple[str, str]], size: int, out: Path, limits: Limits | None
) -> Iterator[ChunkResult | PageRead]:
    """The chunks' results, then the scanned reports' (their pages, then the report), as done."""
    from distributed import as_completed

    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    futures = client.map(
        process_chunk, chunks, out=str(out), limits=limits, defer_ocr=True, pure=False
    )
    running = as_completed(futures)
    for future in running:
        result = future.result()
        future.release()  # a report's task keeps its pages until it has them
        for scan in result.scans if isinstance(result, ChunkResult) else ():
            running.update(scans.submit(client, scan, str(out), limits))
        yield result


def _cross_year(client, out: Path, workers: int, limits: Limits | None) -> int:
    """Recompute the batch's cross-year findings into their own part; return how many.

    The agencies are cut into a few groups per worker, so that every worker has its share."""
    reports = cross_year.candidate_reports(out)
    changes = cross_year.change_sentences(out, reports)
    whole = cross_year.agencies_of(reports, changes["report_id"])
    cells = cross_year.rule_cells(out, reports["report_id"].tolist(), whole)
    pending: deque = deque()
    rows: list[dict] = []
    per_group = min(CROSS_YEAR_GROUP, -(-len(reports) // (workers * CHUNKS_PER_WORKER)))
    for group in cross_year.agency_groups(reports, per_group=max(1, per_group)):
        ids = group["report_id"].tolist()
        group_cells = cross_year.cells_of(cells, ids)
        group_changes = changes[changes["report_id"].isin(ids)]
        task = cross_year.check_group_bounded
        pending.append(client.submit(task, group, group_cells, group_changes, limits, pure=False))
        if len(pending) >= 2 * workers:
            rows += pending.popleft().result()
    while pending:
        rows += pending.popleft().result()
    store.write_part(out, "findings", store.CROSS_YEAR_PART, pd.DataFrame(rows))
    return len(rows)


def _write_run_errors(out: Path, errors: list[dict]) -> None:
    """Inputs that matched or opened nothing: one part named after them, so a re-run replaces it."""
    for stale in (out / "errors").glob(f"{store.RUN_ERRORS_PREFIX}*.parquet"):
        stale.unlink()
    if errors:
        key = hashlib.sha256("\n".join(sorted(e["file"] for e in errors)).encode()).hexdigest()
        store.write_part(
            out, "errors", f"{store.RUN_ERRORS_PREFIX}{key[:16]}", pd.DataFrame(errors)
        )


@contextmanager
def dask_client(workers: int | None, scheduler: str | None, *, processes: bool = True):
    """A Dask client: to the cluster at `scheduler`, or to a LocalCluster of `workers`.

    The local workers are processes, or with `processes=False` threads of this process: enough
    when each runs its files in a bounded child (`nlp.batch.chunks`) and only waits on it, and
    it spares each worker a process of its own (its start, its imports, some 300 MB)."""
    from distributed import Client, LocalCluster

    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    n_workers = _local_workers(workers)
    with (
        LocalCluster(
            n_workers=n_workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        try:
            yield client
        finally:
            if not processes:
                _close_children(client)


def _close_children(client) -> None:
    """End the bounded children of the worker threads, each in its own thread (one a worker)."""
    workers = client.scheduler_info()["workers"]
    closing = [client.submit(close_thread_workers, workers=[a], pure=False) for a in workers]
    client.gather(closing, errors="skip")
