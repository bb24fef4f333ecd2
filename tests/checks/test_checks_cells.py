"""`cell_values` reads a freshly read report's cell records as it reads the frame they make."""

from __future__ import annotations

import copy

import pytest

import nlp
from nlp.checks.cells import LayoutValues, cell_values
from nlp.data import SAMPLE_CORPUS
from nlp.report import cell_records, has_cells


@pytest.mark.parametrize("path", sorted(SAMPLE_CORPUS.glob("*"))[:12], ids=lambda p: p.name)
def test_values_from_records_equal_values_from_the_frame(path):
    report = nlp.read(path)
    assert cell_records(report) is not None  # nothing has built the frame yet
    from_records = cell_values(report)
    framed = copy.copy(report)
    # reading the frame builds it: from here on `cell_values` reads the frame
    assert len(framed.cells) == len(cell_records(report))
    assert cell_records(framed) is None
    from_frame = cell_values(framed)
    assert type(from_records) is type(from_frame)
    assert dict(from_records.items()) == dict(from_frame.items())
    if isinstance(from_frame, LayoutValues):
        assert from_records.fmt == from_frame.fmt


def test_has_cells_without_building_the_frame():
    report = nlp.read(sorted(SAMPLE_CORPUS.glob("*.txt"))[0])
    assert has_cells(report) and cell_records(report) is not None
    assert not has_cells(nlp.Report(source="empty.txt"))


def test_records_out_of_layout_read_as_a_dict_first_readable_value_kept():
    from nlp.report import CellRecord, CellRecords

    report = nlp.read(sorted(SAMPLE_CORPUS.glob("*.txt"))[0])
    records = cell_records(report)
    first = records[0]
    blank_twin = CellRecord(first.table, first.row, first.col, None, "/")  # emitted twice
    partial = copy.copy(report)
    partial.cells = CellRecords([blank_twin, first, *records[5:]])  # not the whole layout
    from_records = cell_values(partial)
    framed = copy.copy(partial)
    assert len(framed.cells) == len(records) - 3
    from_frame = cell_values(framed)
    assert isinstance(from_records, dict) and from_records == from_frame
    assert from_records[(first.table, first.row, first.col)] == first.value
