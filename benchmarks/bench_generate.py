"""Reports per second of the generator: generation alone, then written to disk in each format.

python benchmarks/bench_generate.py [N]      (default N = 200 reports per format)
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from nlp.corpus import FORMATS, generate, write_corpus  # noqa: E402


def _rate(n: int, seconds: float) -> str:
    return f"{n / seconds:8.1f} reports/s  ({n} in {seconds:.2f} s)"


def main(n: int) -> None:
    start = time.perf_counter()
    generate(n, seed=1, inject=0.2)
    print(f"{'generate (memory)':<18}{_rate(n, time.perf_counter() - start)}")
    total_time = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for fmt in FORMATS:
            start = time.perf_counter()
            write_corpus(Path(tmp) / fmt, n, seed=1, formats=(fmt,), inject=0.2)
            elapsed = time.perf_counter() - start
            total_time += elapsed
            print(f"{fmt:<18}{_rate(n, elapsed)}")
    print(f"{'overall':<18}{_rate(n * len(FORMATS), total_time)}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
