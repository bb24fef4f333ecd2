"""The fuzz run of issue 18: hostile and broken inputs, each read in a bounded child.

    nice -n 10 .venv/bin/python benchmarks/bench_fuzz.py [--n 10000] [--seed 0] [--analyse]
        [--family NAME ...] [--jobs 1] [--findings findings.csv] [--real ../shared/corpus/real]

Builds about `n` inputs over the families of `nlp/fuzz/families.yaml` from generated reports
(and the real reports of `--real`, default $XXGK_REAL_CORPUS or ../shared/corpus/real, when
that folder exists; they are read, never copied), reads each with `nlp.read` (and
`nlp.analyse` with `--analyse`) in a bounded child process, and prints per family the count of
each outcome (ok, error = refused in words, crash, hang = over 5 s of CPU, memory = over 1 GB
peak, leak = an XXE secret read), the most CPU seconds and the highest peak memory of one
input. Every input that is not ok or error is listed with its family/number (rebuild it with
`nlp.fuzz.families.build`) and written to `--findings`. Exit code 1 when there is any.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from nlp.fuzz import families
from nlp.fuzz.runner import OUTCOMES, Outcome, run

BAD = ("crash", "hang", "memory", "leak")
MiB = 2**20


def main() -> int:
    args = _arguments()
    real = _real_dir(args.real)
    with tempfile.TemporaryDirectory() as scratch:
        secret = Path(scratch) / "secret.txt"
        secret.write_text(families.XXE_SECRET, encoding="utf-8")
        only = set(args.family or ())
        items = families.inputs(args.n, args.seed, real, xxe_path=str(secret), only=only)
        print(f"fuzz: seed {args.seed}, about {args.n} inputs, real reports: {real or 'none'}")
        started = time.monotonic()
        outcomes: list[Outcome] = []
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # kill: the table so far
        try:
            _collect(run(items, analyse=args.analyse, jobs=args.jobs), outcomes, args.slow)
        except KeyboardInterrupt:
            print(f"stopped after {len(outcomes)} inputs: the table is of those")
    _print_table(outcomes)
    print(f"{len(outcomes)} inputs in {time.monotonic() - started:.0f} s wall")
    if args.findings:
        _write_findings(args.findings, outcomes)
    return int(any(outcome.outcome in BAD for outcome in outcomes))


def _collect(stream, outcomes: list[Outcome], slow: float) -> None:
    started = time.monotonic()
    for outcome in stream:
        outcomes.append(outcome)
        if outcome.outcome in BAD or (outcome.cpu or 0) > slow:
            cpu = "stopped" if outcome.cpu is None else f"{outcome.cpu:.2f} s"
            print(f"  {outcome.outcome} ({cpu}): {outcome.key}: {outcome.detail}", flush=True)
        if len(outcomes) % 250 == 0:
            print(f"  … {len(outcomes)} inputs, {time.monotonic() - started:.0f} s", flush=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="about this many inputs")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--analyse", action="store_true", help="also run nlp.analyse")
    parser.add_argument("--family", action="append", help="only this family (repeatable)")
    parser.add_argument("--jobs", type=int, default=1, help="reading processes at once")
    parser.add_argument("--findings", type=Path, help="CSV of the inputs not ok or error")
    parser.add_argument("--real", type=Path, help="folder of real reports with MANIFEST.csv")
    parser.add_argument(
        "--slow", type=float, default=2.0, help="also list inputs over this many CPU seconds"
    )
    return parser.parse_args()


def _real_dir(given: Path | None) -> Path | None:
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus" / "real"
    folder = given or Path(os.environ.get("XXGK_REAL_CORPUS", default))
    return folder if (folder / "MANIFEST.csv").exists() else None


def _print_table(outcomes: list[Outcome]) -> None:
    by_family: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_family[outcome.family].append(outcome)
    header = f"{'family':<20}{'inputs':>7}" + "".join(f"{name:>7}" for name in OUTCOMES)
    print(header + f"{'cpu s':>9}{'max cpu s':>11}{'max peak MB':>13}")
    for name, rows in [*sorted(by_family.items()), ("all", outcomes)]:
        counts = {kind: sum(row.outcome == kind for row in rows) for kind in OUTCOMES}
        cpus = [row.cpu for row in rows if row.cpu is not None]
        cpu = max(cpus, default=0.0)
        stopped = any(row.cpu is None for row in rows)
        peaks = [row.peak for row in rows if row.peak is not None]
        peak = f"{max(peaks) / MiB:.0f}" if peaks else "?"
        print(
            f"{name:<20}{len(rows):>7}"
            + "".join(f"{counts[kind]:>7}" for kind in OUTCOMES)
            + f"{sum(cpus):>9.1f}{cpu:>10.2f}{'+' if stopped else ' '}{peak:>13}"
        )
    print("(+: some inputs were stopped at the kill limits; their CPU and peak are not counted)")


def _write_findings(path: Path, outcomes: list[Outcome]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["key", "family", "outcome", "cpu", "peak_mb", "detail"])
        for row in outcomes:
            if row.outcome in BAD:
                peak = None if row.peak is None else round(row.peak / MiB)
                writer.writerow([row.key, row.family, row.outcome, row.cpu, peak, row.detail])


if __name__ == "__main__":
    sys.exit(main())
