"""Sentences per second of `nlp.themes(report)`, tokenizing included, single process.

    python benchmarks/bench_themes.py [N_REPORTS]

Reports come from the generator (their narrative sections only); the model is loaded before
timing, as a batch worker would.
"""

from __future__ import annotations

import sys
import time

import nlp
from nlp.corpus import generate
from nlp.report import Report
from nlp.text import tokenize
from nlp.themes import load_model


def main(n_reports: int = 200) -> None:
    reports = [
        Report(source=g.report_id, sections=dict(g.sections)) for g in generate(n_reports, seed=9)
    ]
    load_model()
    tokenize("预热")
    start = time.perf_counter()
    sentences = sum(len(nlp.themes(report)) for report in reports)
    elapsed = time.perf_counter() - start
    print(f"themes: {sentences} sentences of {n_reports} reports in {elapsed:.2f} s")
    print(f"themes: {sentences / elapsed:,.0f} sentences/s (single process, tokenizing included)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
