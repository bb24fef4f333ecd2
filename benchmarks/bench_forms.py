"""How well `nlp.read` reads each published form of the generated reports (issue 13).

Writes `--n` reports spread over the forms (`nlp.corpus.FORMS`: the classic txt, md, html, docx,
pdf and the new gov_page, word_paste, fragment, crawler, docx_merged, docx_nested, pdf_split)
with `write_corpus(..., forms=...)`, reads every file with `nlp.read`, and prints per form:

- reports, and reports the reader raised on;
- cells exact %: truth cells (`truth/cells.parquet`) whose value the reader gives exactly; a
  cell printed blank is null in the truth and right only when the reader gives it as null;
  a cell the reader does not give at all is wrong;
- null cells exact %: the same over the blank (null) truth cells alone;
- reports with all cells exact;
- sections exact %: of the six sections, those whose span in `Report.text` starts at the
  section's printed heading (`truth/sections.parquet`) and, for 总体情况, 存在的主要问题 and
  其他事项, holds its first and last sentence (compared without whitespace, NFKC);
- reports with all six sections exact;
- read ms per report (mean, the reading alone).

    .venv/bin/python benchmarks/bench_forms.py [--n 360] [--seed 11] [--workers 2] [--forms a,b]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402

import nlp  # noqa: E402
from nlp.corpus import FORMS, write_corpus  # noqa: E402
from nlp.corpus.forms import needs_ocr  # noqa: E402

KEY = ["table", "row", "col"]
NARRATIVE = ("overall", "problems", "other")


@dataclass
class Outcome:
    form: str
    crashed: bool
    cells: int
    cells_exact: int
    nulls: int
    nulls_exact: int
    sections: int
    sections_exact: int
    read_ms: float


def compact(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def cells_exact(truth: pd.DataFrame, read: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Per truth cell: right or not, and whether it is a null (blank) cell."""
    got = read.drop_duplicates(KEY).set_index(KEY)["value"]
    expected = truth.set_index(KEY)["value"]
    present = expected.index.isin(got.index)
    value = got.reindex(expected.index)
    right = present & ((value == expected) | (value.isna() & expected.isna()))
    return pd.Series(right, index=expected.index), expected.isna()


def section_exact(report, row) -> bool:
    # `sections[key]` is `text[start:end]` of the section's span (and exists before spans did)
    section = report.sections.get(row.section)
    if not section:
        return False
    text = compact(section).lstrip("#*>")
    if not text.startswith(compact(row.heading)):
        return False
    if row.section in NARRATIVE:
        return all(compact(s) in text for s in (row.first, row.last) if isinstance(s, str))
    return True


def read_one(job: tuple[str, str, pd.DataFrame, pd.DataFrame]) -> Outcome:
    path, form, truth_cells, truth_sections = job
    start = time.perf_counter()
    try:
        report = nlp.read(path)
    except Exception:  # a crash is a result here: every cell and section counts as wrong
        elapsed = (time.perf_counter() - start) * 1000
        nulls = int(truth_cells["value"].isna().sum())
        return Outcome(form, True, len(truth_cells), 0, nulls, 0, len(truth_sections), 0, elapsed)
    elapsed = (time.perf_counter() - start) * 1000
    right, null = cells_exact(truth_cells, report.cells)
    sections = [section_exact(report, row) for row in truth_sections.itertuples()]
    return Outcome(
        form,
        False,
        len(right),
        int(right.sum()),
        int(null.sum()),
        int((right & null).sum()),
        len(sections),
        sum(sections),
        elapsed,
    )


def jobs(corpus: Path) -> list[tuple[str, str, pd.DataFrame, pd.DataFrame]]:
    truth = corpus / "truth"
    reports = pd.read_parquet(truth / "reports.parquet")
    cells = pd.read_parquet(truth / "cells.parquet")
    sections = pd.read_parquet(truth / "sections.parquet")
    cells_by, sections_by = (
        dict(list(cells.groupby("report_id"))),
        dict(list(sections.groupby("report_id"))),
    )
    return [
        (str(corpus / row.file), row.form, cells_by[row.report_id], sections_by[row.report_id])
        for row in reports.itertuples()
    ]


def table(outcomes: list[Outcome], forms: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([o.__dict__ for o in outcomes])
    frame["all_cells"] = frame["cells_exact"] == frame["cells"]
    frame["all_sections"] = frame["sections_exact"] == frame["sections"]
    rows = []
    for form, part in [*((f, frame[frame["form"] == f]) for f in forms), ("all", frame)]:
        if part.empty:
            continue
        nulls = part["nulls"].sum()
        rows.append(
            {
                "form": form,
                "reports": len(part),
                "crashed": int(part["crashed"].sum()),
                "cells exact %": 100 * part["cells_exact"].sum() / part["cells"].sum(),
                "null cells exact %": 100 * part["nulls_exact"].sum() / nulls if nulls else None,
                "reports all cells": int(part["all_cells"].sum()),
                "sections exact %": 100 * part["sections_exact"].sum() / part["sections"].sum(),
                "reports all sections": int(part["all_sections"].sum()),
                "read ms/report": part["read_ms"].mean(),
            }
        )
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=360, help="reports in all (spread over forms)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2, help="reading processes")
    parser.add_argument(
        "--forms",
        default=",".join(f for f in FORMS if not needs_ocr(f)),
        help="comma-separated forms (default: all but the scans, see bench_ocr.py)",
    )
    args = parser.parse_args()
    forms = [f.strip() for f in args.forms.split(",") if f.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        corpus = write_corpus(Path(tmp), args.n, seed=args.seed, forms=forms)
        written = time.perf_counter() - start
        work = jobs(corpus)
        start = time.perf_counter()
        if args.workers > 1:
            with ProcessPoolExecutor(args.workers) as pool:
                outcomes = list(pool.map(read_one, work, chunksize=4))
        else:
            outcomes = [read_one(job) for job in work]
        reading = time.perf_counter() - start
    print(
        f"{args.n} reports (seed {args.seed}) written in {written:.1f} s, "
        f"read in {reading:.1f} s with {args.workers} worker(s)\n"
    )
    result = table(outcomes, forms)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(result.to_string(index=False, float_format=lambda x: f"{x:.1f}"))


if __name__ == "__main__":
    main()
