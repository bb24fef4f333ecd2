"""Sentences per second of `nlp.themes`, tokenizing included, single process.

    python benchmarks/bench_themes.py [N_REPORTS] [CHUNK]

Reports come from the generator (their narrative sections only); the model is loaded before
timing, as a batch worker would. The headline figure is the batch runner's way of calling:
`nlp.themes(chunk)` on chunks of CHUNK reports (default 200). The one-report-at-a-time figure
is printed too. Both take the best of three runs, the machine being shared; the first run, whose
token and term caches start cold, is printed as well.
"""

from __future__ import annotations

import sys
import time

import nlp
from nlp.corpus import generate
from nlp.report import Report
from nlp.text import tokenize
from nlp.themes import load_model

RUNS = 3


def timings(run) -> tuple[list[float], int]:
    """Seconds of each of `RUNS` runs of `run()`, and the sentences it classified."""
    seconds = []
    for _ in range(RUNS):
        start = time.perf_counter()
        sentences = run()
        seconds.append(time.perf_counter() - start)
    return seconds, sentences


def main(n_reports: int = 200, chunk: int = 200) -> None:
    reports = [
        Report(source=g.report_id, sections=dict(g.sections)) for g in generate(n_reports, seed=9)
    ]
    chunks = [reports[i : i + chunk] for i in range(0, len(reports), chunk)]
    load_model()
    tokenize("预热")
    batched, sentences = timings(lambda: sum(len(nlp.themes(c)) for c in chunks))
    single, _ = timings(lambda: sum(len(nlp.themes(r)) for r in reports))
    print(f"themes: {sentences} sentences of {n_reports} reports, chunks of {chunk}")
    print(
        f"themes: {sentences / min(batched):,.0f} sentences/s in chunks of {chunk} "
        f"({min(batched):.2f} s; first run {sentences / batched[0]:,.0f}/s; "
        "single process, tokenizing included)"
    )
    print(
        f"themes: {sentences / min(single):,.0f} sentences/s one report at a time "
        f"({min(single):.2f} s)"
    )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
