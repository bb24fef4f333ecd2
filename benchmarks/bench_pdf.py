"""PDF reading: today's engine (pdfminer through pdfplumber) against PDFium, and poppler.

Per PDF, in one run with the three interleaved round by round (so that they meet the same load
on a shared machine), medians over `--rounds`:
- `pdftotext`: poppler's `pdftotext -layout` run as a subprocess (its start included), the
  yardstick of the issue (`apt-get install -y poppler-utils` when /usr/bin/pdftotext is missing;
  the column is left out then);
- `old`: `nlp.ingest.pdf.read_pdf` with today's reading: pages from pdfminer (`ENGINE =
  "pdfplumber"`), pdfplumber's own duplicate removal, table finder and cell extraction, and
  every Flate stream inflated to check its size;
- `new`: `read_pdf` as it reads now (PDFium pages, the same geometry in linear time, streams
  inflated only where Deflate's bound leaves a doubt);
- `pdfium`: PDFium's own work in `new` (pages loaded and their text pages built), the part no
  Python-side change can remove;
- `job old` / `job new`: the user's whole job, `nlp.read(path)` + `nlp.check` + `nlp.themes`,
  with the old or the new reading underneath.

Inputs: the real PDFs of $XXGK_REAL_CORPUS (or ../shared/corpus/real), and `--n` generated
reports of each PDF form of `nlp/corpus/forms.yaml` with a text layer (pdf, pdf_split; `--forms`
may add scan, whose time is OCR's).

    .venv/bin/python benchmarks/bench_pdf.py [--n 5] [--rounds 5] [--forms pdf,pdf_split]
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))

import pypdfium2 as pdfium  # noqa: E402
from pdfplumber.table import TableFinder  # noqa: E402

import nlp  # noqa: E402
from nlp.corpus import write_corpus  # noqa: E402
from nlp.corpus.forms import form_format, form_names, needs_ocr  # noqa: E402
from nlp.ingest import pdf, pdf_streams, pdf_tables  # noqa: E402

REAL = Path(os.environ.get("XXGK_REAL_CORPUS", HERE.parent / "shared" / "corpus" / "real"))
PDFTOTEXT = Path("/usr/bin/pdftotext")
PDF_FORMS = tuple(form for form in form_names() if form_format(form) == "pdf")
# A scan has no text layer: both engines only find that out, then OCR takes the time.
TEXT_FORMS = tuple(form for form in PDF_FORMS if not needs_ocr(form))
COLUMNS = ("pdftotext", "pdfium", "old", "new", "job old", "job new")
SEED = 13


@contextmanager
def old_reading() -> Iterator[None]:
    """Today's reading: pdfminer's pages and pdfplumber's own geometry (its duplicate removal,
    table finder and cell extraction), every stream inflated to check its size."""
    saved = (
        pdf.ENGINE,
        pdf.deduped,
        pdf_tables._cell_texts,
        pdf_tables._TableFinder,
        pdf_streams._within_bounds,
    )
    pdf.ENGINE = "pdfplumber"
    pdf.deduped = lambda page, keep_shape: page.dedupe_chars().filter(keep_shape)
    pdf_tables._cell_texts = lambda table, chars: table.extract()
    pdf_tables._TableFinder = TableFinder
    pdf_streams._within_bounds = lambda data, streams, limits: False
    try:
        yield
    finally:
        (
            pdf.ENGINE,
            pdf.deduped,
            pdf_tables._cell_texts,
            pdf_tables._TableFinder,
            pdf_streams._within_bounds,
        ) = saved


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def pdfium_alone(data: bytes) -> None:
    """PDFium's own share of the new reading: each page loaded and its text page built."""
    document = pdfium.PdfDocument(data)
    for page in document:
        page.get_textpage().close()
        page.close()
    document.close()


def run_pdftotext(path: Path) -> None:
    subprocess.run(
        [str(PDFTOTEXT), "-layout", "-enc", "UTF-8", str(path), "-"],
        check=True,
        capture_output=True,
    )


JOB = [nlp.check, nlp.themes]  # after nlp.read


def job(path: Path) -> None:
    report = nlp.read(path)
    for stage in JOB:
        stage(report)


def usable_stages(path: Path) -> None:
    """Leave out of the job a stage that fails on a sample (said in the output): the tree
    measured may be mid-change elsewhere."""
    report = nlp.read(path)
    for stage in list(JOB):
        try:
            stage(report)
        except Exception as error:  # noqa: BLE001 - reported, the stage left out
            print(f"nlp.{stage.__name__} fails ({type(error).__name__}: {error}); left out")
            JOB.remove(stage)


def measure(path: Path, rounds: int, with_pdftotext: bool) -> dict[str, float]:
    """Median seconds of each column over `rounds` rounds, the columns interleaved."""
    data = path.read_bytes()
    works: dict[str, Callable[[], float]] = {
        "new": lambda: timed(lambda: pdf.read_pdf(data, path.name)),
        "pdfium": lambda: timed(lambda: pdfium_alone(data)),
        "job new": lambda: timed(lambda: job(path)),
    }
    if with_pdftotext:
        works["pdftotext"] = lambda: timed(lambda: run_pdftotext(path))

    def old(work: Callable[[], object]) -> Callable[[], float]:
        def run() -> float:
            with old_reading():
                return timed(work)

        return run

    works["old"] = old(lambda: pdf.read_pdf(data, path.name))
    works["job old"] = old(lambda: job(path))
    for work in works.values():  # warm: imports, models, fonts
        work()
    seconds: dict[str, list[float]] = {name: [] for name in works}
    for _ in range(rounds):
        for name, work in works.items():
            seconds[name].append(work())
    return {name: statistics.median(values) for name, values in seconds.items()}


def generated(root: Path, form: str, n: int) -> list[Path]:
    folder = root / form
    if not folder.is_dir():
        write_corpus(folder, n, seed=SEED, forms=[form])
    return sorted(folder.glob("*.pdf"))[:n]


def row(name: str, ms: dict[str, float]) -> str:
    cells = "".join(f"  {ms[c]:9.1f}" if c in ms else f"  {'-':>9s}" for c in COLUMNS)
    ratios = f"  {ms['old'] / ms['new']:6.1f}x  {ms['job old'] / ms['job new']:6.1f}x"
    versus = f"  {ms['new'] / ms['pdftotext']:6.2f}" if "pdftotext" in ms else f"  {'-':>6s}"
    return f"{name[:28]:28s}{cells}{ratios}{versus}"


def header() -> str:
    cells = "".join(f"  {c:>9s}" for c in COLUMNS)
    return f"{'file (ms)':28s}{cells}  {'read':>7s}  {'job':>7s}  {'new/p2t':>6s}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=5, help="generated reports per PDF form")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--forms", default=",".join(TEXT_FORMS), help=f"of {PDF_FORMS}")
    parser.add_argument("--corpus", type=Path, help="folder for the generated PDFs (kept)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    with_pdftotext = PDFTOTEXT.exists()
    if not with_pdftotext:
        print(f"{PDFTOTEXT} not found (apt-get install -y poppler-utils): no pdftotext column")
    root = args.corpus or Path(tempfile.mkdtemp(prefix="bench_pdf_"))
    groups = {"real": sorted(REAL.rglob("*.pdf")) if REAL.is_dir() else []}
    for form in args.forms.split(","):
        groups[form] = generated(root, form, args.n)
    usable_stages(next(path for paths in groups.values() for path in paths))
    print(header())
    for group, paths in groups.items():
        if not paths:
            continue
        per_file = []
        for path in paths:
            ms = {k: v * 1000 for k, v in measure(path, args.rounds, with_pdftotext).items()}
            per_file.append(ms)
            print(row(f"{group}/{path.name}", ms), flush=True)
        median = {c: statistics.median(ms[c] for ms in per_file) for c in per_file[0]}
        print(row(f"{group}: median of {len(paths)}", median), flush=True)
    print(
        "read = old/new reading time (higher is faster); job = old/new whole job "
        "(nlp.read + check + themes); new/p2t = new reading / pdftotext -layout (target ≤ 2)"
    )


if __name__ == "__main__":
    main()
