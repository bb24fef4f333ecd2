"""One dtype per column (nlp/frames.py): every frame the Python API returns has its table's dtypes
whether it has no rows or many, and a batch table read back has the same ones."""

from __future__ import annotations

import json
import re

import pytest

import nlp
from nlp.analysis import CLAIM_COLUMNS, SENTENCE_COLUMNS
from nlp.batch import load
from nlp.checks.findings import FRAME_COLUMNS
from nlp.data import SAMPLE_CORPUS
from nlp.frames import SCHEMAS, STRING, dtypes, pandas_dtype
from nlp.themes.api import COLUMNS as THEME_COLUMNS

EMPTY = nlp.Report(source="empty.txt")


@pytest.fixture(scope="module")
def reports():
    # one agency over several years: table, claim and cross-year findings
    return [nlp.read(path) for path in sorted(SAMPLE_CORPUS.glob("a0004_*"))]


FRAMES = {  # each built of some reports, and of none (or of a report without a narrative)
    "check": (lambda reports: nlp.check(reports or []), "findings"),
    "themes": (lambda reports: nlp.themes(reports or []), "sentences"),
    "sentences_frame": (lambda reports: nlp.sentences_frame((reports or [EMPTY])[0]), "sentences"),
    "claims_frame": (lambda reports: nlp.claims_frame((reports or [EMPTY])[0]), "claims"),
}
COLUMNS = {"check": FRAME_COLUMNS, "themes": THEME_COLUMNS}
COLUMNS |= {"sentences_frame": SENTENCE_COLUMNS, "claims_frame": CLAIM_COLUMNS}


@pytest.mark.parametrize("name", FRAMES)
def test_a_frame_has_its_table_dtypes_with_no_rows_and_with_many(name, reports):
    build, table = FRAMES[name]
    columns = COLUMNS[name]
    many, none = build(reports), build(None)
    assert len(many) > 0 and len(none) == 0
    expected = dtypes(table, columns)
    assert dict(many.dtypes) == expected
    assert dict(none.dtypes) == expected


def test_report_cells_are_of_the_cells_table_dtypes(reports):
    expected = dtypes("cells", ["table", "row", "col", "value", "raw"])
    assert dict(reports[0].cells.dtypes) == expected
    assert dict(EMPTY.cells.dtypes) == expected


def test_a_missing_year_is_an_integer_column_not_float(reports):
    frame = nlp.check([*reports, EMPTY])  # the empty one is not a report: a finding of no year
    assert frame["year"].dtype == "Int64"
    assert frame["year"].isna().any() and frame["year"].dropna().between(2019, 2025).all()
    assert not re.search(r"\b20\d\d\.0\b", frame.to_string())


def test_structured_columns_are_json_text(reports):
    frame = nlp.check(reports)
    assert frame["cells"].dtype == STRING and frame["claim"].dtype == STRING
    for text in frame["cells"]:
        assert isinstance(json.loads(text), list)
    claims = frame["claim"].dropna()
    assert len(claims) and all(isinstance(json.loads(text), dict) for text in claims)


def test_batch_tables_of_an_empty_output_have_their_dtypes(tmp_path):
    (tmp_path / "out").mkdir()
    for table, frame in load(tmp_path / "out").items():
        assert frame.empty
        assert dict(frame.dtypes) == dtypes(table), table


def test_every_schema_type_has_a_pandas_dtype():
    kinds = {field.type for schema in SCHEMAS.values() for field in schema}
    assert [kind for kind in kinds if pandas_dtype(kind) is None] == []


def test_frame_from_columns_equals_typed_frame_from_records():
    """`frame` (columns straight into their arrays) gives what `typed` over the same values as a
    records frame gives, missing values, numpy columns and values pandas must convert included."""
    import numpy as np
    import pandas as pd

    from nlp.frames import frame, typed

    columns = {
        "source": ["a.txt", None, "b.txt"],
        "section": ["overall", "other", 3],  # a number in a text column: pandas converts it
        "index": [0, None, 2],
        "text": np.array(["一", "二", None], dtype=object),
        "start": np.array([0, 5, 9]),
        "end": [4, 8.0, None],  # a float in an integer column: pandas converts it
        "theme_score": [0.5, None, 1.0],
        "uncertain": np.array([True, False, True]),
        "function_score": np.array([0.1, 0.2, 0.3]),
    }
    names = [*columns, "theme"]  # a column not given is all missing
    expected = typed(pd.DataFrame(columns), "sentences", names)
    pd.testing.assert_frame_equal(frame(columns, "sentences", names), expected, check_exact=True)
    empty = {name: [] for name in names}
    pd.testing.assert_frame_equal(
        frame(empty, "sentences", names), typed(pd.DataFrame(empty), "sentences", names)
    )
