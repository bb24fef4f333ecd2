"""The user's whole job per report — read, check, themes — against plain `jieba.lcut`.

Per report, timed from the file on disk: `nlp.read(path)`, then `nlp.check(report)`, then
`nlp.themes(report)`. Against it, `jieba.lcut` over the same report's narrative text (sections
overall, problems and other joined). Rounds alternate between the two (jieba, job, jieba, ...) so
that both meet the same load on a shared machine; every figure is the median over the rounds
(the stages: those of the median round of the job, so that they add up to it).
Dictionaries, rules and the themes model are loaded before the clock starts.

Inputs, by kind (a kind without files is skipped):
- real txt/md and real PDF: the published reports of $XXGK_REAL_CORPUS (or ../shared/corpus/real);
- txt, md, html, docx, pdf: `--n` reports of each written by `nlp.corpus.write_corpus` (fixed seed).

Printed per kind: reports, ms per report of the job and of jieba, the ratio jieba time / job time
(× jieba: higher is faster), and ms per report of each stage. For PDFs, also the reading against
poppler's `pdftotext -layout` run as a subprocess (`apt-get install -y poppler-utils` when
/usr/bin/pdftotext is missing; the column is skipped then).

The `nlp` imported is the one of the current directory when it holds an `nlp` package (so the
script measures a git worktree of old code when run from it), else the one beside this script:

    .venv/bin/python benchmarks/bench_job.py [--n 30] [--rounds 5] [--kinds txt,pdf,real-pdf]
    cd /tmp/old-worktree && "$REPO"/.venv/bin/python "$REPO"/benchmarks/bench_job.py  # REPO: this clone

To compare old and new code on the same generated files, give both runs one `--corpus` folder.

Then the cold start of the `xxgk` command (a fresh process each time, as a user scripting over
files meets it): `xxgk --help`, `xxgk parse FILE --json`, `xxgk check FILE`, `xxgk themes FILE`
over the longest real txt report (else a generated one), seconds as medians of `--rounds`
runs; `--cli-only` prints just these, `--no-cli` leaves them out.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
CODE = Path.cwd() if (Path.cwd() / "nlp" / "__init__.py").exists() else HERE
sys.path.insert(0, str(CODE))

import jieba  # noqa: E402

import nlp  # noqa: E402
from nlp.corpus import write_corpus  # noqa: E402

REAL = Path(os.environ.get("XXGK_REAL_CORPUS", HERE.parent / "shared" / "corpus" / "real"))
NARRATIVE = ("overall", "problems", "other")
GENERATED = ("txt", "md", "html", "docx", "pdf")
REAL_KINDS = {"real-txt/md": {".txt", ".md"}, "real-pdf": {".pdf"}}
KINDS = (*REAL_KINDS, *GENERATED)
STAGES = ("read", "check", "themes")
CLI_COMMANDS = (
    ("--help",),
    ("parse", "{file}", "--json"),
    ("check", "{file}"),
    ("themes", "{file}"),
)
# The command of the code measured (CODE), as the `xxgk` entry point runs it.
CLI_ENTRY = "import sys; from nlp.cli import app; sys.argv[0] = 'xxgk'; app()"
PDFTOTEXT = Path("/usr/bin/pdftotext")
SEED = 13


def real_files(suffixes: set[str]) -> list[Path]:
    if not REAL.is_dir():
        return []
    return sorted(p for p in REAL.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


def generated_files(root: Path, fmt: str, n: int) -> list[Path]:
    """`n` reports of this format under root/fmt, written unless that folder holds them already."""
    folder = root / fmt
    if not folder.is_dir():
        write_corpus(folder, n, seed=SEED, formats=(fmt,), inject=0.2)
    return sorted(folder.glob(f"*.{fmt}"))[:n]


def readable(paths: list[Path]) -> list[tuple[Path, str]]:
    """The files `nlp.read` accepts, each with its narrative text (read before the clock)."""
    kept = []
    for path in paths:
        try:
            report = nlp.read(path)
        except nlp.ReadError:
            continue
        kept.append((path, "\n".join(report.sections.get(s, "") for s in NARRATIVE)))
    return kept


def time_jieba(inputs) -> float:
    started = time.perf_counter()
    for _, text in inputs:
        jieba.lcut(text)
    return time.perf_counter() - started


def time_job(inputs) -> dict[str, float]:
    """Seconds of each stage of the job over all inputs (their sum is the job)."""
    spent = dict.fromkeys(STAGES, 0.0)
    for path, _ in inputs:
        t0 = time.perf_counter()
        report = nlp.read(path)
        t1 = time.perf_counter()
        nlp.check(report)
        t2 = time.perf_counter()
        nlp.themes(report)
        t3 = time.perf_counter()
        spent["read"] += t1 - t0
        spent["check"] += t2 - t1
        spent["themes"] += t3 - t2
    return spent


def time_pdftotext(inputs) -> float:
    started = time.perf_counter()
    for path, _ in inputs:
        subprocess.run(
            [str(PDFTOTEXT), "-layout", "-enc", "UTF-8", str(path), "-"],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - started


def measure(inputs, rounds: int, with_pdftotext: bool) -> dict[str, float]:
    """Seconds over `rounds` alternating rounds (jieba, job, pdftotext), as medians.

    The stages are those of the median round of the job, so that they add up to it.
    """
    jieba_seconds, pdftotext_seconds, job_rounds = [], [], []
    for _ in range(rounds):
        jieba_seconds.append(time_jieba(inputs))
        job_rounds.append(time_job(inputs))
        if with_pdftotext:
            pdftotext_seconds.append(time_pdftotext(inputs))
    middle = sorted(job_rounds, key=lambda stages: sum(stages.values()))[len(job_rounds) // 2]
    seconds = {"jieba": statistics.median(jieba_seconds), "job": sum(middle.values()), **middle}
    if with_pdftotext:
        seconds["pdftotext"] = statistics.median(pdftotext_seconds)
    return seconds


def time_cli(file: Path, rounds: int) -> list[tuple[str, float]]:
    """Seconds of each `xxgk` command in a fresh interpreter, medians over the rounds (the
    commands alternate within a round)."""
    commands = [[arg.format(file=file) for arg in command] for command in CLI_COMMANDS]
    seconds: list[list[float]] = [[] for _ in commands]
    env = {**os.environ, "PYTHONPATH": str(CODE)}
    for _ in range(rounds):
        for spent, command in zip(seconds, commands, strict=True):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-c", CLI_ENTRY, *command], cwd=CODE, env=env, capture_output=True
            )
            spent.append(time.perf_counter() - started)
    names = ["xxgk " + " ".join(c).replace("{file}", "FILE") for c in CLI_COMMANDS]
    return [(name, statistics.median(s)) for name, s in zip(names, seconds, strict=True)]


def print_cli(file: Path, rounds: int) -> None:
    print(f"\ncold start of xxgk, FILE = {file.name}; seconds, median of {rounds}")
    for name, seconds in time_cli(file, rounds):
        print(f"  {name:32s}{seconds:7.2f}", flush=True)


def warm_up(inputs) -> None:
    from nlp.themes import load_model

    jieba.lcut("预热分词词典")
    load_model()  # before the clock: a first report without narrative sentences would not
    time_job(inputs[:1])


def row(kind: str, inputs, seconds: dict[str, float]) -> str:
    n = len(inputs)
    ms = {name: value * 1000 / n for name, value in seconds.items()}
    stages = "  ".join(f"{ms[s]:7.1f}" for s in STAGES)
    line = (
        f"{kind:12s}{n:4d}  {ms['job']:8.1f}  {ms['jieba']:7.2f}  "
        f"{seconds['jieba'] / seconds['job']:6.3f}x  {stages}"
    )
    if "pdftotext" in ms:
        line += f"  {ms['pdftotext']:9.1f}  {seconds['pdftotext'] / seconds['read']:6.2f}x"
    return line


def header(with_pdftotext: bool) -> str:
    line = (
        f"{'kind':12s}{'n':>4s}  {'job ms':>8s}  {'jieba ms':>7s}  {'ratio':>7s}  "
        f"{'read':>7s}  {'check':>7s}  {'themes':>7s}"
    )
    if with_pdftotext:
        line += f"  {'pdftotext':>9s}  {'p2t/read':>7s}"
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=30, help="generated reports per format")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--corpus",
        type=Path,
        help="folder of the generated reports: written on the first run, reused after (so that "
        "old and new code read the same files); a temporary folder when not given",
    )
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"among {', '.join(KINDS)}")
    parser.add_argument("--no-cli", action="store_true", help="leave out the xxgk start-up times")
    parser.add_argument("--cli-only", action="store_true", help="print only the start-up times")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"unknown kinds {', '.join(sorted(unknown))}; choose from {', '.join(KINDS)}")
    jieba.setLogLevel(logging.WARNING)
    with_pdftotext = PDFTOTEXT.exists()
    print(f"nlp from {Path(nlp.__file__).parent}; {args.rounds} rounds, medians; ms per report")
    if not with_pdftotext:
        print(f"{PDFTOTEXT} not found (apt-get install -y poppler-utils): no pdftotext column")
    with tempfile.TemporaryDirectory() as tmp:
        root = args.corpus or Path(tmp)
        if args.cli_only:
            print_cli(_cli_file(root), args.rounds)
            return
        files = {k: real_files(s) for k, s in REAL_KINDS.items() if k in kinds}
        files |= {k: generated_files(root, k, args.n) for k in GENERATED if k in kinds}
        inputs = {k: readable(paths) for k, paths in files.items()}
        inputs = {k: v for k, v in inputs.items() if v}
        for kind_inputs in inputs.values():
            warm_up(kind_inputs)
        print(header(with_pdftotext))
        for kind, kind_inputs in inputs.items():
            pdf = kind.endswith("pdf") and with_pdftotext
            print(row(kind, kind_inputs, measure(kind_inputs, args.rounds, pdf)), flush=True)
        print("ratio = jieba time / job time (higher is faster); p2t/read = pdftotext / nlp.read")
        if not args.no_cli:
            print_cli(_cli_file(root), args.rounds)


def _cli_file(root: Path) -> Path:
    """The longest real txt report (a whole one, not an excerpt), else a generated one."""
    real = real_files({".txt"})
    return max(real, key=lambda p: p.stat().st_size) if real else generated_files(root, "txt", 1)[0]


if __name__ == "__main__":
    main()
