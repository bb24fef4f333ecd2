"""Throughput of the whole per-report analysis against plain `jieba.lcut` over the same text.

The reports are generated (nlp.corpus.write_corpus, txt) and read before the clock starts; the
real reports of $XXGK_REAL_CORPUS (or ../shared/corpus/real) are added when present. Timed, in
one run over the same reports:

- plain: `jieba.lcut` of every narrative section (overall, problems, other);
- ours: `nlp.analysis.analyse` (sentences, claims, links, table and narrative checks) plus
  `nlp.text.tokenize` of every narrative sentence.

Prints characters per second of both and their ratio (ours / plain).

    .venv/bin/python benchmarks/bench_analysis_speed.py [--n 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

import jieba

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import nlp  # noqa: E402
from nlp.analysis import analyse  # noqa: E402
from nlp.corpus import write_corpus  # noqa: E402
from nlp.report import NARRATIVE_SECTIONS  # noqa: E402
from nlp.text import backend, tokenize  # noqa: E402

REAL = Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))
SUFFIXES = {".txt", ".md", ".html", ".pdf", ".docx"}


def load_reports(n: int) -> list:
    reports = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(write_corpus(tmp, n, seed=11, formats=("txt",), inject=0.2) or tmp)
        reports += [nlp.read(path) for path in sorted(root.glob("*.txt"))]
    if REAL.is_dir():
        for path in sorted(REAL.rglob("*")):
            if path.suffix.lower() in SUFFIXES:
                try:
                    reports.append(nlp.read(path))
                except nlp.ReadError:
                    continue
    return reports


def narrative(report) -> str:
    return "\n".join(report.sections.get(s, "") for s in NARRATIVE_SECTIONS)


def plain(reports) -> None:
    for report in reports:
        jieba.lcut(narrative(report))


def ours(reports) -> None:
    for report in reports:
        for sentence in analyse(report).sentences:
            tokenize(sentence.text)


def best_seconds(run, reports, rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run(reports)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    jieba.setLogLevel(logging.WARNING)
    reports = load_reports(args.n)
    chars = sum(len(narrative(r)) for r in reports)
    jieba.lcut("预热")
    ours(reports[:2])  # both sides load dictionaries and compile rules before the clock starts
    plain_seconds = best_seconds(plain, reports, args.rounds)
    our_seconds = best_seconds(ours, reports, args.rounds)
    print(f"{len(reports)} reports, {chars:,} narrative characters (tokenizer: {backend()})")
    print(f"jieba.lcut:        {chars / plain_seconds:12,.0f} chars/s")
    print(f"whole analysis:    {chars / our_seconds:12,.0f} chars/s")
    print(f"ratio (ours / jieba.lcut): {plain_seconds / our_seconds:.2f}x")


if __name__ == "__main__":
    main()
