"""How well `nlp.read` reads generated scans (issue 19): the generator's PDFs printed, stamped
and scanned back (`nlp.corpus.render_scan`) at each dpi, read by OCR (the `ocr` extra).

Prints per dpi and noise level:
- pages, and reports the reader raised on;
- cells exact %: truth cells (with the scan form's blanks) whose value the reader gives exactly;
- wrong cells, and of them those flagged: the report carries an `ingest.ocr_low_confidence`
  warning or a `table.*` warning for it (report level, not yet per cell);
- sections exact % (as benchmarks/bench_forms.py judges them);
- narrative CER %: character error rate of 总体情况, 存在的主要问题 and 其他事项 (whitespace
  removed, NFKC; the read section's heading cut off);
- seconds per page of reading (rendering, cleaning, OCR, tables; one process, 2 engine threads).

    .venv/bin/python benchmarks/bench_ocr.py [--n 4] [--seed 19] [--dpis 150,200,300]
        [--noise light,heavy]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pandas as pd  # noqa: E402
import pdfplumber  # noqa: E402
from bench_forms import NARRATIVE, cells_exact, compact, section_exact  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

import nlp  # noqa: E402
from nlp.corpus import generate, render, section_truth, truth_frames, with_form  # noqa: E402
from nlp.corpus.render_scan import ScanSettings, to_scan  # noqa: E402

FLAGS = ("ingest.ocr_low_confidence", "table.")


def page_count(pdf: bytes) -> int:
    import io

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return len(document.pages)


def narrative_cer(report, truth_report) -> tuple[int, int]:
    """(edits, characters) over the narrative sections."""
    edits = chars = 0
    for key in NARRATIVE:
        expected = compact(truth_report.sections.get(key) or "")
        got = compact(report.sections.get(key) or "")[-len(expected) :] if expected else ""
        edits += Levenshtein.distance(expected, got)
        chars += len(expected)
    return edits, chars


def read_scan(truth_report, pdf: bytes, settings: ScanSettings) -> dict:
    scan = to_scan(pdf, random.Random(f"bench:{truth_report.report_id}"), settings)
    pages = page_count(pdf)
    truth_cells = truth_frames([truth_report])["cells"]
    start = time.perf_counter()
    try:
        report = nlp.read(scan, name=f"{truth_report.report_id}.pdf")
    except Exception:
        report = None
    seconds = time.perf_counter() - start
    row = {"dpi": settings.dpi, "noise": settings.noise, "pages": pages, "seconds": seconds}
    if report is None:
        return {**row, "crashed": 1, "cells": len(truth_cells), "exact": 0, "flagged": 0}
    right, _ = cells_exact(truth_cells, report.cells)
    flagged = any(w.code.startswith(FLAGS) for w in report.warnings)
    sections = [
        section_exact(report, s) for s in pd.DataFrame(section_truth(truth_report)).itertuples()
    ]
    edits, chars = narrative_cer(report, truth_report)
    wrong = int((~right).sum())
    return {
        **row,
        "crashed": 0,
        "cells": len(right),
        "exact": int(right.sum()),
        "flagged": wrong if flagged else 0,
        "sections": len(sections),
        "sections_exact": sum(sections),
        "edits": edits,
        "chars": chars,
    }


def summary(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows).fillna(0)
    out = []
    for (dpi, noise), part in frame.groupby(["dpi", "noise"]):
        wrong = part["cells"].sum() - part["exact"].sum()
        out.append(
            {
                "dpi": dpi,
                "noise": noise,
                "reports": len(part),
                "pages": int(part["pages"].sum()),
                "crashed": int(part["crashed"].sum()),
                "cells exact %": 100 * part["exact"].sum() / part["cells"].sum(),
                "wrong cells": int(wrong),
                "wrong flagged": int(part["flagged"].sum()),
                "sections exact %": 100
                * part["sections_exact"].sum()
                / max(part["sections"].sum(), 1),
                "narrative CER %": 100 * part["edits"].sum() / max(part["chars"].sum(), 1),
                "s/page": part["seconds"].sum() / part["pages"].sum(),
            }
        )
    return pd.DataFrame(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=4, help="reports (each scanned at every dpi)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--dpis", default="150,200,300")
    parser.add_argument("--noise", default="light,heavy", help="noise levels, drawn per report")
    args = parser.parse_args()
    dpis = [int(d) for d in args.dpis.split(",")]
    levels = [n.strip() for n in args.noise.split(",") if n.strip()]
    rows = []
    for index, report in enumerate(generate(args.n, seed=args.seed)):
        published = with_form(report, "scan")
        pdf = render(published, "pdf", random.Random(index))
        for dpi in dpis:
            settings = ScanSettings(dpi, levels[(index + dpi) % len(levels)])
            rows.append(read_scan(published, pdf, settings))
            print(
                f"  {published.report_id} {dpi} dpi {settings.noise}: {rows[-1]['exact']}/"
                f"{rows[-1]['cells']} cells, {rows[-1]['seconds']:.1f} s",
                flush=True,
            )
    print(f"\n{args.n} reports (seed {args.seed}) x {len(dpis)} dpi\n")
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(summary(rows).to_string(index=False, float_format=lambda x: f"{x:.2f}"))


if __name__ == "__main__":
    main()
