import pandas as pd
import pyarrow.parquet as pq
import pytest

from nlp.batch import SCHEMAS, TABLES, load
from nlp.batch.store import done_ids, part_path, prepare, write_chunk, write_part


def test_a_part_has_the_fixed_schema_even_when_empty_or_partial(tmp_path):
    write_part(tmp_path, "errors", "part-a", pd.DataFrame())
    write_part(tmp_path, "errors", "part-b", pd.DataFrame([{"file": "x.txt", "stage": "read"}]))
    for part in ("part-a", "part-b"):
        assert pq.read_schema(part_path(tmp_path, "errors", part)) == SCHEMAS["errors"]
    errors = load(tmp_path, tables=("errors",))["errors"]
    assert errors["file"].tolist() == ["x.txt"]
    assert errors["report_id"].isna().all()


def test_integer_columns_keep_their_type_with_missing_years(tmp_path):
    rows = [{"report_id": "a", "year": 2021}, {"report_id": "b", "year": None}]
    write_part(tmp_path, "reports", "part-x", pd.DataFrame(rows))
    reports = load(tmp_path, tables=("reports",))["reports"]
    assert reports["year"].dtype == "Int64"
    assert reports["year"].iloc[0] == 2021 and pd.isna(reports["year"].iloc[1])


def test_an_unsealed_chunk_is_removed_before_a_run_resumes(tmp_path):
    write_chunk(tmp_path, "part-done", {"reports": pd.DataFrame([{"report_id": "a"}])})
    for table in ("cells", "claims"):  # a chunk interrupted before its reports part
        write_part(tmp_path, table, "part-cut", pd.DataFrame())
    (tmp_path / "cells" / ".part-x.123.tmp").write_bytes(b"half")
    removed = prepare(tmp_path)
    assert sorted(p.name for p in removed) == [
        ".part-x.123.tmp",
        "part-cut.parquet",
        "part-cut.parquet",
    ]
    for table in TABLES:
        assert (tmp_path / table / "part-done.parquet").exists()


def test_done_ids_are_those_of_reports_and_errors(tmp_path):
    write_chunk(
        tmp_path,
        "part-1",
        {
            "reports": pd.DataFrame([{"report_id": "a"}]),
            "errors": pd.DataFrame([{"file": "f", "report_id": "b"}, {"file": "g"}]),
        },
    )
    assert done_ids(tmp_path) == {"a", "b"}


def test_loading_a_folder_that_is_not_a_batch_output_says_so(tmp_path):
    with pytest.raises(FileNotFoundError, match="no batch output"):
        load(tmp_path / "nothing")
