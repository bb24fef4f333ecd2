"""`Report`: its cells are records until someone asks for the frame (issue 15), and nothing a
user sees changes with it."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pandas as pd

import nlp
from nlp.data import SAMPLE_CORPUS
from nlp.report import CELL_COLUMNS, Report, cell_records, empty_cells

SAMPLE = SAMPLE_CORPUS / "a0004_2022.txt"


def test_read_keeps_the_cells_as_records_until_the_frame_is_asked_for():
    report = nlp.read(SAMPLE)
    records = cell_records(report)
    assert records, "the reader hands over records, not a frame"
    before = json.dumps(report.to_dict(), ensure_ascii=False)
    frame = report.cells
    assert cell_records(report) is None  # built once, then kept
    assert report.cells is frame
    assert json.dumps(report.to_dict(), ensure_ascii=False) == before
    assert list(frame.columns) == list(CELL_COLUMNS)
    assert dict(frame.dtypes) == dict(empty_cells().dtypes)
    assert len(frame) == len(records)
    first = records[0]
    assert tuple(frame.iloc[0][["table", "row", "col", "raw"]]) == (
        first.table,
        first.row,
        first.col,
        first.raw,
    )


def test_the_frame_holds_the_values_of_the_records_blank_as_nan():
    report = nlp.read(SAMPLE)
    records = cell_records(report)
    values = report.cells["value"].tolist()
    assert [v != v for v in values] == [cell.value is None for cell in records]  # NaN: blank
    assert [v for v in values if v == v] == [c.value for c in records if c.value is not None]
    assert [c["value"] for c in report.to_dict()["cells"] if c["value"] is None] == [
        None for c in records if c.value is None
    ]


def test_a_report_given_a_frame_keeps_that_frame():
    frame = pd.DataFrame(
        {
            "table": ["active"],
            "row": ["规章"],
            "col": ["本年制发件数"],
            "value": [2.0],
            "raw": ["2"],
        }
    )
    report = Report(source="t", cells=frame)
    assert report.cells is frame
    assert report.value("active", "规章", "本年制发件数") == 2.0
    assert report.to_dict()["cells"] == [
        {"table": "active", "row": "规章", "col": "本年制发件数", "value": 2, "raw": "2"}
    ]


def test_a_report_without_cells_has_the_empty_cells_frame():
    report = Report(source="t")
    assert list(report.cells.columns) == list(CELL_COLUMNS)
    assert report.cells.empty
    assert report.to_dict()["cells"] == []


def test_a_report_pickles_and_copies_with_its_cells():
    report = nlp.read(SAMPLE)
    again = pickle.loads(pickle.dumps(report))
    assert again.to_dict() == report.to_dict()
    pd.testing.assert_frame_equal(again.cells, report.cells)
    copied = dataclasses.replace(report, source="copy")
    pd.testing.assert_frame_equal(copied.cells, report.cells)
    assert copied.source == "copy"
