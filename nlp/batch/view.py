"""How a batch run shows itself: a Rich progress bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import time

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from nlp.batch.runner import BatchProgress, BatchSummary

LOG_EVERY_SECONDS = 10.0


class BatchProgressView:
    """A callback for `run_batch(on_progress=...)`, used as a context manager.

    The bar counts reports and the pages of scanned reports to OCR, each one step (a page's
    OCR takes seconds, as long as reading many text reports); the count beside it names both.
    """

    def __init__(self, console: Console) -> None:
        self.console = console
        self.live = console.is_terminal
        self.started = time.perf_counter()
        self.logged = 0.0
        self.task = None
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TextColumn("{task.fields[rate]} reports/s"),
            TextColumn("[red]{task.fields[errors]} errors"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
        )

    def __enter__(self) -> BatchProgressView:
        if self.live:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        if self.live:
            self.bar.__exit__(*exc)

    def __call__(self, progress: BatchProgress) -> None:
        elapsed = time.perf_counter() - self.started
        rate = f"{progress.done / elapsed:,.1f}" if elapsed > 0 else "–"
        if self.live:
            self._update_bar(progress, rate)
        elif self._time_to_log(elapsed, progress):
            self.console.print(
                f"batch {progress.stage}: {_count(progress)}, "
                f"{rate} reports/s, {progress.errors} errors, {elapsed:.0f} s",
                highlight=False,
            )

    def _update_bar(self, progress: BatchProgress, rate: str) -> None:
        if self.task is None:
            self.task = self.bar.add_task("analysing", total=1, rate="–", errors=0, count="")
        self.bar.update(
            self.task,
            total=progress.total + progress.pages,
            completed=progress.done + progress.pages_done,
            description=progress.stage,
            count=_count(progress),
            rate=rate,
            errors=progress.errors,
        )

    def _time_to_log(self, elapsed: float, progress: BatchProgress) -> bool:
        due = elapsed - self.logged >= LOG_EVERY_SECONDS
        if due or progress.done in (0, progress.total):
            self.logged = elapsed
            return True
        return False


def _count(progress: BatchProgress) -> str:
    """`12/40 reports`, and `· 3/18 OCR pages` once scanned pages were found."""
    count = f"{progress.done}/{progress.total} reports"
    if progress.pages:
        count += f" · {progress.pages_done}/{progress.pages} OCR pages"
    return count


def summary_view(summary: BatchSummary) -> Table:
    table = Table(title=f"xxgk batch → {summary.out}", show_header=False)
    table.add_column(style="bold")
    table.add_column(justify="right")
    for label, value in (
        ("inputs", summary.inputs),
        ("already done (skipped)", summary.skipped),
        ("same content as another input", summary.duplicates),
        ("files passed over in folders", summary.passed_over),
        ("reports analysed", summary.reports),
        ("scanned pages (OCR tasks)", summary.ocr_pages),
        ("errors", len(summary.errors)),
        ("cross-year findings", summary.cross_year_findings),
        ("workers", summary.workers),
        ("seconds", f"{summary.seconds:.1f}"),
        ("reports/s", f"{summary.reports_per_second:,.1f}"),
    ):
        table.add_row(label, str(value))
    return table
