"""Batch throughput, peak memory and the speed-up of 2 workers over 1 (issue 6).

    .venv/bin/python benchmarks/bench_batch.py [--n 100000] [--subset 4000] [--corpus DIR]

1. Generates `n` reports (txt, 2019–2025, errors injected) into `--corpus` (kept between runs:
   a corpus already there with as many reports is reused).
2. Runs `xxgk batch` over `subset` of them with 1 worker, then with 2 workers, each into a fresh
   output folder, and prints both rates and their ratio.
3. Runs `xxgk batch` over the whole corpus with 2 workers and prints reports/s and the peak
   resident memory of the whole run: the batch process and all its children (scheduler and
   workers) sampled together every 0.2 s.

With every run, what the batch adds to the job itself: the CPU seconds of its whole process
tree (the batch process, Dask's worker processes if any, the bounded children that read and
analyse), per report, beside the CPU of the same job run in this process on `--sample` of the
files (`process_chunk` unbounded, imports and model loads excluded). CPU seconds hold on a loaded
machine, where wall time does not.
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
# The code measured: the current directory's `nlp` when it has one (a worktree of old code, as the
# batch's own process runs it from there), else the one beside this script.
CODE = Path.cwd() if (Path.cwd() / "nlp" / "__init__.py").exists() else REPO
sys.path.insert(0, str(CODE))
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
        cwd=CODE,
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = _watch_memory(child.pid)
    stdout, _ = child.communicate()
    peak.stop.set()
    peak.join()
    cpu = peak.cpu_by_role()
    if child.returncode != 0:
        raise SystemExit(f"batch failed with exit code {child.returncode}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result.update(
        wall=time.perf_counter() - started, peak_mb=peak.peak / 2**20, workers=workers, cpu=cpu
    )
    shutil.rmtree(out, ignore_errors=True)
    return result


class _MemoryWatch(threading.Thread):
    """Samples the tree's resident memory (its peak) and each process's CPU seconds (the last
    seen: a process's final 0.2 s may be missed)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.cpu: dict[int, tuple[str, float]] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, _tree_rss(self.pid, self.cpu))
            self.stop.wait(0.2)

    def cpu_by_role(self) -> dict[str, float]:
        roles: dict[str, float] = {}
        for role, seconds in self.cpu.values():
            roles[role] = roles.get(role, 0.0) + seconds
        return roles


def _watch_memory(pid: int) -> _MemoryWatch:
    watch = _MemoryWatch(pid)
    watch.start()
    return watch


def _tree_rss(pid: int, cpu: dict[int, tuple[str, float]]) -> int:
    try:
        parent = psutil.Process(pid)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_info().rss
            times = process.cpu_times()
            role = cpu[process.pid][0] if process.pid in cpu else _role(process, pid)
            cpu[process.pid] = (role, times.user + times.system)
        except psutil.NoSuchProcess:
            continue
    return total


def _role(process: psutil.Process, batch_pid: int) -> str:
    if process.pid == batch_pid:
        return "batch process"
    command = " ".join(process.cmdline())
    return "bounded children" if "nlp.ingest.bounded" in command else "Dask processes"


def in_process_ms(files: list[str], scratch: Path) -> float:
    """CPU ms per report of the batch's job on these files, in this process, warm."""
    from nlp.batch.inputs import content_id
    from nlp.batch.work import process_chunk

    pairs = [(path, content_id(path)) for path in files]
    process_chunk(pairs[:2], str(scratch / "warm"), limits=None)  # imports, model, dictionary
    started = time.process_time()
    process_chunk(pairs, str(scratch / "in-process"), limits=None)
    return 1000 * (time.process_time() - started) / len(pairs)


def show(label: str, result: dict, job_ms: float) -> None:
    rate = result["reports"] / result["wall"]
    print(
        f"{label}: {result['reports']} reports, {result['errors']} errors, "
        f"{result['cross_year']} cross-year findings, {result['wall']:.1f} s wall, "
        f"{rate:,.1f} reports/s, peak RSS {result['peak_mb']:,.0f} MB"
    )
    reports = max(1, result["reports"])
    tree = sum(result["cpu"].values())
    roles = ", ".join(
        f"{role} {1000 * seconds / reports:.1f}" for role, seconds in sorted(result["cpu"].items())
    )
    print(
        f"    CPU ms per report: whole tree {1000 * tree / reports:.1f} ({roles}); "
        f"the job in-process {job_ms:.1f}; the batch adds {1000 * tree / reports - job_ms:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--subset", type=int, default=4_000)
    parser.add_argument("--corpus", type=Path, default=Path(tempfile.gettempdir()) / "xxgk-bench")
    parser.add_argument("--skip-full", action="store_true", help="only the speed-up runs")
    parser.add_argument("--skip-speedup", action="store_true", help="only the whole-corpus run")
    parser.add_argument("--sample", type=int, default=200, help="files for the in-process CPU")
    args = parser.parse_args()
    files = [str(p) for p in generate(args.corpus, args.n)]
    scratch = Path(tempfile.mkdtemp(prefix="xxgk-batch-"))
    job_ms = in_process_ms(files[: args.sample], scratch)
    if not args.skip_speedup:
        subset = files[: args.subset]
        one, two = run_batch(subset, 1, scratch), run_batch(subset, 2, scratch)
        show("subset, 1 worker ", one, job_ms)
        show("subset, 2 workers", two, job_ms)
        print(f"speed-up of 2 workers over 1: {one['wall'] / two['wall']:.2f}x (target >= 1.7x)")
    if not args.skip_full:
        full = run_batch(files, 2, scratch)
        show("whole corpus, 2 workers", full, job_ms)
        print(f"peak memory of the whole run: {full['peak_mb']:,.0f} MB (target <= 1,024 MB)")
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
