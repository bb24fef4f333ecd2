"""How well `nlp.read` reads generated scans (issue 19): the generator's PDFs printed, stamped
and scanned back (`nlp.corpus.render_scan`) at each dpi, read by OCR (the `ocr` extra).

Prints per dpi and noise level:
- pages, and reports the reader raised on;
- cells exact %: truth cells (with the scan form's blanks) whose value the reader gives exactly;
- wrong cells, and of them those flagged: the cell's row (or table) is put in doubt by a
  warning the checks read as doubt (rules.yaml `parse_suspect.doubt`: `table.ocr_uncertain`,
  `table.ambiguous_ocr`, `table.ocr_corrected`, …), its row is reported missing, or its
  confidence is below ocr_digits.yaml `doubt_below`; silent = wrong and none of these;
- OCR corrections (`table.ocr_corrected`) and how many of them are right;
- sections exact % (as benchmarks/bench_forms.py judges them);
- narrative CER %: character error rate of 总体情况, 存在的主要问题 and 其他事项 (whitespace
  removed, NFKC; the read section's heading cut off);
- seconds per page of reading (rendering, cleaning, OCR, tables), wall clock and CPU (all
  threads of the reading process: the figure that does not depend on how loaded the machine
  is). One process runs the engine on ocr.yaml's threads; `--jobs 2` reads two scans at a time
  in two processes, the engine on one thread each (the machine's two cores both busy).

Each scan's line shows its wrong cells, silent ones first. The issue's run (≥ 100 scans):

    .venv/bin/python benchmarks/bench_ocr.py --n 17 --every-noise --jobs 2

    .venv/bin/python benchmarks/bench_ocr.py [--n 4] [--seed 19] [--dpis 150,200,300]
        [--noise light,heavy] [--every-noise] [--turns 0,0,90,180] [--jobs 1]
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

MISSING = ("table.row_missing", "table.not_found")
WHOLE_TABLE_LOST = 12  # more wrong cells in a table than this are reported as one line


def flagged_cells(report, keys: pd.MultiIndex) -> pd.Series:
    """Per truth cell: whether the reader said its reading is in doubt."""
    from nlp.checks.suspects import doubts
    from nlp.tables.ocr_digits import spec

    doubted = set(doubts(report.warnings))
    doubted |= {(w.table, w.row) for w in report.warnings if w.code in MISSING}
    cells = report.cells.drop_duplicates(["table", "row", "col"]).set_index(["table", "row", "col"])
    confidence = cells["confidence"] if "confidence" in cells else pd.Series(dtype=float)
    low = confidence.reindex(keys) < spec()["doubt_below"]
    said = [(t, r) in doubted or (t, None) in doubted for t, r, _ in keys]
    return pd.Series(said, index=keys) | low.fillna(False).to_numpy()


def corrections(report, truth: pd.Series) -> tuple[int, int]:
    """(corrections made, of them right): cells of rows with `table.ocr_corrected`."""
    rows = {(w.table, w.row) for w in report.warnings if w.code == "table.ocr_corrected"}
    made = sum(w.code == "table.ocr_corrected" for w in report.warnings)
    if not rows:
        return 0, 0
    got = report.cells.drop_duplicates(["table", "row", "col"]).set_index(["table", "row", "col"])
    in_rows = [k for k in truth.index if (k[0], k[1]) in rows]
    right = all(got["value"].get(k) == truth[k] or pd.isna(truth[k]) for k in in_rows)
    return made, made if right else 0


def wrong_cells(report, truth: pd.DataFrame, wrong: pd.Series, flagged: pd.Series) -> list[str]:
    """A line per wrong cell (silent ones first): where, the truth, what was read; a table whose
    cells are nearly all wrong in one line."""
    expected = truth.set_index(["table", "row", "col"])["value"]
    got = report.cells.drop_duplicates(["table", "row", "col"]).set_index(["table", "row", "col"])
    lines = []
    for table, part in wrong[wrong].groupby(level=0):
        if len(part) > WHOLE_TABLE_LOST:
            silent = int((~flagged.reindex(part.index)).sum())
            lines.append(f"{table}: {len(part)} cells wrong ({silent} silent)")
            continue
        for key in part.index:
            said = "flagged" if flagged[key] else "SILENT"
            read = got["value"].get(key, "absent")
            lines.append(f"{said} {'/'.join(key)}: truth {expected[key]}, read {read}")
    return sorted(lines, key=lambda line: not line.startswith("SILENT"))


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
    start, cpu = time.perf_counter(), time.process_time()
    try:
        report = nlp.read(scan, name=f"{truth_report.report_id}.pdf")
    except Exception:
        report = None
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    row = {
        "dpi": settings.dpi,
        "noise": settings.noise,
        "pages": pages,
        "seconds": seconds,
        "cpu": cpu,
    }
    if report is None:  # a read that raises is no silent misread
        return {
            **row,
            "crashed": 1,
            "cells": len(truth_cells),
            "exact": 0,
            "flagged": 0,
            "silent": 0,
        }
    right, _ = cells_exact(truth_cells, report.cells)
    flagged = flagged_cells(report, right.index)
    made, made_right = corrections(report, truth_cells.set_index(["table", "row", "col"])["value"])
    sections = [
        section_exact(report, s) for s in pd.DataFrame(section_truth(truth_report)).itertuples()
    ]
    edits, chars = narrative_cer(report, truth_report)
    wrong = ~right
    return {
        **row,
        "crashed": 0,
        "cells": len(right),
        "exact": int(right.sum()),
        "flagged": int((wrong & flagged).sum()),
        "silent": int((wrong & ~flagged).sum()),
        "wrong_cells": wrong_cells(report, truth_cells, wrong, flagged),
        "flagged_right": int((right & flagged).sum()),
        "corrected": made,
        "corrected_right": made_right,
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
                "wrong silent": int(wrong - part["flagged"].sum()),
                "right flagged %": 100 * part["flagged_right"].sum() / part["cells"].sum(),
                "corrected (right)": f"{int(part['corrected'].sum())} "
                f"({int(part['corrected_right'].sum())})",
                "sections exact %": 100
                * part["sections_exact"].sum()
                / max(part["sections"].sum(), 1),
                "narrative CER %": 100 * part["edits"].sum() / max(part["chars"].sum(), 1),
                "s/page": part["seconds"].sum() / part["pages"].sum(),
                "cpu s/page": part["cpu"].sum() / part["pages"].sum(),
            }
        )
    return pd.DataFrame(out)


def scan_jobs(args: argparse.Namespace) -> list[tuple]:
    """(truth report, its PDF, scan settings) of every scan: each report at every dpi, its
    noise level drawn per report (or every level with --every-noise), some pages turned."""
    dpis = [int(d) for d in args.dpis.split(",")]
    levels = [n.strip() for n in args.noise.split(",") if n.strip()]
    turns = [int(t) for t in args.turns.split(",")]
    jobs = []
    for index, report in enumerate(generate(args.n, seed=args.seed)):
        published = with_form(report, "scan")
        pdf = render(published, "pdf", random.Random(index))
        turn = turns[index % len(turns)]
        for dpi in dpis:
            noises = levels if args.every_noise else [levels[(index + dpi) % len(levels)]]
            jobs.extend((published, pdf, ScanSettings(dpi, noise, turn, 2)) for noise in noises)
    return jobs


def scan_and_read(job: tuple) -> dict:
    published, pdf, settings = job
    row = read_scan(published, pdf, settings)
    return {**row, "report_id": published.report_id, "turn": settings.turn}


def one_thread_worker() -> None:
    """A pool worker: the engine and OpenCV on one thread each, so the workers share the cores
    instead of their threads contending for them."""
    import os

    import cv2

    from nlp.ingest.ocr import THREADS_VARIABLE

    os.environ[THREADS_VARIABLE] = "1"
    cv2.setNumThreads(1)


def run_jobs(jobs: list[tuple], processes: int) -> list[dict]:
    """Every scan read, in a pool of `processes` when more than one; progress as they end."""
    if processes <= 1:
        return [_progress(scan_and_read(job)) for job in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("spawn")  # no onnxruntime threads forked
    with ProcessPoolExecutor(processes, mp_context=context, initializer=one_thread_worker) as pool:
        futures = [pool.submit(scan_and_read, job) for job in jobs]
        return [_progress(future.result()) for future in as_completed(futures)]


def _progress(row: dict) -> dict:
    print(
        f"  {row['report_id']} {row['dpi']} dpi {row['noise']} turned {row['turn']}: "
        f"{row['exact']}/{row['cells']} cells ({row['silent']} silent), "
        f"{row['seconds']:.1f} s, cpu {row['cpu']:.1f} s",
        flush=True,
    )
    for line in row.get("wrong_cells", ()):
        print(f"      {line}", flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=4, help="reports (each scanned at every dpi)")
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--dpis", default="150,200,300")
    parser.add_argument("--noise", default="light,heavy", help="noise levels, drawn per report")
    parser.add_argument(
        "--every-noise",
        action="store_true",
        help="scan each report at every noise level too (n x dpis x levels scans)",
    )
    parser.add_argument(
        "--turns",
        default="0,0,90,180",
        help="pages fed turned by these degrees, one per report in turn (every other page)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="scans read side by side in this many processes, the engine on one thread each "
        "(1: one process, the engine on ocr.yaml's threads)",
    )
    args = parser.parse_args()
    jobs = scan_jobs(args)
    start = time.perf_counter()
    rows = run_jobs(jobs, args.jobs)
    wall = time.perf_counter() - start
    levels = "every noise level" if args.every_noise else "noise drawn per report"
    print(
        f"\n{args.n} reports (seed {args.seed}), {len(rows)} scans ({levels}), "
        f"{args.jobs} process(es): {wall:.0f} s wall\n"
    )
    with pd.option_context("display.width", 250, "display.max_columns", 30):
        print(summary(rows).to_string(index=False, float_format=lambda x: f"{x:.2f}"))
        print("\nper dpi (noise levels together)\n")
        by_dpi = [{**r, "noise": "all"} for r in rows]
        print(summary(by_dpi).to_string(index=False, float_format=lambda x: f"{x:.2f}"))


if __name__ == "__main__":
    main()
