"""The notebooks run top to bottom, from a scratch working directory, without a cell error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 120
# What a reader should never see in a table: a year as a float (a column of years with a gap made
# float64) or an infinite ratio.
UNREADABLE = re.compile(r"\b(19|20)\d\d\.0\b|-?\binf\b")


def test_the_three_notebooks_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "01_one_report.ipynb",
        "02_batch_themes.ipynb",
        "03_compare_agencies.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source[:60]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path, tmp_path, tmp_path_factory, monkeypatch):
    # The kernel inherits TMPDIR: what a notebook keeps in a temporary folder goes with the test's.
    monkeypatch.setenv("TMPDIR", str(tmp_path_factory.mktemp("notebook-tmp")))
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    )
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.output_type == "error"
    ]
    assert errors == []
    assert list(tmp_path.iterdir()) == []  # nothing written to the working directory
    shown = [(cell.source[:60], text) for cell in notebook.cells for text in _tables_shown(cell)]
    assert [
        (source, UNREADABLE.search(text)[0]) for source, text in shown if UNREADABLE.search(text)
    ] == []


def _tables_shown(cell) -> list[str]:
    """The text and HTML a code cell printed, charts left out (their data is not read as text)."""
    out = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if any(kind.startswith("application/vnd.plotly") for kind in data):
            continue
        out += [output.get("text", ""), data.get("text/plain", ""), data.get("text/html", "")]
    return out
