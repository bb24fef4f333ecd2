"""Throughput of the whole per-report analysis against plain `jieba.lcut` over the same text.

The reports are generated (nlp.corpus.write_corpus, txt) and read before the clock starts; the
real reports of $XXGK_REAL_CORPUS (or ../shared/corpus/real) are added when present. Timed, in
one run over the same reports:

- plain: `jieba.lcut` of every narrative section (overall, problems, other);
- ours: `nlp.analysis.analyse_many` (sentences, claims, links, table and narrative checks, stage
  by stage over batches of reports, as `nlp.check` does) plus `nlp.text.tokenize` of every
  narrative sentence;
- ours one at a time: the same with `nlp.analysis.analyse` report by report.

Prints characters per second of each and the ratios to plain; then, measured apart (not part of
the ratios), the time of each stage of ours, to show where the time goes.

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
from nlp.analysis import analyse, analyse_many, narrative_sentences  # noqa: E402
from nlp.checks import check_tables  # noqa: E402
from nlp.checks.cells import cell_values  # noqa: E402
from nlp.checks.narrative import check_claims, check_parts  # noqa: E402
from nlp.claims import extract_claims  # noqa: E402
from nlp.claims.link import link_claims  # noqa: E402
from nlp.corpus import write_corpus  # noqa: E402
from nlp.report import NARRATIVE_SECTIONS  # noqa: E402
from nlp.text import backend, tokenize  # noqa: E402
from nlp.text.sentences import report_sentences  # noqa: E402

REAL = Path(os.environ.get("XXGK_REAL_CORPUS", REPO.parent / "shared" / "corpus" / "real"))
SUFFIXES = {".txt", ".md", ".html", ".pdf", ".docx"}


def load_reports(n: int) -> list:
    reports = []
    if n > 0:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(write_corpus(tmp, n, seed=11, formats=("txt",), inject=0.2))
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


def forget_sentences(reports) -> None:
    """Drop each report's cached sentence table (`Report.sentences`), so every timed run cuts
    the sentences as a report read once does."""
    for report in reports:
        report.__dict__.pop("sentences", None)


def ours(reports) -> None:
    forget_sentences(reports)
    for analysis in analyse_many(reports):
        for sentence in analysis.sentences:
            tokenize(sentence.text)


def one_at_a_time(reports) -> None:
    forget_sentences(reports)
    for report in reports:
        for sentence in analyse(report).sentences:
            tokenize(sentence.text)


def stages(reports) -> dict:
    """Each stage of ours over all reports, its input prepared beforehand."""
    cut = [(r, s.section, s.text) for r in reports for s in r.sentences]
    claimed = [(r, s, text, extract_claims(text)) for r, s, text in cut]
    narratives = [narrative_sentences(r) for r in reports]
    values = [cell_values(r) for r in reports]
    return {
        "sentences (cut)": lambda: [report_sentences(r) for r in reports],
        "claims (extract)": lambda: [extract_claims(text) for _, _, text in cut],
        "links": lambda: [
            link_claims(text, c, s, r.year, r.agency, r.format) for r, s, text, c in claimed if c
        ],
        "cell values": lambda: [cell_values(r) for r in reports],
        "table checks": lambda: [
            check_tables(r, values=v) for r, v in zip(reports, values, strict=True)
        ],
        "claim and part checks": lambda: [
            (check_claims(r, n, values=v), check_parts(r, n))
            for r, n, v in zip(reports, narratives, values, strict=True)
        ],
        "tokenize": lambda: [tokenize(x.text) for n in narratives for x in n],
    }


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
    # Rounds alternate between them, so that all meet the same load on a shared machine.
    runs = {"jieba.lcut": plain, "whole analysis": ours, "one at a time": one_at_a_time}
    seconds = dict.fromkeys(runs, float("inf"))
    for _ in range(args.rounds):
        for name, run in runs.items():
            seconds[name] = min(seconds[name], best_seconds(run, reports, 1))
    plain_seconds, our_seconds = seconds["jieba.lcut"], seconds["whole analysis"]
    print(f"{len(reports)} reports, {chars:,} narrative characters (tokenizer: {backend()})")
    for name, value in seconds.items():
        print(f"{name + ':':19s}{chars / value:12,.0f} chars/s")
    print(f"ratio (ours / jieba.lcut): {plain_seconds / our_seconds:.2f}x")
    print(f"  one report at a time (analyse): {plain_seconds / seconds['one at a time']:.2f}x")
    print("stages of ours, measured apart:")
    for name, run in stages(reports).items():
        stage_seconds = best_seconds(lambda _reports, run=run: run(), reports, args.rounds)
        print(f"  {name:24s} {stage_seconds * 1000:8.1f} ms  {stage_seconds / our_seconds:6.1%}")


if __name__ == "__main__":
    main()
