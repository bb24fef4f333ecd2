"""Size and speed of the comparative HTML report of a batch, and how it opens in Chromium (issue 7).

    .venv/bin/python benchmarks/bench_compare.py [--batch DIR | --n 500 --work DIR]
                                                  [--out report.html] [--screenshot docs/img/compare.png]

1. Uses the batch output `--batch`, or generates `n` reports (txt, md, html, errors injected) and
   batches them into `--work` (a batch already there is reused: it resumes).
2. Loads the tables and renders the report, timing both, and prints the file size.
3. Opens the file in headless Chromium (/usr/bin/chromium, through Playwright): time to the
   `load` event, console and page errors, network requests, charts drawn (SVG charts with shapes).
4. With `--screenshot`, saves the top of the page (overview and findings) as a PNG.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import nlp.batch
import nlp.compare
from nlp.corpus import write_corpus

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def batch_of(n: int, work: Path) -> Path:
    corpus, out = work / "corpus", work / "out"
    if not corpus.is_dir():
        started = time.perf_counter()
        write_corpus(corpus, n, seed=2026, formats=("txt", "md", "html"), inject=0.2)
        print(f"generated {n} reports in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    files = sorted(p for p in corpus.iterdir() if p.is_file())
    nlp.batch.run(files, out, workers=2)
    print(f"batch of {len(files)} reports in {time.perf_counter() - started:.1f} s")
    return out


def render(batch: Path, out_html: Path) -> None:
    started = time.perf_counter()
    tables = nlp.batch.load(batch)
    loaded = time.perf_counter()
    nlp.compare.write_html(tables, out_html)
    done = time.perf_counter()
    print(
        f"reports {len(tables['reports'])}, sentences {len(tables['sentences'])}, "
        f"findings {len(tables['findings'])}"
    )
    print(f"load tables {loaded - started:.2f} s, render HTML {done - loaded:.2f} s")
    print(f"HTML size {out_html.stat().st_size / 1e6:.2f} MB")


def open_in_chromium(out_html: Path, screenshot: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "request",
            lambda r: None if r.url.startswith("file:") else problems.append(f"request {r.url}"),
        )
        started = time.perf_counter()
        page.goto(out_html.resolve().as_uri(), wait_until="load")
        loaded = time.perf_counter() - started
        charts = page.locator("svg.chart")
        drawn = page.evaluate(
            "() => [...document.querySelectorAll('svg.chart')]"
            ".filter(s => s.querySelector('rect, polyline, circle')).length"
        )
        height = page.evaluate("() => document.body.scrollHeight")
        print(f"Chromium load event after {loaded:.2f} s; page height {height} px")
        print(f"charts {charts.count()}, drawn {drawn}; errors/requests: {problems or 'none'}")
        if screenshot:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(
                path=str(screenshot),
                clip={"x": 0, "y": 0, "width": 1400, "height": 1400},
                full_page=True,
            )
            print(f"screenshot {screenshot}")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=Path, help="an existing batch output folder")
    parser.add_argument("--n", type=int, default=500, help="reports to generate without --batch")
    parser.add_argument("--work", type=Path, help="where to generate and batch (default: temp)")
    parser.add_argument("--out", type=Path, help="the HTML file (default: in the work folder)")
    parser.add_argument("--screenshot", type=Path, help="save the top of the page as PNG")
    options = parser.parse_args()
    work = options.work or Path(tempfile.mkdtemp(prefix="bench-compare-"))
    batch = options.batch or batch_of(options.n, work)
    out_html = options.out or work / "compare.html"
    render(batch, out_html)
    open_in_chromium(out_html, options.screenshot)


if __name__ == "__main__":
    main()
