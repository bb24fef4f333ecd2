"""The batch's progress (nlp/batch/view.py): reports and the pages of scans to OCR, on a
terminal's bar as in the log lines otherwise."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from nlp.batch.runner import BatchProgress
from nlp.batch.view import BatchProgressView


@pytest.mark.parametrize("terminal", [True, False], ids=["bar", "log"])
def test_the_progress_names_reports_and_ocr_pages(terminal):
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=terminal, width=160)
    with BatchProgressView(console) as view:
        view(BatchProgress(total=5, done=0, pages=7, pages_done=3))  # a folder of scans
        if terminal:
            (task,) = view.bar.tasks
            assert (task.completed, task.total) == (0 + 3, 5 + 7)  # one step a report or page
            console.print(view.bar)
    assert "0/5 reports · 3/7 OCR pages" in screen.getvalue()


def test_without_scans_the_progress_names_reports_alone():
    screen = io.StringIO()
    with BatchProgressView(Console(file=screen, force_terminal=False)) as view:
        view(BatchProgress(total=5, done=0))
    assert "0/5 reports," in screen.getvalue() and "OCR" not in screen.getvalue()
