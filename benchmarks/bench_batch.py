"""Batch throughput, peak memory and the speed-up of 2 workers over 1 (issue 6).

    .venv/bin/python benchmarks/bench_batch.py [--n 100000] [--subset 4000] [--corpus DIR]

1. Generates `n` reports (txt, 2019–2025, errors injected) into `--corpus` (kept between runs:
   a corpus already there with as many reports is reused).
2. Runs `xxgk batch` over `subset` of them with 1 worker, then with 2 workers, each into a fresh
   output folder, and prints both rates and their ratio.
3. Runs `xxgk batch` over the whole corpus with 2 workers and prints reports/s and the peak
   resident memory of the whole run: the batch process and all its children (scheduler and
   workers) sampled together every 0.2 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
XXGK = Path(sys.executable).with_name("xxgk")


def generate(corpus: Path, n: int) -> list[Path]:
    files = sorted(corpus.glob("*.txt")) if corpus.is_dir() else []
    if len(files) != n:
        shutil.rmtree(corpus, ignore_errors=True)
        started = time.perf_counter()
        command = [str(XXGK), "generate", str(n), "--out", str(corpus), "--seed", "2026"]
        subprocess.run([*command, "--formats", "txt", "--inject", "0.1"], check=True)
        print(f"generated {n} reports in {time.perf_counter() - started:.0f} s")
        files = sorted(corpus.glob("*.txt"))
    return files


def run_batch(inputs: list[str], workers: int, scratch: Path) -> dict:
    """One `xxgk batch` run as a child process: its wall time, rate and peak tree RSS."""
    out = scratch / f"out-{workers}-{len(inputs)}"
    shutil.rmtree(out, ignore_errors=True)
    listing = scratch / f"inputs-{len(inputs)}.txt"
    listing.write_text("\n".join(inputs), encoding="utf-8")
    code = (
        "import json, sys; from nlp.batch import run_batch; "
        "files = open(sys.argv[1], encoding='utf-8').read().split('\\n'); "
        "s = run_batch(files, sys.argv[2], workers=int(sys.argv[3])); "
        "print(json.dumps({'reports': s.reports, 'errors': len(s.errors), 'seconds': s.seconds,"
        " 'cross_year': s.cross_year_findings}))"
    )
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(listing), str(out), str(workers)],
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = _watch_memory(child.pid)
    stdout, _ = child.communicate()
    peak.stop.set()
    peak.join()
    if child.returncode != 0:
        raise SystemExit(f"batch failed with exit code {child.returncode}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(wall=time.perf_counter() - started, peak_mb=peak.peak / 2**20, workers=workers)
    shutil.rmtree(out, ignore_errors=True)
    return result


class _MemoryWatch(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid))
            self.stop.wait(0.2)


def _watch_memory(pid: int) -> _MemoryWatch:
    watch = _MemoryWatch(pid)
    watch.start()
    return watch


def _tree_rss(pid: int) -> int:
    try:
        parent = psutil.Process(pid)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def show(label: str, result: dict) -> None:
    rate = result["reports"] / result["wall"]
    print(
        f"{label}: {result['reports']} reports, {result['errors']} errors, "
        f"{result['cross_year']} cross-year findings, {result['wall']:.1f} s wall, "
        f"{rate:,.1f} reports/s, peak RSS {result['peak_mb']:,.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=4_000)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "xxgk-bench")
    parser.add_argument("--skip-full", action="store_true", help="only the speed-up runs")
    parser.add_argument("--skip-speedup", action="store_true", help="only the whole-corpus run")
    args = parser.parse_args()
    files = [str(p) for p in generate(args.corpus, args.n)]
    scratch = Path(tempfile.mkdtemp(prefix="xxgk-batch-"))
    if not args.skip_speedup:
        subset = files[: args.subset]
        one, two = run_batch(subset, 1, scratch), run_batch(subset, 2, scratch)
        show("subset, 1 worker ", one)
        show("subset, 2 workers", two)
        print(f"speed-up of 2 workers over 1: {one['wall'] / two['wall']:.2f}x (target >= 1.7x)")
    if not args.skip_full:
        full = run_batch(files, 2, scratch)
        show("whole corpus, 2 workers", full)
        print(f"peak memory of the whole run: {full['peak_mb']:,.0f} MB (target <= 2,048 MB)")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
