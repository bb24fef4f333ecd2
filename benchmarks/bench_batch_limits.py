"""What the per-file limits cost a batch (issue 18): bounded vs unbounded, interleaved.

    .venv/bin/python benchmarks/bench_batch_limits.py [--n 200] [--rounds 2] [--workers 1]

Generates `n` reports (txt, md, html, docx, pdf forms mixed) and runs `run_batch` over them with
`limits=None` (read and analysed in the Dask worker itself) and with the default `Limits()`
(each file in a bounded child process), alternating so that the machine's load falls on both
alike. Prints each run's wall time and the median ratio bounded / unbounded.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
from pathlib import Path

from nlp.batch import run_batch
from nlp.corpus import write_corpus
from nlp.ingest.bounded import Limits


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        corpus = write_corpus(
            Path(scratch) / "corpus", args.n, seed=18, formats=("txt", "md", "html", "docx", "pdf")
        )
        times: dict[str, list[float]] = {"unbounded": [], "bounded": []}
        for round_ in range(args.rounds):
            for label, limits in (("unbounded", None), ("bounded", Limits())):
                out = Path(scratch) / f"out-{label}-{round_}"
                summary = run_batch([corpus], out, workers=args.workers, limits=limits)
                times[label].append(summary.seconds)
                print(
                    f"round {round_ + 1} {label:9s}: {summary.seconds:6.1f} s, "
                    f"{summary.reports} reports, {len(summary.errors)} errors",
                    flush=True,
                )
                for error in summary.errors[:3]:
                    print(f"  {error['stage']}: {error['reason'][:160]}")
                shutil.rmtree(out)
    ratio = statistics.median(times["bounded"]) / statistics.median(times["unbounded"])
    print(f"bounded / unbounded wall time (median of {args.rounds}): {ratio:.3f}")


if __name__ == "__main__":
    main()
